import { describe, expect, it, onTestFinished } from 'vitest';
import { startShopifyTwin, type ShopifyTwinOptions } from '../../../src/twins/shopify/shopify-twin.ts';
import { postGraphql } from './admin-request.ts';
import { JumpingClock } from './jumping-clock.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

async function twinFor(options: ShopifyTwinOptions = {}) {
  const twin = await startShopifyTwin({ now: NOW, ...options });
  onTestFinished(() => twin.close());
  return twin;
}

// The contract's own documents (twilio-and-shopify.md, B2 and B3).
const ORDER_LOOKUP = `query OrderLookup($query: String!) {
  orders(first: 5, query: $query, sortKey: PROCESSED_AT, reverse: true) {
    nodes { id name processedAt displayFinancialStatus displayFulfillmentStatus cancelledAt customer { id displayName } }
  }
}`;

const ORDER_DETAIL = `query OrderDetail($id: ID!) {
  order(id: $id) {
    id name confirmationNumber createdAt processedAt email phone
    displayFinancialStatus displayFulfillmentStatus cancelledAt cancelReason closed returnStatus statusPageUrl
    customer { id displayName }
    shippingAddress { name address1 address2 city provinceCode zip countryCodeV2 phone }
    shippingLine { title }
    lineItems(first: 20) { nodes { id name sku quantity currentQuantity } }
    fulfillments(first: 10) {
      id name status displayStatus createdAt updatedAt inTransitAt estimatedDeliveryAt deliveredAt
      trackingInfo(first: 5) { company number url }
      fulfillmentLineItems(first: 10) { nodes { id quantity lineItem { id name } } }
    }
  }
}`;

const CUSTOMER_BY_PHONE = `query CustomerByPhone($query: String!) {
  customers(first: 5, query: $query) {
    nodes {
      id displayName
      defaultEmailAddress { emailAddress }
      defaultPhoneNumber { phoneNumber }
      numberOfOrders
      orders(first: 5, sortKey: PROCESSED_AT, reverse: true) { nodes { id name processedAt displayFulfillmentStatus } }
    }
  }
}`;

describe('Shopify twin: the contract documents', () => {
  it('answers OrderLookup by name with the order and a cost extension priced by the contract rules', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: ORDER_LOOKUP, variables: { query: 'name:#1001' } }, { token: twin.adminToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      data: { orders: { nodes: [{ id: 'gid://shopify/Order/5001', name: '#1001', displayFulfillmentStatus: 'FULFILLED', customer: { displayName: 'Jane Doe' } }] } },
      extensions: { cost: { requestedQueryCost: 12, actualQueryCost: 4, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1996, restoreRate: 100 } } },
    });
  });

  it.each([['name:#1001'], ['name:1001'], ['name:"#1001"'], ['name:\\#1001']])('finds order #1001 with the search %s', async (query) => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: ORDER_LOOKUP, variables: { query } }, { token: twin.adminToken });
    expect(answer.body).toMatchObject({ data: { orders: { nodes: [{ name: '#1001' }] } } });
  });

  it('prices the WISMO detail query at 306 points requested, as the contract estimates', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: ORDER_DETAIL, variables: { id: 'gid://shopify/Order/5001' } }, { token: twin.adminToken });
    expect(answer.body).toMatchObject({
      data: {
        order: {
          name: '#1001',
          fulfillments: [{ displayStatus: 'IN_TRANSIT', deliveredAt: null, trackingInfo: [{ company: 'UPS', number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' }] }],
        },
      },
      extensions: { cost: { requestedQueryCost: 306 } },
    });
  });

  it('looks a customer up by phone with customers(query:) and customerByIdentifier', async () => {
    const twin = await twinFor();
    const search = await postGraphql(twin.url, { query: CUSTOMER_BY_PHONE, variables: { query: 'phone:+14155550100' } }, { token: twin.adminToken });
    expect(search.body).toMatchObject({
      data: { customers: { nodes: [{ displayName: 'Jane Doe', numberOfOrders: '5', orders: { nodes: [{ name: '#1003' }, { name: '#1001' }, { name: '#1002' }, { name: '#1004' }, { name: '#1023' }] } }] } },
      extensions: { cost: { requestedQueryCost: 52 } },
    });
    const exact = await postGraphql(
      twin.url,
      { query: 'query($p: String!) { customerByIdentifier(identifier: { phoneNumber: $p }) { id displayName } }', variables: { p: '+14155550199' } },
      { token: twin.adminToken },
    );
    expect(exact.body).toMatchObject({ data: { customerByIdentifier: null } });
  });
});

