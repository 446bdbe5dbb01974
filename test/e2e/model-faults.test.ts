// When the model side fails, the caller is never stuck: one reconnect with the conversation replayed, otherwise the
// fallback (an apology, then a person or voicemail) within 2 s, stored as an escalation for the team.
import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { startTestBridge, storedOutcome } from '../support/test-bridge.ts';

const greetingOnly = defineScenario({
  greeting: { say: 'Thanks for calling Juniper and Pine.' },
  turns: [],
  fallbackLine: 'Sorry about that, where were we?',
});

describe('model faults', () => {
  it('reconnects once when the model socket drops, replaying the conversation, and the call goes on', async () => {
    const bridge = await startTestBridge();
    const caller = await bridge.placeCall({ scenario: greetingOnly });
    await caller.waitForAgentAudio();
    await caller.waitForAgentSilence(300);
    const heardBeforeDrop = caller.heardAudioMs();
    const [first] = bridge.realtime.connections();
    const second = bridge.realtime.nextConnection();
    first!.drop();
    const replacement = await second;
    await caller.waitForAgentAudio({ minMs: 500 });
    expect(caller.heardAudioMs()).toBeGreaterThan(heardBeforeDrop + 500);
    const replayed = replacement.received().filter((event) => event.type === 'conversation.item.create');
    expect(replayed.map((event) => event.payload)).toEqual([
      expect.objectContaining({ item: expect.objectContaining({ role: 'assistant', content: [{ type: 'output_text', text: 'Thanks for calling Juniper and Pine.' }] }) }),
    ]);
    await caller.hangUp();
    const call = await storedOutcome(bridge, caller);
    expect(call.outcome).toBe('abandoned');
    expect((await bridge.app.calls.listEvents(call.id)).map((event) => event.name)).toEqual(expect.arrayContaining(['model_lost', 'model_restored']));
  });

  it('sends the caller to the fallback within 2 s when the model cannot come back, and stores an escalation', async () => {
    const bridge = await startTestBridge({ env: { HUMAN_TRANSFER_NUMBER: '+14155550199' } });
    const caller = await bridge.placeCall({ dial: { outcome: 'answered', talkMs: 50 }, scenario: greetingOnly });
    await caller.waitForAgentAudio();
    bridge.realtime.refuseUpgrades(5);
    const droppedAtMs = Date.now();
    bridge.realtime.connections()[0]!.drop();
    const call = await storedOutcome(bridge, caller);
    const [redirect] = bridge.twilio.rest.updates(caller.snapshot().callSid);
    expect(redirect?.params.Twiml).toContain('<Dial');
    expect(redirect!.atMs).toBeDefined();
    expect(Date.now() - droppedAtMs).toBeLessThan(2600);
    expect(call).toMatchObject({ outcome: 'escalated', reason: 'model_unavailable', endedBy: 'fallback' });
    expect(bridge.log.events('call.fallback')).toHaveLength(1);
  });

  it('uses the fallback at once when no model session can be opened for a new call', async () => {
    const bridge = await startTestBridge();
    bridge.realtime.refuseUpgrades(10);
    const caller = await bridge.placeCall();
    const call = await storedOutcome(bridge, caller);
    expect(call).toMatchObject({ outcome: 'escalated', reason: 'model_unavailable' });
    const [redirect] = bridge.twilio.rest.updates(caller.snapshot().callSid);
    // No transfer number: an apology, then voicemail for the team to call back.
    expect(redirect?.params.Twiml).toMatch(/<Say>Sorry[\s\S]*<Record /);
  });
});
