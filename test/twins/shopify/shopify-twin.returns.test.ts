import { describe, expect, it, onTestFinished } from 'vitest';
import { startShopifyTwin } from '../../../src/twins/shopify/shopify-twin.ts';
import { postGraphql } from './admin-request.ts';

const RETURNABLE = `query ReturnableFulfillments($orderId: ID!) {
  returnableFulfillments(orderId: $orderId, first: 5) {
    nodes {
      id
      fulfillment { id name displayStatus deliveredAt }
      returnableFulfillmentLineItems(first: 20) {
        nodes { quantity fulfillmentLineItem { id quantity lineItem { id name sku } } }
      }
    }
  }
}`;

// The contract's 2026-10 mutation, verbatim (B3).
const RETURN_REQUEST = `mutation ReturnRequest($input: ReturnRequestInput!) {
  returnRequest(input: $input) {
    return {
      id name status
      order { id name }
      returnLineItems(first: 10) {
        nodes {
          id quantity customerNote returnReasonNote
          returnReasonDefinition { id handle name }
          ... on ReturnLineItem { fulfillmentLineItem { id } }
        }
      }
    }
    userErrors { field message code }
  }
}`;

const ORDER_1026 = 'gid://shopify/Order/5026';
const SOCKS_1026 = 'gid://shopify/FulfillmentLineItem/502600';
const DAMAGED = 'gid://shopify/ReturnReasonDefinition/11';

async function demoTwin() {
  const twin = await startShopifyTwin({ now: new Date('2026-11-20T12:00:00Z') });
  onTestFinished(() => twin.close());
  const ask = (query: string, variables: Record<string, unknown>) => postGraphql(twin.url, { query, variables }, { token: twin.adminToken });
  const line = (overrides: Record<string, unknown> = {}) => ({ fulfillmentLineItemId: SOCKS_1026, quantity: 1, returnReasonDefinitionId: DAMAGED, customerNote: 'A hole in the heel.', ...overrides });
  return { twin, ask, line };
}

