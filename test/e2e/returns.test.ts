// Returns through every twin: a return in the window is requested in Shopify for exactly the items the caller
// confirmed; an order past its window and a final-sale item are declined with the reason.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineScenario, type StepContext } from '../../src/twins/openai-realtime/scenario.ts';
import type { TwilioCaller } from '../../src/twins/twilio/twilio-caller.ts';
import { SUPPORT_NUMBER, startTestBridge, storedOutcome, type TestBridge } from '../support/test-bridge.ts';
import { hearAgent, lastOutput, outputsOf } from '../support/scenario-steps.ts';

const itemsSchema = z.array(z.object({ itemId: z.string(), name: z.string(), eligible: z.boolean() })).catch([]);

/** The items of the latest eligibility result, as the scripted model reads them. */
function items(context: StepContext) {
  return itemsSchema.parse(lastOutput(context)['items']);
}

describe('returns', () => {
  it('requests a return in the window for the items and quantities the caller confirmed, and no others', async () => {
    const bridge = await startTestBridge();
    let socks = '';
    const twoSocks = (confirmed: boolean) => () => ({ order_number: '1026', items: [{ item_id: socks, quantity: 2 }], reason: 'size_too_small', caller_confirmed: confirmed });
    const caller = await bridge.placeCall({
      party: { from: '+14155550118', to: SUPPORT_NUMBER },
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [
          {
            caller: 'I want to return two pairs of socks from order 1026.',
            steps: [
              { callTool: { name: 'check_return_eligibility', arguments: { order_number: '1026' } } },
              {
                callTool: {
                  name: 'start_return',
                  arguments: (context) => {
                    socks = items(context).find((item) => item.name === 'Wool Socks' && item.eligible)?.itemId ?? '';
                    return twoSocks(false)();
                  },
                },
              },
              { say: (context) => (lastOutput(context)['status'] === 'confirm_first' ? 'Two socks?' : 'Sorry.') },
            ],
          },
          { caller: 'Yes.', steps: [{ callTool: { name: 'start_return', arguments: twoSocks(true) } }, { say: 'Done.' }] },
          { caller: 'Bye.', steps: [{ say: 'Bye!', callTool: { name: 'end_call', arguments: { summary: 'Return requested for 2 pairs of socks on 1026.' } } }] },
        ],
      }),
    });
    await hearAgent(caller);
    await caller.say('Return socks.');
    await hearAgent(caller);
    expect(bridge.shopify.returnRequests()).toEqual([]);
    await caller.say('Yes.');
    await hearAgent(caller);
    await caller.say('Bye.');
    const call = await storedOutcome(bridge, caller);

    const [readBack, requested] = outputsOf(bridge, 'start_return');
    expect(readBack).toMatchObject({ status: 'confirm_first', items: [{ name: 'Wool Socks', variant: 'M', quantity: 2 }], reason: 'size_too_small' });
    expect(requested).toMatchObject({ status: 'return_requested', returnName: '1026-R1', nextSteps: expect.stringContaining('return label') });
    const returns = bridge.shopify.returnRequests();
    expect(returns).toHaveLength(1);
    expect(returns[0]).toMatchObject({ name: '#1026-R1', status: 'REQUESTED', lines: [expect.objectContaining({ fulfillmentLineItemId: 502600, quantity: 2 })] });
    expect(call).toMatchObject({ outcome: 'resolved', intent: 'return' });
    expect(call.details['actions']).toEqual([{ kind: 'return_requested', detail: '#1026-R1: 2 × Wool Socks (M), reason size_too_small' }]);
    bridge.realtime.assertNoLeftovers();
    expect(bridge.log.problems()).toEqual([]);
  });

  it('declines an order past its window and a final-sale item, each with its reason', async () => {
    const bridge = await startTestBridge();
    const [outside, finalSale] = await Promise.all([
      declinedCall(bridge, { from: '+14155550100', orderNumber: '1004' }),
      declinedCall(bridge, { from: '+14155550107', orderNumber: '1011' }),
    ]);

    expect(outside.output).toMatchObject({
      status: 'not_eligible',
      items: [{ name: 'Leather Journal', eligible: false, reason: 'outside_window', explanation: expect.stringMatching(/^The Leather Journal is past our 30-day return window, which ended /) }],
    });
    expect(finalSale.output).toMatchObject({
      status: 'eligible',
      items: [
        { name: 'Clearance Soy Candle', eligible: false, reason: 'final_sale', explanation: "The Clearance Soy Candle was a final sale item, so it can't be returned." },
        { name: 'Ceramic Mug', eligible: true, maxQuantity: 1 },
      ],
    });
    expect(outside.call.details['ordersDiscussed']).toEqual([{ name: '#1004', status: 'return declined: outside_window' }]);
    expect(bridge.shopify.returnRequests()).toEqual([]);
    bridge.realtime.assertNoLeftovers();
    expect(bridge.log.problems()).toEqual([]);
  });
});

/** One caller asks about returning an order; the scripted model says the first refused item's explanation. */
async function declinedCall(bridge: TestBridge, options: { from: string; orderNumber: string }) {
  const caller: TwilioCaller = await bridge.placeCall({
    party: { from: options.from, to: SUPPORT_NUMBER },
    scenario: defineScenario({
      greeting: { say: 'Hi!' },
      turns: [
        {
          caller: `Can I return order ${options.orderNumber}?`,
          steps: [
            { callTool: { name: 'check_return_eligibility', arguments: { order_number: options.orderNumber } } },
            { say: (context) => (items(context).some((item) => !item.eligible) ? 'Sorry, no.' : 'Yes.') },
          ],
        },
        { caller: 'Bye.', steps: [{ say: 'Bye!', callTool: { name: 'end_call', arguments: { summary: `Told the caller why order ${options.orderNumber} cannot go back.` } } }] },
      ],
    }),
  });
  await hearAgent(caller);
  await caller.say('Can I return it?');
  await hearAgent(caller);
  await caller.say('Bye.');
  const call = await storedOutcome(bridge, caller);
  const output = bridge.realtime.toolCalls().find((tool) => tool.callSid === caller.snapshot().callSid && tool.name === 'check_return_eligibility')?.output;
  return { call, output: z.record(z.string(), z.unknown()).parse(JSON.parse(output ?? '{}')) };
}