describe('Shopify twin: strictness', () => {
  it('rejects an unknown field with Shopify’s undefinedField error on HTTP 200 and no data', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: '{ orders(first: 1) { nodes { id trackingNumber } } }' }, { token: twin.adminToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      errors: [{ message: "Field 'trackingNumber' doesn't exist on type 'Order'", locations: [{ line: 1, column: 33 }], extensions: { code: 'undefinedField', typeName: 'Order', fieldName: 'trackingNumber' } }],
    });
  });

  it.each([
    ['a string for an Int!', 'query($n: Int!) { orders(first: $n) { nodes { id } } }', { n: 'five' }],
    ['null for an ID!', 'query($id: ID!) { order(id: $id) { id } }', { id: null }],
    ['two keys in a @oneOf input', 'query($i: CustomerIdentifierInput!) { customerByIdentifier(identifier: $i) { id } }', { i: { phoneNumber: '+14155550100', emailAddress: 'a@example.com' } }],
    ['an unknown enum value', 'query($k: OrderSortKeys) { orders(first: 1, sortKey: $k) { nodes { id } } }', { k: 'NEWEST' }],
    ['the 2025-10 return reason shape missing its quantity', 'mutation($input: ReturnRequestInput!) { returnRequest(input: $input) { userErrors { message } } }', { input: { orderId: 'gid://shopify/Order/5002', returnLineItems: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500200', returnReason: 'WRONG_ITEM' }] } }],
  ])('rejects %s in variables before running anything', async (_what, query, variables) => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query, variables }, { token: twin.adminToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ errors: [{ extensions: { code: 'INVALID_VARIABLE' } }] });
    expect(answer.body).not.toHaveProperty('data');
    expect(twin.returnRequests()).toEqual([]);
  });

  it.each([
    ['a variable of the wrong type for its argument', 'query($id: String!) { order(id: $id) { id } }', 'variableMismatch'],
    ['a missing required argument', '{ order { id } }', 'missingRequiredArguments'],
    ['an argument the field does not take', '{ orders(first: 1, status: OPEN) { nodes { id } } }', 'argumentNotAccepted'],
    ['an object without a selection', '{ order(id: "gid://shopify/Order/5001") { customer } }', 'selectionMismatch'],
    ['a declared but unused variable', 'query Q($x: Int) { shop { name } }', 'variableNotUsed'],
  ])('rejects %s with a validation error', async (_what, query, code) => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query, variables: {} }, { token: twin.adminToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ errors: [{ extensions: { code } }] });
  });

  it('answers a syntax error on HTTP 200 with its location', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: '{ orders(first: 1) { nodes { id }' }, { token: twin.adminToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ errors: [{ message: expect.stringMatching(/^syntax error, .* at \[1, 34\]$/), locations: [{ line: 1, column: 34 }], extensions: { code: 'parseError' } }] });
  });

  it('answers 400 with Shopify’s body when the request carries no query', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { variables: {} }, { token: twin.adminToken });
    expect(answer).toMatchObject({ status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } });
  });

  it.each([
    ['no token', null],
    ['an unknown token', 'shpat_not_a_real_token'],
  ])('answers 401 with Shopify’s body for %s', async (_what, token) => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: '{ shop { name } }' }, { token });
    expect(answer).toMatchObject({ status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } });
  });

  it('answers 404 for an API version it does not serve', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: '{ shop { name } }' }, { token: twin.adminToken, version: '2024-01' });
    expect(answer).toMatchObject({ status: 404, body: { errors: 'Not Found' } });
  });

  it('accepts an application/graphql body', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, '{ shop { name myshopifyDomain } }', { token: twin.adminToken, contentType: 'application/graphql' });
    expect(answer.body).toMatchObject({ data: { shop: { name: 'Juniper & Pine', myshopifyDomain: 'juniper-and-pine.myshopify.com' } } });
  });

  it('refuses a connection asked for without first or last', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: '{ orders { nodes { id } } }' }, { token: twin.adminToken });
    expect(answer.body).toMatchObject({ errors: [{ message: 'you must provide one of first or last', path: ['orders'] }], data: null });
  });

  it('answers an ill-formed order id with an invalid global id error', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: 'query($id: ID!) { order(id: $id) { id } }', variables: { id: '1001' } }, { token: twin.adminToken });
    expect(answer.body).toMatchObject({ errors: [{ message: "Invalid global id '1001'", path: ['order'] }], data: { order: null } });
  });

  it('nulls a field the token has no scope for and says which scope is missing', async () => {
    const twin = await twinFor({ scopes: ['read_orders'] });
    const answer = await postGraphql(twin.url, { query: ORDER_LOOKUP, variables: { query: 'name:#1001' } }, { token: twin.adminToken });
    expect(answer.body).toMatchObject({
      data: { orders: { nodes: [{ name: '#1001', customer: null }] } },
      errors: [{ message: 'Access denied for customer field. Required access: `read_customers` access scope.', path: ['orders', 'nodes', 0, 'customer'], extensions: { code: 'ACCESS_DENIED' } }],
    });
  });

  it('refuses a query that would cost more than 1000 points', async () => {
    const twin = await twinFor();
    const answer = await postGraphql(twin.url, { query: '{ orders(first: 250) { nodes { id lineItems(first: 10) { nodes { id } } } } }' }, { token: twin.adminToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ errors: [{ extensions: { code: 'MAX_COST_EXCEEDED', cost: 3252, maxCost: 1000 } }] });
  });
});