describe('Shopify twin: returns (twilio-and-shopify.md, B3)', () => {
  it('lists the delivered items still returnable, priced at the contract estimate of 322 points', async () => {
    const { ask } = await demoTwin();
    const answer = await ask(RETURNABLE, { orderId: ORDER_1026 });
    expect(answer.body).toMatchObject({
      data: {
        returnableFulfillments: {
          nodes: [{ fulfillment: { name: '#1026-F1', displayStatus: 'DELIVERED' }, returnableFulfillmentLineItems: { nodes: [{ quantity: 3, fulfillmentLineItem: { id: SOCKS_1026 } }, { quantity: 2 }] } }],
        },
      },
      extensions: { cost: { requestedQueryCost: 322 } },
    });
  });

  it.each([
    ['#1001, still in transit', 'gid://shopify/Order/5001'],
    ['#1003, not shipped', 'gid://shopify/Order/5003'],
    ['#1008, cancelled', 'gid://shopify/Order/5008'],
    ['#1009, refunded', 'gid://shopify/Order/5009'],
    ['#1010, already returned', 'gid://shopify/Order/5010'],
  ])('has nothing returnable on %s', async (_what, orderId) => {
    const { ask } = await demoTwin();
    expect((await ask(RETURNABLE, { orderId })).body).toMatchObject({ data: { returnableFulfillments: { nodes: [] } } });
  });

  it('creates a REQUESTED return and lowers the returnable quantity', async () => {
    const { twin, ask, line } = await demoTwin();
    const created = await ask(RETURN_REQUEST, { input: { orderId: ORDER_1026, returnLineItems: [line({ quantity: 2 })] } });
    expect(created.body).toMatchObject({
      data: {
        returnRequest: {
          return: {
            name: '#1026-R1',
            status: 'REQUESTED',
            order: { id: ORDER_1026, name: '#1026' },
            returnLineItems: { nodes: [{ quantity: 2, customerNote: 'A hole in the heel.', returnReasonNote: '', returnReasonDefinition: { id: DAMAGED, handle: 'damaged-or-defective' }, fulfillmentLineItem: { id: SOCKS_1026 } }] },
          },
          userErrors: [],
        },
      },
      extensions: { cost: { requestedQueryCost: 10 } },
    });
    expect(twin.returnRequests()).toMatchObject([{ name: '#1026-R1', status: 'REQUESTED', lines: [{ quantity: 2, returnReasonDefinitionId: 11 }] }]);
    expect((await ask(RETURNABLE, { orderId: ORDER_1026 })).body).toMatchObject({ data: { returnableFulfillments: { nodes: [{ returnableFulfillmentLineItems: { nodes: [{ quantity: 1 }, { quantity: 2 }] } }] } } });
  });

  it('still accepts the deprecated ReturnReason enum in place of a definition', async () => {
    const { twin, ask, line } = await demoTwin();
    const created = await ask(RETURN_REQUEST, { input: { orderId: ORDER_1026, returnLineItems: [line({ returnReasonDefinitionId: null, returnReason: 'WRONG_ITEM' })] } });
    expect(created.body).toMatchObject({ data: { returnRequest: { return: { status: 'REQUESTED', returnLineItems: { nodes: [{ returnReasonDefinition: null }] } }, userErrors: [] } } });
    expect(twin.returnRequests()).toMatchObject([{ lines: [{ returnReason: 'WRONG_ITEM' }] }]);
  });

  it.each([
    ['more than is returnable', { quantity: 4 }, ['input', 'returnLineItems', '0', 'quantity'], 'INVALID', 'Quantity is greater than the returnable quantity.'],
    ['a zero quantity', { quantity: 0 }, ['input', 'returnLineItems', '0', 'quantity'], 'GREATER_THAN', 'Quantity must be greater than 0.'],
    ['no reason at all', { returnReasonDefinitionId: null }, ['input', 'returnLineItems', '0', 'returnReasonDefinitionId'], 'BLANK', "Return reason definition can't be blank."],
    ['a deleted reason definition', { returnReasonDefinitionId: 'gid://shopify/ReturnReasonDefinition/25' }, ['input', 'returnLineItems', '0', 'returnReasonDefinitionId'], 'NOT_FOUND', 'Return reason definition does not exist.'],
    ['a line of another order', { fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500200' }, ['input', 'returnLineItems', '0', 'fulfillmentLineItemId'], 'NOT_FOUND', 'Fulfillment line item does not exist.'],
    ['a note over 300 characters', { customerNote: 'x'.repeat(301) }, ['input', 'returnLineItems', '0', 'customerNote'], 'TOO_LONG', 'Customer note is too long (maximum is 300 characters).'],
  ])('refuses %s with a userError and creates nothing', async (_what, overrides, field, code, message) => {
    const { twin, ask, line } = await demoTwin();
    const refused = await ask(RETURN_REQUEST, { input: { orderId: ORDER_1026, returnLineItems: [line(overrides)] } });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ data: { returnRequest: { return: null, userErrors: [{ field, code, message }] } } });
    expect(twin.returnRequests()).toEqual([]);
  });

  it('refuses a return for an order that does not exist', async () => {
    const { ask, line } = await demoTwin();
    const refused = await ask(RETURN_REQUEST, { input: { orderId: 'gid://shopify/Order/1', returnLineItems: [line()] } });
    expect(refused.body).toMatchObject({ data: { returnRequest: { return: null, userErrors: [{ field: ['input', 'orderId'], code: 'NOT_FOUND' }] } } });
  });

  it('refuses a second return of what a pending return already holds', async () => {
    const { ask, line } = await demoTwin();
    // #1021: three pairs of socks, one already in a REQUESTED return.
    const input = (quantity: number) => ({ orderId: 'gid://shopify/Order/5021', returnLineItems: [line({ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/502100', quantity })] });
    expect((await ask(RETURN_REQUEST, { input: input(3) })).body).toMatchObject({ data: { returnRequest: { userErrors: [{ code: 'INVALID' }] } } });
    expect((await ask(RETURN_REQUEST, { input: input(2) })).body).toMatchObject({ data: { returnRequest: { return: { name: '#1021-R2' }, userErrors: [] } } });
  });

  it('lists the shop’s return reason definitions by handle', async () => {
    const { ask } = await demoTwin();
    const answer = await ask('query($h: [String!]) { returnReasonDefinitions(first: 5, handles: $h) { nodes { id handle name deleted } } }', { h: ['damaged-or-defective', 'arrived-late'] });
    expect(answer.body).toMatchObject({
      data: { returnReasonDefinitions: { nodes: [{ id: DAMAGED, handle: 'damaged-or-defective', name: 'Damaged or defective', deleted: false }, { handle: 'arrived-late' }] } },
    });
  });
});
