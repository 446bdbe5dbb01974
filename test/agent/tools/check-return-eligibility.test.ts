import { describe, expect, it, onTestFinished } from 'vitest';
import { CallerPrefetch } from '../../../src/agent/caller-prefetch.ts';
import { createCheckReturnEligibilityTool } from '../../../src/agent/tools/check-return-eligibility.ts';
import { err, ok } from '../../../src/shared/result.ts';
import { FOLLOW_UP_HANDOFF, ScriptedOrderLookup, buildDeliveredOrder, buildShipment, buildOrder, daysAgo, returnableOf } from '../../support/commerce-fakes.ts';
import { toolHarness } from '../../support/tool-harness.ts';

const POLICY = { windowDays: 30, excludedProductTypes: ['Gift Card'], excludedTags: ['final-sale'] };

function setUp(options: { callerNumber?: string | null } = {}) {
  const orders = new ScriptedOrderLookup();
  onTestFinished(() => orders.assertComplete());
  const harness = toolHarness(
    ({ clock, log }) => [
      createCheckReturnEligibilityTool({ orders, prefetch: new CallerPrefetch({ orders, clock, log: log.log }), handoff: FOLLOW_UP_HANDOFF, returns: POLICY, timeZone: 'America/New_York' }),
    ],
    options,
  );
  onTestFinished(() => expect(harness.log.problems()).toEqual([]));
  return { orders, harness };
}

describe('check_return_eligibility', () => {
  it('lists what can go back, how many, and until when', async () => {
    const { orders, harness } = setUp();
    const order = buildDeliveredOrder();
    orders.expect('findOrderByNumber', ok(order)).expect('returnableItems', ok(returnableOf(order)));
    const result = await harness.call('check_return_eligibility', { order_number: '1001' });

    expect(orders.calls[1]).toEqual({ method: 'returnableItems', args: ['gid://shopify/Order/5001'] });
    expect(result.output).toMatchObject({
      status: 'eligible',
      orderName: '1001',
      items: [
        { itemId: 'gid://shopify/LineItem/50010', name: 'Ceramic Mug', variant: 'Sage', eligible: true, maxQuantity: 2, explanation: 'You can return up to 2 of the Ceramic Mug. The return window is open through December 14th.' },
        { itemId: 'gid://shopify/LineItem/50011', name: 'Tea Sampler', eligible: true, maxQuantity: 1 },
      ],
    });
    expect(harness.effects).toEqual([
      { kind: 'intent', intent: 'return' },
      { kind: 'lookup_succeeded' },
      { kind: 'verification', state: expect.objectContaining({ verified: [{ orderId: 'gid://shopify/Order/5001', method: 'caller_id' }] }) },
      { kind: 'caller_identified', name: 'Jane Doe', verifiedEmail: null },
      { kind: 'lookup_succeeded' },
      { kind: 'order_discussed', name: '#1001', status: 'return eligible' },
    ]);
  });

  it.each([
    [
      'past the return window',
      buildOrder({ fulfillments: [buildShipment({ status: 'delivered', deliveredAt: daysAgo(60) })] }),
      'outside_window',
      'The Ceramic Mug is past our 30-day return window, which ended on October 20th.',
    ],
    [
      'final sale',
      { ...buildDeliveredOrder(), tags: ['final-sale'], lineItems: buildDeliveredOrder().lineItems.map((item) => ({ ...item, isFinalSale: true })) },
      'final_sale',
      "The Ceramic Mug was a final sale item, so it can't be returned.",
    ],
  ])('declines an order %s with the reason', async (_name, order, reason, explanation) => {
    const { orders, harness } = setUp();
    orders.expect('findOrderByNumber', ok(order)).expect('returnableItems', ok(returnableOf(order)));
    const result = await harness.call('check_return_eligibility', { order_number: '1001' });

    expect(result.output).toMatchObject({ status: 'not_eligible', items: [{ eligible: false, reason, explanation }, { eligible: false, reason }] });
    expect(String(result.output['say'])).toContain('return_not_eligible_disputed');
    expect(harness.effects.at(-1)).toEqual({ kind: 'order_discussed', name: '#1001', status: `return declined: ${reason}` });
  });

  it.each([
    ['refund', 'refund_request', 'return'],
    ['exchange', 'exchange_request', 'return'],
    ['cancel_order', 'order_change', 'other'],
    ['address_change', 'order_change', 'other'],
  ])('passes the %s request to the team without a lookup or a promise', async (request, reason, intent) => {
    const { harness } = setUp();
    const result = await harness.call('check_return_eligibility', { order_number: '1001', request });

    expect(result.output).toMatchObject({ status: 'passed_to_team', request, handoff: 'follow_up' });
    expect(String(result.output['say'])).toMatch(/^Do not promise it/);
    expect(harness.effects).toEqual([{ kind: 'intent', intent }, expect.objectContaining({ kind: 'escalate', reason, handoff: 'callback' })]);
  });

  it('asks an unknown caller to verify before looking at returns', async () => {
    const { orders, harness } = setUp({ callerNumber: '+14155550199' });
    orders.expect('findOrderByNumber', ok(buildDeliveredOrder()));
    const result = await harness.call('check_return_eligibility', { order_number: '1001' });
    expect(result.output).toMatchObject({ status: 'needs_verification', ask: 'email_or_postal_code' });
  });

  it('says the fallback line when the returnable items cannot be read', async () => {
    const { orders, harness } = setUp();
    orders.expect('findOrderByNumber', ok(buildDeliveredOrder())).expect('returnableItems', err({ code: 'timeout', message: 'no answer' }));
    const result = await harness.call('check_return_eligibility', { order_number: '1001' });
    expect(result.output).toEqual({ status: 'unavailable', say: "I'm having trouble pulling that up right now." });
    expect(harness.facts().lookupFailuresInARow).toBe(1);
  });
});
