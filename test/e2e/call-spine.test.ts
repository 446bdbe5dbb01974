// One whole call through the twins, on each store engine: signed webhook, pre-warmed model, greeting, turns,
// the agent ending the call after its goodbye played, and what the manager later reads in the store.
import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { ENGINES, isPostgresReachable } from '../support/databases.ts';
import { CALLER_NUMBER, startTestBridge, storedOutcome } from '../support/test-bridge.ts';

const hasPostgres = await isPostgresReachable();

const wismoScenario = defineScenario({
  greeting: { say: 'Thanks for calling Juniper and Pine. How can I help you today?' },
  turns: [
    { caller: 'Where is my order?', steps: [{ say: 'Your order shipped yesterday and should arrive Thursday.' }] },
    {
      caller: 'Great, thanks, bye.',
      steps: [{ say: 'You are welcome. Goodbye!', callTool: { name: 'end_call', arguments: { summary: 'Told the caller their order arrives Thursday.' } } }],
    },
  ],
});

describe.each(ENGINES)('a resolved call on %s', (engine) => {
  it.skipIf(engine === 'postgres' && !hasPostgres)('greets, answers, hangs up after the goodbye, and stores the story', async () => {
    const bridge = await startTestBridge({ engine });
    const caller = await bridge.placeCall({ scenario: wismoScenario });
    // The greeting is the model's first response; the scenario binds on it.
    await caller.waitForAgentAudio();
    await caller.waitForAgentSilence(700);
    await caller.say('Where is my order?');
    await caller.waitForAgentAudio();
    await caller.waitForAgentSilence(700);
    await caller.say('Great, thanks, bye.');
    const call = await storedOutcome(bridge, caller);
    await caller.waitForStreamEnd();

    expect(call).toMatchObject({ outcome: 'resolved', endedBy: 'hangup', summary: 'Told the caller their order arrives Thursday.' });
    const turns = await bridge.app.calls.listTurns(call.id);
    expect(turns.map((turn) => [turn.speaker, turn.text])).toEqual([
      ['agent', 'Thanks for calling Juniper and Pine. How can I help you today?'],
      ['caller', 'Where is my order?'],
      ['agent', 'Your order shipped yesterday and should arrive Thursday.'],
      ['caller', 'Great, thanks, bye.'],
      ['agent', 'You are welcome. Goodbye!'],
    ]);
    const answered = turns.filter((turn) => turn.speaker === 'agent' && turn.latencyMs !== null);
    expect(answered).toHaveLength(2);
    for (const turn of answered) expect(turn.latencyMs).toBeLessThan(1500);
    const usage = await bridge.app.calls.usageTotals(call.id);
    expect(usage.outputAudioTokens).toBeGreaterThan(0);
    expect((await bridge.app.calls.listToolCalls(call.id)).map((tool) => [tool.name, tool.status])).toEqual([['end_call', 'ok']]);

    // The goodbye played in full before the line closed.
    const goodbye = turns.at(-1)!;
    expect(caller.outcome()?.reason).toBe('rest-completed');
    expect(goodbye.isInterrupted).toBe(false);
    expect(bridge.twilio.rest.updates(caller.snapshot().callSid).map((update) => update.params)).toEqual([{ Status: 'completed' }]);
    caller.assertNoPendingExpectations();
    bridge.realtime.assertNoLeftovers();
    expect(bridge.log.problems()).toEqual([]);
    // Logs carry masked numbers only, never the caller's full phone number.
    expect(bridge.log.text()).not.toContain(CALLER_NUMBER);
    expect(bridge.log.text()).toContain('+1***00');
    // Nor any credential.
    for (const secret of [bridge.authToken, bridge.realtime.apiKey, bridge.shopify.adminToken]) expect(bridge.log.text()).not.toContain(secret);
  });
});
