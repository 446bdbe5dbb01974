import { describe, expect, it, onTestFinished } from 'vitest';
import { createShopifyOrderLookup, type RequestPolicy } from '../../src/commerce/shopify-client.ts';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { seedDemoStore } from '../../src/twins/shopify/demo-store.ts';
import { startShopifyTwin, type ShopifyTwin, type ShopifyTwinOptions } from '../../src/twins/shopify/shopify-twin.ts';
import { captureLog } from '../support/log-capture.ts';
import { JumpingClock } from '../twins/shopify/jumping-clock.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const CLIENT = { clientId: 'bridge-client', clientSecret: 'bridge-secret' };

type Setup = { twin?: ShopifyTwinOptions; clock?: Clock; policy?: Partial<RequestPolicy>; auth?: 'admin_token' | 'client_credentials' | 'wrong_token' };

async function connect(setup: Setup = {}) {
  const twin: ShopifyTwin = await startShopifyTwin({ now: NOW, clientCredentials: [CLIENT], ...setup.twin });
  onTestFinished(() => twin.close());
  const capture = captureLog();
  onTestFinished(() => expect(capture.problems()).toEqual([]));
  const auth = setup.auth ?? 'admin_token';
  const lookup = createShopifyOrderLookup(
    {
      shop: twin.shopDomain,
      apiVersion: '2026-10',
      adminApiUrl: twin.url,
      ...(auth === 'client_credentials' ? CLIENT : { adminToken: auth === 'wrong_token' ? 'shpat_wrong' : twin.adminToken }),
    },
    { clock: setup.clock ?? systemClock, log: capture.log, ...(setup.policy ? { policy: setup.policy } : {}) },
  );
  return { twin, lookup, capture };
}

function graphqlCalls(twin: ShopifyTwin) {
  return twin.requests().filter((request) => request.path.endsWith('/graphql.json'));
}

