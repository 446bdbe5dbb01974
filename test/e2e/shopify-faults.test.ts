// Shopify misbehaving during a call: a throttled lookup recovers within the turn's budget; a shop that is down gets
// the spoken fallback, then the call goes to the team (lookup_unavailable). The callers withhold their number, so
// no prefetch meets the scripted faults first.
import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { SUPPORT_NUMBER, startTestBridge, storedOutcome } from '../support/test-bridge.ts';
import { hearAgent, lastOutput, outputsOf, shipmentLine } from '../support/scenario-steps.ts';

const WITHHELD = { from: 'anonymous', to: SUPPORT_NUMBER };
const LOOKUP = { name: 'get_order_status', arguments: { order_number: '1001', email: 'jane.doe@example.com' } };

describe('Shopify faults', () => {
  it('recovers from a throttled lookup within the turn', async () => {
    // A Plus plan restores 1000 points a second (B4), so a drained bucket covers an order lookup in about 0.3 s. On
    // Standard (100 a second) the same wait is about 3 s, past the adapter's 1.5 s budget: the fallback below.
    const bridge = await startTestBridge({ shopify: { bucket: { maximumAvailable: 20_000, restoreRate: 1000 } } });
    bridge.shopify.failNext(1, 'throttle');
    const caller = await bridge.placeCall({
      party: WITHHELD,
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [
          { caller: 'Order 1001, jane.doe@example.com.', steps: [{ callTool: LOOKUP }, { say: (context) => shipmentLine(lastOutput(context)) }] },
          { caller: 'Bye.', steps: [{ say: 'Bye!', callTool: { name: 'end_call', arguments: { summary: 'Order 1001 is with UPS.' } } }] },
        ],
      }),
    });
    await hearAgent(caller);
    await caller.say('Order ten oh one.');
    await hearAgent(caller);
    await caller.say('Bye.');
    const call = await storedOutcome(bridge, caller);

    expect(bridge.shopify.requests().filter((request) => request.isThrottled)).toHaveLength(1);
    expect(outputsOf(bridge, 'get_order_status')).toEqual([expect.objectContaining({ status: 'found', tellCaller: expect.objectContaining({ orderName: '1001' }) })]);
    const [lookup] = await bridge.app.calls.listToolCalls(call.id);
    expect(lookup).toMatchObject({ name: 'get_order_status', status: 'ok' });
    expect(lookup?.latencyMs).toBeLessThan(3000);
    expect(call).toMatchObject({ outcome: 'resolved', isVerified: true });
    bridge.shopify.assertNoPendingFaults();
    bridge.realtime.assertNoLeftovers();
    expect(bridge.log.problems()).toEqual([]);
  });

  it('says the fallback line when the shop is down, then hands the call over when it stays down', async () => {
    const bridge = await startTestBridge();
    // Each lookup is tried twice (one quick retry after a 5xx, B4): two lookups meet four failures.
    bridge.shopify.failNext(4, { status: 503 });
    const caller = await bridge.placeCall({
      party: WITHHELD,
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [
          { caller: 'Order 1001, jane.doe@example.com.', steps: [{ callTool: LOOKUP }, { say: (context) => (lastOutput(context)['status'] === 'unavailable' ? 'Trouble. Retry?' : 'Hm.') }] },
          { caller: 'Yes, try again.', steps: [{ callTool: LOOKUP }, { say: 'The team will call.' }] },
        ],
      }),
    });
    await hearAgent(caller);
    await caller.say('Order ten oh one.');
    await hearAgent(caller);
    await caller.say('Try again.');
    const call = await storedOutcome(bridge, caller);

    const [first, second] = outputsOf(bridge, 'get_order_status');
    expect(first).toEqual({ status: 'unavailable', say: "I'm having trouble pulling that up right now." });
    expect(second).toMatchObject({ status: 'unavailable', handoff: 'follow_up', say: expect.stringContaining("you still can't pull that up") });
    expect(call).toMatchObject({ outcome: 'escalated', reason: 'lookup_unavailable', isVerified: false });
    expect((await bridge.app.calls.listToolCalls(call.id)).map((tool) => tool.resultSummary)).toEqual(['shop unavailable', 'shop unavailable again; escalated']);
    bridge.shopify.assertNoPendingFaults();
    bridge.realtime.assertNoLeftovers();
    expect(bridge.log.problems(['shopify.request.failed'])).toEqual([]);
  });
});
