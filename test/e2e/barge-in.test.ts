// Barge-in as the caller feels it: they speak over the agent, the agent stops at once, the model is told exactly
// how much of its reply was heard, and nothing of the interrupted reply plays afterwards.
import { expect, it } from 'vitest';
import { defineScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { startTestBridge, storedOutcome } from '../support/test-bridge.ts';

const LONG_GREETING =
  'Thanks for calling Juniper and Pine, the home of warm jackets and sturdy boots. Before we start, let me tell you about our winter sale on all outerwear.';

it('truncates the reply where the caller stopped hearing it and plays none of it after the clear', async () => {
  const bridge = await startTestBridge();
  const caller = await bridge.placeCall({
    scenario: defineScenario({ greeting: { say: LONG_GREETING }, turns: [{ caller: 'Sorry, where is my order?', steps: [{ say: 'Sure, let me check that for you.' }] }] }),
  });
  await caller.waitForAgentAudio();
  await caller.bargeIn('Sorry, where is my order?', { afterHeardMs: 1500 });
  await caller.waitForAgentAudio({ minMs: 200 });
  await caller.waitForAgentSilence(500);

  const cleared = caller.marksEchoed().filter((mark) => mark.wasCleared);
  expect(cleared.length).toBeGreaterThan(0);
  const clearedAtMs = Math.min(...cleared.map((mark) => mark.echoedAtMs));
  const heardOfGreetingMs = caller.heardBetweenMs(0, clearedAtMs);

  const [truncation] = bridge.realtime.truncations();
  expect(truncation).toBeDefined();
  expect(Math.abs(truncation!.audioEndMs - heardOfGreetingMs)).toBeLessThanOrEqual(50);

  const connection = bridge.realtime.connections()[0]!;
  const answer = connection.assistantItems().find((item) => item.text === 'Sure, let me check that for you.');
  const heardAfterClearMs = caller.heardAfterMs(clearedAtMs);
  // Everything heard after the clear is the answer; not one frame of the interrupted greeting.
  expect(heardAfterClearMs).toBeLessThanOrEqual(answer!.audioDurationMs + 1);
  expect(heardAfterClearMs).toBeGreaterThan(answer!.audioDurationMs - 60);

  await caller.hangUp();
  const call = await storedOutcome(bridge, caller);
  const [greeting] = await bridge.app.calls.listTurns(call.id);
  expect(greeting).toMatchObject({ speaker: 'agent', isInterrupted: true });
  expect(LONG_GREETING.startsWith(greeting!.text)).toBe(true);
  expect(greeting!.text.length).toBeLessThan(LONG_GREETING.length / 2);
  expect((await bridge.app.calls.listEvents(call.id)).map((event) => event.name)).toContain('barge_in');
});
