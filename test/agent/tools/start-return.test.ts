import { describe, expect, it, onTestFinished } from 'vitest';
import { CallerPrefetch } from '../../../src/agent/caller-prefetch.ts';
import { createStartReturnTool } from '../../../src/agent/tools/start-return.ts';
import { err, ok } from '../../../src/shared/result.ts';
import { FOLLOW_UP_HANDOFF, RETURN_STEPS_HIT, ScriptedKnowledge, ScriptedOrderLookup, buildDeliveredOrder, returnableOf } from '../../support/commerce-fakes.ts';
import { flushMicrotasks } from '../../support/manual-clock.ts';
import { toolHarness } from '../../support/tool-harness.ts';

const POLICY = { windowDays: 30, excludedProductTypes: [], excludedTags: ['final-sale'] };
const MUG = 'gid://shopify/LineItem/50010';
const TEA = 'gid://shopify/LineItem/50011';
const RECEIPT = { id: 'gid://shopify/Return/9001', name: '#1001-R1', status: 'requested' as const, items: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500100', quantity: 1 }] };

function setUp(options: { callerNumber?: string | null } = {}) {
  const orders = new ScriptedOrderLookup();
  const knowledge = new ScriptedKnowledge(() => [RETURN_STEPS_HIT]);
  onTestFinished(() => orders.assertComplete());
  const harness = toolHarness(
    ({ clock, log }) => [
      createStartReturnTool({
        orders,
        prefetch: new CallerPrefetch({ orders, clock, log: log.log }),
        handoff: FOLLOW_UP_HANDOFF,
        returns: POLICY,
        timeZone: 'America/New_York',
        knowledge,
        canText: true,
      }),
    ],
    options,
  );
  return { orders, harness };
}

function expectEligibleOrder(orders: ScriptedOrderLookup): void {
  const order = buildDeliveredOrder();
  orders.expect('findOrderByNumber', ok(order)).expect('returnableItems', ok(returnableOf(order)));
}

const ONE_MUG = { order_number: '1001', items: [{ item_id: MUG, quantity: 1 }], reason: 'unwanted' };

describe('start_return', () => {
  it('asks for the items and quantities to be read back before anything is submitted', async () => {
    const { orders, harness } = setUp();
    expectEligibleOrder(orders);
    const result = await harness.call('start_return', ONE_MUG);

    expect(result.output).toMatchObject({ status: 'confirm_first', items: [{ name: 'Ceramic Mug', variant: 'Sage', quantity: 1 }], reason: 'unwanted' });
    expect(orders.methods()).not.toContain('requestReturn');
  });

  it('requests the confirmed items from the shop and gives the next steps from the knowledge base', async () => {
    const { orders, harness } = setUp();
    expectEligibleOrder(orders);
    orders.expect('requestReturn', ok(RECEIPT));
    const result = await harness.call('start_return', { ...ONE_MUG, items: [{ item_id: MUG, quantity: 1 }, { item_id: 'tea sampler', quantity: 1 }], caller_confirmed: true, note: 'Too small' });

    expect(orders.calls.at(-1)).toEqual({
      method: 'requestReturn',
      args: [
        {
          orderId: 'gid://shopify/Order/5001',
          items: [
            { fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500100', quantity: 1, reason: 'unwanted' },
            { fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500101', quantity: 1, reason: 'unwanted' },
          ],
          note: 'Too small',
        },
      ],
    });
    expect(result.output).toEqual({
      status: 'return_requested',
      returnName: '1001-R1',
      items: [
        { name: 'Ceramic Mug', variant: 'Sage', quantity: 1 },
        { name: 'Tea Sampler', quantity: 1 },
      ],
      nextSteps: RETURN_STEPS_HIT.text,
      canTextSteps: true,
      say: expect.any(String),
    });
    expect(harness.effects).toContainEqual({ kind: 'action', action: 'return_requested', detail: '#1001-R1: 1 × Ceramic Mug (Sage), 1 × Tea Sampler, reason unwanted' });
    expect(harness.effects.at(-1)).toEqual({ kind: 'order_discussed', name: '#1001', status: 'return requested' });
    expect(result.redactedArguments['note']).toBe('[redacted]');
  });

  it.each([
    ['more than were delivered', [{ item_id: MUG, quantity: 3 }]],
    ['an item not on the order', [{ item_id: 'gid://shopify/LineItem/99999', quantity: 1 }]],
  ])('refuses %s without submitting', async (_name, items) => {
    const { orders, harness } = setUp();
    expectEligibleOrder(orders);
    const result = await harness.call('start_return', { ...ONE_MUG, items, caller_confirmed: true });

    expect(result.output).toMatchObject({ status: 'not_eligible', problems: [expect.objectContaining({ explanation: expect.any(String) })] });
    expect(orders.methods()).not.toContain('requestReturn');
  });

  it("hands Shopify's refusal to the team with the reason shopify_user_error", async () => {
    const { orders, harness } = setUp();
    expectEligibleOrder(orders);
    orders.expect('requestReturn', err({ code: 'user_error', message: 'Quantity is greater than the returnable quantity.', userErrors: [{ field: ['input'], message: 'Quantity is greater than the returnable quantity.', code: 'INVALID' }] }));
    const result = await harness.call('start_return', { ...ONE_MUG, caller_confirmed: true });

    expect(result.output).toMatchObject({ status: 'not_submitted', handoff: 'follow_up' });
    expect(String(result.output['say'])).toContain("couldn't submit the return");
    expect(harness.effects.at(-1)).toMatchObject({
      kind: 'escalate',
      reason: 'shopify_user_error',
      summary: 'Shopify refused the return of 1 × Ceramic Mug (Sage) from #1001: Quantity is greater than the returnable quantity.',
      callerWants: 'Return 1 × Ceramic Mug (Sage) from #1001',
    });
  });

  it('escalates rather than retries when the request may have been applied', async () => {
    const { orders, harness } = setUp();
    expectEligibleOrder(orders);
    orders.expect('requestReturn', new Promise<never>(() => {}));
    const pending = harness.start('start_return', { ...ONE_MUG, caller_confirmed: true });
    await flushMicrotasks();
    await harness.clock.advance(4500);
    const result = await pending;

    expect(result.status).toBe('ok');
    expect(harness.effects.at(-1)).toMatchObject({ kind: 'escalate', reason: 'lookup_unavailable', summary: expect.stringContaining('may or may not have been created') });
  });

  it('needs a verified order', async () => {
    const { orders, harness } = setUp({ callerNumber: '+14155550199' });
    orders.expect('findOrderByNumber', ok(buildDeliveredOrder()));
    const result = await harness.call('start_return', { ...ONE_MUG, caller_confirmed: true });
    expect(result.output).toMatchObject({ status: 'needs_verification' });
  });

  it('refuses a reason outside the list', async () => {
    const { harness } = setUp();
    const result = await harness.call('start_return', { ...ONE_MUG, reason: 'refund me now' });
    expect(result.status).toBe('invalid');
  });
});