describe('ShopifyOrderLookup against the Shopify twin: lookups', () => {
  it('finds the caller by phone and lists their recent orders newest first', async () => {
    const { lookup, capture } = await connect();
    const customer = await lookup.findCustomerByPhone('+14155550100');
    expect(customer).toEqual({ ok: true, value: { id: 'gid://shopify/Customer/101', firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com', phone: '+14155550100' } });
    const recent = await lookup.recentOrders('gid://shopify/Customer/101', 3);
    expect(recent.ok && recent.value.map((order) => [order.name, order.fulfillmentStatus])).toEqual([
      ['#1003', 'unfulfilled'],
      ['#1001', 'fulfilled'],
      ['#1002', 'fulfilled'],
    ]);
    expect(capture.problems()).toEqual([]);
  });

  it('answers not_found for a caller the shop does not know, and for a withheld number without asking Shopify', async () => {
    const { twin, lookup } = await connect();
    expect(await lookup.findCustomerByPhone('+14155550199')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await lookup.findCustomerByPhone('anonymous')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(graphqlCalls(twin)).toHaveLength(1);
  });

  it.each([['#1001'], ['1001'], ['ten oh one'], ['1001#']])('finds order #1001 from %j with its shipment in transit', async (spoken) => {
    const { twin, lookup } = await connect();
    const found = await lookup.findOrderByNumber(spoken);
    expect(found).toMatchObject({
      ok: true,
      value: {
        name: '#1001',
        financialStatus: 'paid',
        fulfillmentStatus: 'fulfilled',
        shippingAddress: { zip: '94107', countryCode: 'US' },
        fulfillments: [{ status: 'in_transit', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784', estimatedDeliveryAt: '2026-11-22T20:00:00Z', deliveredAt: null }],
      },
    });
    expect(graphqlCalls(twin).map((request) => request.variables)).toEqual([{ query: 'name:"#1001"' }]);
  });

  it('answers not_found for an order number the shop does not have, or words that hold none', async () => {
    const { lookup } = await connect();
    expect(await lookup.findOrderByNumber('#4242')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await lookup.findOrderByNumber('my order')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('reads the detail of orders on hold, late, and shipped in several parcels', async () => {
    const { lookup } = await connect();
    expect(await lookup.getOrder('gid://shopify/Order/5005')).toMatchObject({ ok: true, value: { name: '#1005', isOnHold: true, holdReason: 'incorrect_address' } });
    expect(await lookup.getOrder('gid://shopify/Order/5007')).toMatchObject({ ok: true, value: { fulfillments: [{ status: 'in_transit', estimatedDeliveryAt: '2026-11-17T20:00:00Z', deliveredAt: null }] } });
    const several = await lookup.getOrder('gid://shopify/Order/5013');
    expect(several.ok && several.value.fulfillments.map((shipment) => shipment.status)).toEqual(['delivered', 'in_transit', 'label_printed']);
    expect(await lookup.getOrder('gid://shopify/Order/1')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await lookup.getOrder('1001')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('lists what is still returnable, and nothing for an order already returned', async () => {
    const { lookup } = await connect();
    const items = await lookup.returnableItems('gid://shopify/Order/5026');
    expect(items.ok && items.value.map((item) => [item.title, item.returnableQuantity])).toEqual([
      ['Wool Socks', 3],
      ['Ceramic Mug', 2],
    ]);
    expect(await lookup.returnableItems('gid://shopify/Order/5010')).toEqual({ ok: true, value: [] });
  });
});

describe('ShopifyOrderLookup against the Shopify twin: returns', () => {
  it('requests a return the twin then holds, with the reason as a 2026-10 definition', async () => {
    const { twin, lookup } = await connect();
    const receipt = await lookup.requestReturn({
      orderId: 'gid://shopify/Order/5026',
      items: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/502600', quantity: 2, reason: 'damaged_or_defective' }],
      note: 'Holes in both heels.',
    });
    expect(receipt).toEqual({ ok: true, value: { id: 'gid://shopify/Return/7001', name: '#1026-R1', status: 'requested', items: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/502600', quantity: 2 }] } });
    expect(twin.returnRequests()).toMatchObject([{ name: '#1026-R1', status: 'REQUESTED', lines: [{ fulfillmentLineItemId: 502600, quantity: 2, returnReasonDefinitionId: 11, customerNote: 'Holes in both heels.' }] }]);
  });

  it('surfaces Shopify’s userErrors as user_error and creates nothing', async () => {
    const { twin, lookup, capture } = await connect();
    const refused = await lookup.requestReturn({ orderId: 'gid://shopify/Order/5026', items: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/502600', quantity: 9, reason: 'unwanted' }] });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'user_error',
        message: 'Quantity is greater than the returnable quantity.',
        userErrors: [{ field: ['input', 'returnLineItems', '0', 'quantity'], message: 'Quantity is greater than the returnable quantity.', code: 'INVALID' }],
      },
    });
    expect(twin.returnRequests()).toEqual([]);
    expect(capture.events('shopify.return.refused')).toHaveLength(1);
  });

  it('falls back to the deprecated reason enum when the shop has no matching definition', async () => {
    const store = seedDemoStore(NOW);
    const { twin, lookup } = await connect({ twin: { store: { ...store, reasonDefinitions: store.reasonDefinitions.filter((definition) => definition.handle !== 'style') } } });
    const receipt = await lookup.requestReturn({ orderId: 'gid://shopify/Order/5026', items: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/502601', quantity: 1, reason: 'style' }] });
    expect(receipt.ok).toBe(true);
    expect(twin.returnRequests()).toMatchObject([{ lines: [{ returnReasonDefinitionId: null, returnReason: 'STYLE' }] }]);
  });

  it('asks for the reason definitions once and reuses them', async () => {
    const { twin, lookup } = await connect();
    const item = { fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/502600', quantity: 1, reason: 'wrong_item' } as const;
    await lookup.requestReturn({ orderId: 'gid://shopify/Order/5026', items: [item] });
    await lookup.requestReturn({ orderId: 'gid://shopify/Order/5026', items: [item] });
    expect(graphqlCalls(twin).map((request) => request.operationName)).toEqual(['ReturnReasonDefinitions', 'ReturnRequest', 'ReturnRequest']);
  });
});
