import { describe, expect, it, onTestFinished } from 'vitest';
import { CallerPrefetch } from '../../src/agent/caller-prefetch.ts';
import { err, ok } from '../../src/shared/result.ts';
import { JANE, NOW_ISO, ScriptedOrderLookup, buildOrder, summaryOf } from '../support/commerce-fakes.ts';
import { captureLog } from '../support/log-capture.ts';
import { ManualClock } from '../support/manual-clock.ts';

const ORDER = buildOrder();
const OLDER = buildOrder({ id: 'gid://shopify/Order/5004', name: '#1004' });

function setUp(settings: { maxInFlight?: number } = {}) {
  const orders = new ScriptedOrderLookup();
  onTestFinished(() => orders.assertComplete());
  const clock = new ManualClock(NOW_ISO);
  const prefetch = new CallerPrefetch({ orders, clock, log: captureLog().log, settings: { ttlMs: 60_000, recentOrders: 5, detailedOrders: 1, maxInFlight: 8, ...settings } });
  return { orders, clock, prefetch };
}

function expectJane(orders: ScriptedOrderLookup): void {
  orders.expect('findCustomerByPhone', ok(JANE)).expect('recentOrders', ok([summaryOf(ORDER), summaryOf(OLDER)])).expect('getOrder', ok(ORDER));
}

describe('CallerPrefetch', () => {
  it('looks up the customer, their newest orders and the newest in full as the call rings', async () => {
    const { orders, prefetch } = setUp();
    expectJane(orders);
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });
    const found = await prefetch.ordersFor('call_1', '+14155550100');

    expect(orders.calls).toEqual([
      { method: 'findCustomerByPhone', args: ['+14155550100'] },
      { method: 'recentOrders', args: [JANE.id, 5] },
      { method: 'getOrder', args: [ORDER.id] },
    ]);
    expect(found).toEqual(ok({ customer: JANE, orders: [{ summary: summaryOf(ORDER), detail: ORDER }, { summary: summaryOf(OLDER), detail: null }] }));
  });

  it('does nothing for a withheld caller ID', async () => {
    const { prefetch } = setUp();
    prefetch.start({ callId: 'call_1', callerNumber: null });
    expect(prefetch.size).toBe(0);
    expect(await prefetch.prefetched('call_1', null)).toBeNull();
  });

  it('starts once per call, even when the webhook is retried', () => {
    const { orders, prefetch } = setUp();
    expectJane(orders);
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });
    expect(orders.methods()).toEqual(['findCustomerByPhone']);
  });

  it('stands aside while too many lookups are under way, leaving the call to its tools', async () => {
    const { orders, prefetch } = setUp({ maxInFlight: 1 });
    orders.expect('findCustomerByPhone', new Promise<never>(() => {}));
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });
    prefetch.start({ callId: 'call_2', callerNumber: '+14155550101' });

    expect(orders.calls).toEqual([{ method: 'findCustomerByPhone', args: ['+14155550100'] }]);
    expect(await prefetch.prefetched('call_2', '+14155550101')).toBeNull();
  });

  it('knows a caller the shop does not as a customer with no orders', async () => {
    const { orders, prefetch } = setUp();
    orders.expect('findCustomerByPhone', err({ code: 'not_found', message: 'no customer has this phone number' }));
    expect(await prefetch.ordersFor('call_1', '+14155550199')).toEqual(ok({ customer: null, orders: [] }));
  });

  it('drops an entry once it expires and looks again', async () => {
    const { orders, clock, prefetch } = setUp();
    expectJane(orders);
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });
    await prefetch.ordersFor('call_1', '+14155550100');
    await clock.advance(60_000);

    expect(await prefetch.prefetched('call_1', '+14155550100')).toBeNull();
    expect(prefetch.size).toBe(0);
    expectJane(orders);
    await prefetch.ordersFor('call_1', '+14155550100');
    expect(orders.calls).toHaveLength(6);
  });

  it('does not keep a failed lookup, so the next tool asks the shop again', async () => {
    const { orders, prefetch } = setUp();
    orders.expect('findCustomerByPhone', err({ code: 'throttled', message: 'Shopify rate limit' }));
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });

    expect(await prefetch.prefetched('call_1', '+14155550100')).toBeNull();
    expectJane(orders);
    expect((await prefetch.ordersFor('call_1', '+14155550100')).ok).toBe(true);
  });

  it('looks up live for a tool when the ringing lookup, which never waits for the rate limit, was throttled', async () => {
    const live = new ScriptedOrderLookup();
    const ringing = new ScriptedOrderLookup();
    onTestFinished(() => live.assertComplete());
    onTestFinished(() => ringing.assertComplete());
    const prefetch = new CallerPrefetch({ orders: live, prefetchOrders: ringing, clock: new ManualClock(NOW_ISO), log: captureLog().log, settings: { detailedOrders: 1 } });
    ringing.expect('findCustomerByPhone', err({ code: 'throttled', message: 'Shopify rate limit' }));
    expectJane(live);
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });

    expect(await prefetch.ordersFor('call_1', '+14155550100')).toMatchObject({ ok: true, value: { customer: JANE } });
    expect(ringing.methods()).toEqual(['findCustomerByPhone']);
    expect(live.methods()).toEqual(['findCustomerByPhone', 'recentOrders', 'getOrder']);
  });

  it('serves an entry only to the call and number it was made for, and never looks up on a peek', async () => {
    const { orders, prefetch } = setUp();
    expectJane(orders);
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });

    expect(await prefetch.prefetched('call_2', '+14155550100')).toBeNull();
    expect(await prefetch.prefetched('call_1', '+14155550199')).toBeNull();
    expect(await prefetch.prefetched('call_1', '+14155550100')).toMatchObject({ customer: JANE });
    expect(orders.calls).toHaveLength(3);
  });
});
