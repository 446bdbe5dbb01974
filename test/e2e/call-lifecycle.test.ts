// What a running service owes its host: calls never leak sockets or timers, and shutdown lets live calls finish
// while new callers hear a polite message instead of silence.
import { expect, it } from 'vitest';
import { defineScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { startTestBridge, storedOutcome } from '../support/test-bridge.ts';

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

it('leaves no open sockets, timers or model sessions after 50 sequential calls', { timeout: 120_000 }, async () => {
  const bridge = await startTestBridge();
  bridge.realtime.setDefaultScenario(() => defineScenario({ greeting: { say: 'Hi.' }, turns: [] }));
  const warmup = await bridge.placeCall();
  await warmup.waitForAgentAudio();
  await warmup.hangUp();
  await storedOutcome(bridge, warmup);
  const before = resourceCounts();

  for (let i = 0; i < 50; i++) {
    const caller = await bridge.placeCall();
    await caller.waitForAgentAudio();
    await caller.hangUp();
    const call = await storedOutcome(bridge, caller);
    expect(call.outcome).toBe('abandoned');
  }

  expect(bridge.app.desk.liveCalls).toBe(0);
  expect(bridge.realtime.connections().filter((connection) => connection.isOpen())).toEqual([]);
  const after = resourceCounts();
  // Allow the odd socket still closing from the last call; 50 calls' worth would be 100+.
  for (const kind of ['TCPSocketWrap', 'Timeout']) expect((after[kind] ?? 0) - (before[kind] ?? 0)).toBeLessThanOrEqual(3);
});

it('on shutdown refuses new calls politely and lets a live call finish', async () => {
  const bridge = await startTestBridge({ env: { DRAIN_SECONDS: '20' } });
  bridge.realtime.setDefaultScenario(() => defineScenario({ greeting: { say: 'Thanks for calling.' }, turns: [] }));
  const live = await bridge.placeCall();
  await live.waitForAgentAudio();
  const shutdown = bridge.app.shutdown();

  const late = await bridge.placeCall();
  expect(late.verbs().map((verb) => verb.name)).toEqual(expect.arrayContaining(['Say', 'Record']));
  expect(late.streams()).toEqual([]);

  expect(bridge.app.desk.liveCalls).toBe(1);
  await live.hangUp();
  await shutdown;
  expect((await bridge.app.calls.getCallBySid(live.snapshot().callSid))?.outcome).toBe('abandoned');
});
