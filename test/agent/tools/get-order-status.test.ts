import { describe, expect, it, onTestFinished } from 'vitest';
import { CallerPrefetch } from '../../../src/agent/caller-prefetch.ts';
import { createGetOrderStatusTool } from '../../../src/agent/tools/get-order-status.ts';
import { ok, err } from '../../../src/shared/result.ts';
import { FOLLOW_UP_HANDOFF, JANE, ScriptedOrderLookup, buildOrder, buildShipment, daysAgo, summaryOf } from '../../support/commerce-fakes.ts';
import { flushMicrotasks } from '../../support/manual-clock.ts';
import { toolHarness } from '../../support/tool-harness.ts';

const UNKNOWN_CALLER = '+14155550199';

function setUp(options: { callerNumber?: string | null } = {}) {
  const orders = new ScriptedOrderLookup();
  onTestFinished(() => orders.assertComplete());
  let prefetch: CallerPrefetch | undefined;
  const harness = toolHarness(({ clock, log }) => {
    prefetch = new CallerPrefetch({ orders, clock, log: log.log });
    return [createGetOrderStatusTool({ orders, prefetch, handoff: FOLLOW_UP_HANDOFF, timeZone: 'America/New_York', canText: true })];
  }, options);
  onTestFinished(() => expect(harness.log.problems()).toEqual([]));
  return { orders, prefetch: prefetch!, harness };
}

/** Order facts that must never reach an unverified caller. */
function expectNothingDisclosed(output: Record<string, unknown>): void {
  const text = JSON.stringify(output);
  for (const secret of ['UPS', 'Mug', 'Tea', 'transit', 'Saturday', 'tellCaller', 'jane', '94107']) expect(text).not.toContain(secret);
}

