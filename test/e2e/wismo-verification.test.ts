// "Where is my order?" from a number the shop does not know: the order number plus the email on the order discloses
// it; a wrong email discloses nothing, and the third one hands the call to the team (verification_failed).
import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { SUPPORT_NUMBER, startTestBridge, storedOutcome } from '../support/test-bridge.ts';
import { hearAgent, lastOutput, outputsOf, shipmentLine } from '../support/scenario-steps.ts';

const UNKNOWN_CALLER = { from: '+14155550199', to: SUPPORT_NUMBER };

describe('where is my order, from an unknown number', () => {
  it('finds an order by number for a caller the shop does not know, once they give the email on it', async () => {
    const bridge = await startTestBridge();
    const caller = await bridge.placeCall({
      party: UNKNOWN_CALLER,
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [
          {
            caller: 'Order ten oh one, jane dot doe at example dot com.',
            steps: [
              { callTool: { name: 'get_order_status', arguments: { order_number: 'ten oh one', email: 'jane dot doe at example dot com' } } },
              { say: (context) => shipmentLine(lastOutput(context)) },
            ],
          },
          { caller: 'Bye.', steps: [{ say: 'Bye!', callTool: { name: 'end_call', arguments: { summary: 'Order 1001 is with UPS.' } } }] },
        ],
      }),
    });
    await hearAgent(caller);
    await caller.say('Order ten oh one.');
    await hearAgent(caller);
    await caller.say('Bye.');
    const call = await storedOutcome(bridge, caller);

    expect(outputsOf(bridge, 'get_order_status')).toEqual([
      expect.objectContaining({ status: 'found', tellCaller: expect.objectContaining({ orderName: '1001', shipments: [expect.objectContaining({ progress: 'in_transit', carrier: 'UPS' })] }) }),
    ]);
    const [lookup] = await bridge.app.calls.listToolCalls(call.id);
    expect(lookup).toMatchObject({ name: 'get_order_status', status: 'ok', arguments: { order_number: 'ten oh one', email: '[redacted]' } });
    expect(call).toMatchObject({ outcome: 'resolved', isVerified: true, details: expect.objectContaining({ verifiedBy: ['email'] }) });
    bridge.realtime.assertNoLeftovers();
  });

  it('refuses a wrong email without disclosing anything, and hands the call over after the third', async () => {
    const bridge = await startTestBridge();
    const tryEmail = { callTool: { name: 'get_order_status', arguments: { order_number: '1001', email: 'sam@example.com' } } };
    const caller = await bridge.placeCall({
      party: UNKNOWN_CALLER,
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [{ caller: 'Order 1001, sam at example dot com.', steps: [tryEmail, tryEmail, tryEmail, { say: 'Passing you on.' }] }],
      }),
    });
    await hearAgent(caller);
    await caller.say('Order ten oh one.');
    const call = await storedOutcome(bridge, caller);

    const outputs = outputsOf(bridge, 'get_order_status');
    expect(outputs.map((output) => output['status'])).toEqual(['needs_verification', 'needs_verification', 'verification_failed']);
    for (const output of outputs) {
      expect(output).not.toHaveProperty('tellCaller');
      expect(JSON.stringify(output)).not.toMatch(/\b(UPS|Mug|Tea|transit|jane|94107)\b/i);
    }
    expect(call).toMatchObject({ outcome: 'escalated', reason: 'verification_failed', isVerified: false, details: expect.objectContaining({ failedVerificationAttempts: 3 }) });
    expect(call.details['ordersDiscussed']).toEqual([]);
    bridge.realtime.assertNoLeftovers();
  });
});
