import { describe, expect, it, onTestFinished } from 'vitest';
import { CallerPrefetch } from '../../../src/agent/caller-prefetch.ts';
import { createFindOrdersTool } from '../../../src/agent/tools/find-orders.ts';
import { err, ok } from '../../../src/shared/result.ts';
import { FOLLOW_UP_HANDOFF, JANE, ScriptedOrderLookup, buildOrder, buildShipment, daysAgo, summaryOf } from '../../support/commerce-fakes.ts';
import { toolHarness } from '../../support/tool-harness.ts';

function setUp(options: { callerNumber?: string | null } = {}) {
  const orders = new ScriptedOrderLookup();
  onTestFinished(() => orders.assertComplete());
  let prefetch: CallerPrefetch | undefined;
  const harness = toolHarness(({ clock, log }) => {
    prefetch = new CallerPrefetch({ orders, clock, log: log.log, settings: { recentOrders: 5, detailedOrders: 2 } });
    return [createFindOrdersTool({ prefetch, handoff: FOLLOW_UP_HANDOFF, timeZone: 'America/New_York' })];
  }, options);
  onTestFinished(() => expect(harness.log.problems()).toEqual([]));
  return { orders, prefetch: prefetch!, harness };
}

const IN_TRANSIT = buildOrder();
const UNSHIPPED = buildOrder({ id: 'gid://shopify/Order/5003', name: '#1003', createdAt: daysAgo(1, 10), fulfillmentStatus: 'unfulfilled', fulfillments: [] });
const OLD = buildOrder({ id: 'gid://shopify/Order/5004', name: '#1004', createdAt: daysAgo(60, 10), fulfillments: [buildShipment({ status: 'delivered', deliveredAt: daysAgo(58) })] });

function expectJanesOrders(orders: ScriptedOrderLookup): void {
  orders
    .expect('findCustomerByPhone', ok(JANE))
    .expect('recentOrders', ok([summaryOf(UNSHIPPED), summaryOf(IN_TRANSIT), summaryOf(OLD)]))
    .expect('getOrder', ok(UNSHIPPED))
    .expect('getOrder', ok(IN_TRANSIT));
}

describe('find_orders', () => {
  it("lists the caller's recent orders with a status each, verified by caller ID", async () => {
    const { orders, harness } = setUp();
    expectJanesOrders(orders);
    const result = await harness.call('find_orders', {});

    expect(orders.calls.slice(0, 2)).toEqual([
      { method: 'findCustomerByPhone', args: ['+14155550100'] },
      { method: 'recentOrders', args: [JANE.id, 5] },
    ]);
    expect(result.output).toEqual({
      status: 'found',
      orders: [
        { orderName: '1003', placed: 'yesterday', status: 'not_shipped', summary: "Order 1003 hasn't shipped yet; our warehouse is getting it ready.", items: ['2 Ceramic Mug', 'Tea Sampler'] },
        { orderName: '1001', placed: 'Sunday', status: 'shipped', summary: 'Order 1001 is on its way with UPS, expected Saturday.', items: ['2 Ceramic Mug', 'Tea Sampler'] },
        { orderName: '1004', placed: 'on September 20th', status: 'shipped' },
      ],
      say: 'If it is not clear which order the caller means, name them by the day placed or the items and ask.',
    });
    expect(harness.facts().verification.verified).toEqual([
      { orderId: 'gid://shopify/Order/5003', method: 'caller_id' },
      { orderId: 'gid://shopify/Order/5001', method: 'caller_id' },
      { orderId: 'gid://shopify/Order/5004', method: 'caller_id' },
    ]);
    expect(harness.effects.filter((effect) => effect.kind === 'verification')).toHaveLength(3);
    expect(harness.effects.filter((effect) => effect.kind === 'order_discussed')).toEqual([
      { kind: 'order_discussed', name: '#1003', status: 'not_shipped' },
      { kind: 'order_discussed', name: '#1001', status: 'shipped' },
    ]);
    expect(harness.effects[0]).toEqual({ kind: 'intent', intent: 'wismo' });
    expect(result.summary).toBe('listed #1003, #1001, #1004');
  });

  it('answers from the orders prefetched while the call rang', async () => {
    const { orders, prefetch, harness } = setUp();
    expectJanesOrders(orders);
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });
    await harness.call('find_orders', {});
    await harness.call('find_orders', { purpose: 'return' });

    expect(orders.methods()).toEqual(['findCustomerByPhone', 'recentOrders', 'getOrder', 'getOrder']);
  });

  it('asks a caller the shop does not know for the order number and details', async () => {
    const { orders, harness } = setUp({ callerNumber: '+14155550199' });
    orders.expect('findCustomerByPhone', err({ code: 'not_found', message: 'no customer has this phone number' }));
    const result = await harness.call('find_orders', {});

    expect(result.output).toEqual({ status: 'no_orders_for_this_number', ask: 'order_number_and_email_or_postal_code', say: expect.any(String) });
    expect(harness.facts().verification.verified).toEqual([]);
  });

  it('asks a caller who withheld their number without looking anything up', async () => {
    const { harness } = setUp({ callerNumber: null });
    const result = await harness.call('find_orders', { purpose: 'return' });
    expect(result.output).toMatchObject({ status: 'no_orders_for_this_number' });
    expect(harness.effects).toEqual([{ kind: 'intent', intent: 'return' }]);
  });

  it('flags an order whose delivery went wrong, so its status tool hands it over', async () => {
    const { orders, harness } = setUp();
    const late = buildOrder({ fulfillments: [buildShipment({ estimatedDeliveryAt: daysAgo(3, 20) })] });
    orders.expect('findCustomerByPhone', ok(JANE)).expect('recentOrders', ok([summaryOf(late)])).expect('getOrder', ok(late));
    const result = await harness.call('find_orders', {});

    expect(result.output['orders']).toEqual([expect.objectContaining({ orderName: '1001', deliveryProblem: true })]);
    expect(String(result.output['say'])).toContain('call get_order_status');
    expect(harness.effects.map((effect) => effect.kind)).not.toContain('escalate');
  });

  it('says the fallback line when the shop is down', async () => {
    const { orders, harness } = setUp();
    orders.expect('findCustomerByPhone', err({ code: 'unavailable', message: 'HTTP 503' }));
    const result = await harness.call('find_orders', {});

    expect(result.output).toEqual({ status: 'unavailable', say: "I'm having trouble pulling that up right now." });
    expect(harness.facts().lookupFailuresInARow).toBe(1);
  });
});