describe('get_order_status', () => {
  it("tells a caller whose number is on the order where it is, in the caller's terms", async () => {
    const { orders, harness } = setUp();
    orders.expect('findOrderByNumber', ok(buildOrder()));
    const result = await harness.call('get_order_status', { order_number: 'ten oh one' });

    expect(orders.calls).toEqual([{ method: 'findOrderByNumber', args: ['#1001'] }]);
    expect(result.status).toBe('ok');
    expect(result.output).toEqual({
      status: 'found',
      tellCaller: {
        orderName: '1001',
        status: 'shipped',
        summary: 'Order 1001 is on its way with UPS, expected Saturday.',
        shipments: [{ progress: 'in_transit', carrier: 'UPS', day: 'Saturday', isDelivered: false, items: ['2 Ceramic Mug', 'the Tea Sampler'] }],
        notShipped: null,
      },
      canTextTracking: true,
    });
    expect(harness.effects).toEqual([
      { kind: 'intent', intent: 'wismo' },
      { kind: 'lookup_succeeded' },
      { kind: 'verification', state: { verified: [{ orderId: 'gid://shopify/Order/5001', method: 'caller_id' }], failedAttempts: 0, isLockedOut: false } },
      { kind: 'caller_identified', name: 'Jane Doe', verifiedEmail: null },
      { kind: 'order_discussed', name: '#1001', status: 'shipped' },
    ]);
  });

  it('asks an unknown caller for the email or postal code and says nothing about the order', async () => {
    const { orders, harness } = setUp({ callerNumber: UNKNOWN_CALLER });
    orders.expect('findOrderByNumber', ok(buildOrder()));
    const result = await harness.call('get_order_status', { order_number: '#1001' });

    expect(result.output).toMatchObject({ status: 'needs_verification', ask: 'email_or_postal_code' });
    expectNothingDisclosed(result.output);
    expect(harness.facts().verification.failedAttempts).toBe(0);
  });

  it.each([
    ['the email on the order', { email: 'Jane.Doe@Example.com' }, 'email'],
    ['a spoken email', { email: 'jane dot doe at example dot com' }, 'email'],
    ['the ZIP+4 of the shipping address', { postal_code: '94107-1234' }, 'postal_code'],
  ])('discloses the order to an unknown caller who gives %s', async (_name, proof, method) => {
    const { orders, harness } = setUp({ callerNumber: UNKNOWN_CALLER });
    orders.expect('findOrderByNumber', ok(buildOrder()));
    const result = await harness.call('get_order_status', { order_number: '1001', ...proof });

    expect(result.output).toMatchObject({ status: 'found', tellCaller: { summary: 'Order 1001 is on its way with UPS, expected Saturday.' } });
    expect(harness.facts().verification.verified).toEqual([{ orderId: 'gid://shopify/Order/5001', method }]);
  });

  it('refuses a wrong email without disclosing anything, and hands the call over after three', async () => {
    const { orders, harness } = setUp({ callerNumber: UNKNOWN_CALLER });
    const outputs = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      orders.expect('findOrderByNumber', ok(buildOrder()));
      outputs.push((await harness.call('get_order_status', { order_number: '1001', email: 'someone@example.com' })).output);
    }

    expect(outputs[0]).toMatchObject({ status: 'needs_verification', ask: 'order_number_and_email_or_postal_code', attemptsLeft: 2 });
    expect(outputs[1]).toMatchObject({ status: 'needs_verification', attemptsLeft: 1 });
    expect(outputs[2]).toMatchObject({ status: 'verification_failed', handoff: 'follow_up' });
    for (const output of outputs) expectNothingDisclosed(output);
    expect(harness.effects.filter((effect) => effect.kind === 'escalate')).toEqual([
      {
        kind: 'escalate',
        reason: 'verification_failed',
        summary: "The caller asked about order #1001 but could not confirm the order's email or postal code.",
        callerWants: null,
        handoff: 'callback',
      },
    ]);
  });

  it('answers a number that finds nothing, given with details, like a mismatch', async () => {
    const { orders, harness } = setUp({ callerNumber: UNKNOWN_CALLER });
    orders.expect('findOrderByNumber', err({ code: 'not_found', message: 'no order named #9999' }));
    const result = await harness.call('get_order_status', { order_number: '9999', postal_code: '94107' });

    expect(result.output).toMatchObject({ status: 'needs_verification', ask: 'order_number_and_email_or_postal_code', attemptsLeft: 2 });
    expect(harness.facts().verification.failedAttempts).toBe(1);
  });

  it('says an order number without details finds nothing, without counting an attempt', async () => {
    const { orders, harness } = setUp({ callerNumber: UNKNOWN_CALLER });
    orders.expect('findOrderByNumber', err({ code: 'not_found', message: 'no order named #9999' }));
    const result = await harness.call('get_order_status', { order_number: '9999' });

    expect(result.output).toMatchObject({ status: 'not_found', orderNumber: '9999' });
    expect(harness.facts().verification.failedAttempts).toBe(0);
  });

  it('asks again for something that is not an order number, without a lookup', async () => {
    const { harness } = setUp();
    const result = await harness.call('get_order_status', { order_number: 'the blue sweater' });
    expect(result.output).toMatchObject({ status: 'not_found', ask: 'order_number' });
  });

  it('hands a parcel past its estimate to the team after saying where it is', async () => {
    const { orders, harness } = setUp();
    orders.expect('findOrderByNumber', ok(buildOrder({ fulfillments: [buildShipment({ estimatedDeliveryAt: daysAgo(3, 20) })] })));
    const result = await harness.call('get_order_status', { order_number: '1001' });

    expect(result.output).toMatchObject({
      status: 'found',
      tellCaller: { summary: 'Order 1001 is on its way with UPS. It was expected Monday and hasn\'t arrived yet.' },
      deliveryProblem: ['late'],
      handoff: 'follow_up',
    });
    expect(String(result.output['say'])).toContain('they will sort it out');
    expect(harness.effects.at(-1)).toMatchObject({ kind: 'escalate', reason: 'delivery_exception', handoff: 'callback' });
    expect(harness.effects).toContainEqual({ kind: 'order_discussed', name: '#1001', status: 'shipped (late)' });
  });

  it('hands a delivered parcel the caller says never came to the team', async () => {
    const { orders, harness } = setUp();
    orders.expect('findOrderByNumber', ok(buildOrder({ fulfillments: [buildShipment({ status: 'delivered', deliveredAt: daysAgo(1) })] })));
    const result = await harness.call('get_order_status', { order_number: '1001', caller_says_not_received: true });

    expect(result.output).toMatchObject({ status: 'found', deliveryProblem: ['delivered_not_received'] });
    expect(harness.effects.at(-1)).toMatchObject({ kind: 'escalate', reason: 'delivery_exception' });
  });

  it('reads an order prefetched by caller ID without asking the shop again', async () => {
    const { orders, prefetch, harness } = setUp();
    const order = buildOrder();
    orders.expect('findCustomerByPhone', ok(JANE)).expect('recentOrders', ok([summaryOf(order)])).expect('getOrder', ok(order));
    prefetch.start({ callId: 'call_1', callerNumber: '+14155550100' });
    const result = await harness.call('get_order_status', { order_number: '1001' });

    expect(orders.methods()).toEqual(['findCustomerByPhone', 'recentOrders', 'getOrder']);
    expect(result.output).toMatchObject({ status: 'found' });
    expect(harness.effects.map((effect) => effect.kind)).not.toContain('lookup_succeeded');
  });

  it('says the fallback line when the shop is throttled, then escalates when it fails again', async () => {
    const { orders, harness } = setUp();
    orders.expect('findOrderByNumber', err({ code: 'throttled', message: 'Shopify rate limit' }));
    orders.expect('findOrderByNumber', err({ code: 'unavailable', message: 'HTTP 503' }));
    const first = await harness.call('get_order_status', { order_number: '1001' });
    const second = await harness.call('get_order_status', { order_number: '1001' });

    expect(first.output).toEqual({ status: 'unavailable', say: "I'm having trouble pulling that up right now." });
    expect(first.status).toBe('ok');
    expect(harness.effects).toContainEqual({ kind: 'lookup_failed' });
    expect(second.output).toMatchObject({ status: 'unavailable', handoff: 'follow_up' });
    expect(harness.effects.at(-1)).toMatchObject({ kind: 'escalate', reason: 'lookup_unavailable' });
  });

  it('gives up on a shop that does not answer before the registry times the tool out', async () => {
    const { orders, harness } = setUp();
    orders.expect('findOrderByNumber', new Promise<never>(() => {}));
    const pending = harness.start('get_order_status', { order_number: '1001' });
    await flushMicrotasks();
    await harness.clock.advance(2600);
    const result = await pending;

    expect(result.status).toBe('ok');
    expect(result.output).toEqual({ status: 'unavailable', say: "I'm having trouble pulling that up right now." });
    expect(harness.facts().lookupFailuresInARow).toBe(1);
  });

  it('stores the email and postal code masked', async () => {
    const { orders, harness } = setUp({ callerNumber: UNKNOWN_CALLER });
    orders.expect('findOrderByNumber', ok(buildOrder()));
    const result = await harness.call('get_order_status', { order_number: '1001', email: 'jane.doe@example.com', postal_code: '94107' });
    expect(result.redactedArguments).toEqual({ order_number: '1001', email: '[redacted]', postal_code: '[redacted]' });
  });
});
