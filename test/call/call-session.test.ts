import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { CallSession, type CallSessionSettings } from '../../src/call/call-session.ts';
import { ToolRegistry, defineTool } from '../../src/agent/tool-registry.ts';
import { endCallTool } from '../../src/agent/tools/end-call.ts';
import { createEscalateTool } from '../../src/agent/tools/escalate.ts';
import { err, ok } from '../../src/shared/result.ts';
import { HEARD_SLACK_MS } from '../../src/voice/playback-tracker.ts';
import { FakeControl, FakeLink, FakeMedia, FakeRecorder } from '../support/call-fakes.ts';
import { ManualClock, flushMicrotasks } from '../support/manual-clock.ts';
import { captureLog } from '../support/log-capture.ts';

const prompts = { instructions: 'Be helpful.', greeting: 'Greet the caller.', wrapUp: 'Wrap up.', stillChecking: 'Still checking.', resume: 'Carry on.' };
const settings: CallSessionSettings = {
  maxCallSeconds: 600,
  vadSilenceMs: 500,
  modelRecoveryMs: 2000,
  wrapUpLeadMs: 30_000,
  exitPlayoutTimeoutMs: 15_000,
  dtmfPauseMs: 3000,
  fallbackTwiml: '<Response><Say>Sorry.</Say></Response>',
  transferTwiml: '<Response><Dial>+15005550006</Dial></Response>',
};

const slowLookup = defineTool({
  name: 'slow_lookup',
  description: 'A lookup that takes a while.',
  input: z.object({ query: z.string() }),
  timeoutMs: 5000,
  fillerAfterMs: 600,
  run: async (_input, context) =>
    new Promise((resolve) => {
      context.clock.setTimeout(() => resolve({ output: { found: true }, summary: 'found it' }), 1500);
    }),
});

function startCall(options: { links?: Array<FakeLink | 'refused'>; firstLink?: FakeLink | 'refused' | 'never'; transfer?: boolean } = {}) {
  const clock = new ManualClock();
  const media = new FakeMedia();
  const recorder = new FakeRecorder();
  const control = new FakeControl();
  const captured = captureLog();
  const first = options.firstLink ?? new FakeLink();
  const more = [...(options.links ?? [])];
  const connectLink = async () => {
    const next = more.shift() ?? 'refused';
    return next === 'refused' ? err({ code: 'refused' }) : ok(next);
  };
  const tools = new ToolRegistry([
    endCallTool,
    slowLookup,
    createEscalateTool({ reasons: ['caller_requested_human', 'other'], canTransferNow: () => options.transfer ?? true, followUpPhrase: () => 'tomorrow after 9 AM' }),
  ]);
  const session = new CallSession({
    identity: { callId: 'call_1', callSid: media.callSid, callerNumber: '+14155550100' },
    media,
    firstLink: first === 'never' ? new Promise(() => {}) : Promise.resolve(first === 'refused' ? err({ code: 'refused' }) : ok(first)),
    connectLink,
    tools,
    prompts,
    recorder,
    control,
    settings,
    clock,
    log: captured.log,
  });
  onTestFinished(async () => {
    await session.close();
    expect(clock.pendingTimers).toBe(0);
  });
  session.start();
  return { session, clock, media, recorder, control, link: first instanceof FakeLink ? first : null, captured };
}

describe('CallSession', () => {
  it('greets first, tagging the response with the CallSid', async () => {
    const { link, media } = startCall();
    await flushMicrotasks();
    const [greeting] = link!.sentOfType('response.create');
    expect(greeting).toMatchObject({ response: { instructions: 'Greet the caller.', metadata: { call_sid: media.callSid } } });
  });

  it('relays caller audio and fills a gap in Twilio timestamps with silence', async () => {
    const { link, media } = startCall();
    await flushMicrotasks();
    media.callerFrames(2);
    media.callerFrames(1, { skipMs: 200 });
    const appends = link!.sentOfType('input_audio_buffer.append').map((event) => Buffer.from(String(event.audio), 'base64').length);
    expect(appends).toEqual([160, 160, 200 * 8, 160]);
  });

  it('keeps caller audio that arrives before the model is ready and sends it first', async () => {
    const later = new FakeLink();
    const { media, clock } = startCall({ firstLink: 'refused', links: [later] });
    media.callerFrames(3);
    await clock.advance(10);
    expect(later.sentOfType('input_audio_buffer.append')).toHaveLength(3);
  });

  it('truncates the reply at the last mark the caller heard and drops its late audio', async () => {
    const { link, media, recorder } = startCall();
    await flushMicrotasks();
    media.callerFrames(5);
    link!.speak('resp_1', 'item_1', 'Your order shipped on Monday and should arrive Thursday.', 50);
    media.echoMarks(11); // The start mark and 10 frames: 200 ms heard.
    link!.emit({ type: 'speechStarted', audioStartMs: 900, itemId: 'item_user_2' });
    expect(media.sent.filter((message) => message.kind === 'clear')).toHaveLength(1);
    expect(link!.sentOfType('conversation.item.truncate')).toEqual([{ type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_ms: 200 + HEARD_SLACK_MS }]);

    const before = media.sent.length;
    link!.emit({ type: 'audioDelta', responseId: 'resp_1', itemId: 'item_1', contentIndex: 0, audioBase64: Buffer.alloc(160).toString('base64') });
    expect(media.sent.length).toBe(before);
    await flushMicrotasks();
    const agentTurn = [...recorder.turns.values()].find((turn) => turn.speaker === 'agent');
    // 250 of 1000 ms heard: the first quarter of the nine words stays in the transcript.
    expect(agentTurn).toMatchObject({ isInterrupted: true, text: 'Your order' });
  });

  it('does not clear or truncate when the caller speaks after the reply finished playing', async () => {
    const { link, media } = startCall();
    await flushMicrotasks();
    link!.speak('resp_1', 'item_1', 'Hello.', 5);
    link!.finish('resp_1', 'item_1');
    media.echoMarks();
    link!.emit({ type: 'speechStarted', audioStartMs: 900, itemId: 'item_user_2' });
    expect(media.sent.some((message) => message.kind === 'clear')).toBe(false);
    expect(link!.sentOfType('conversation.item.truncate')).toEqual([]);
  });

  it('measures turn latency from the end of caller speech to the first audio Twilio played', async () => {
    const { link, media, recorder } = startCall();
    await flushMicrotasks();
    media.callerFrames(100); // 2 s of stream time.
    link!.emit({ type: 'speechStarted', audioStartMs: 300, itemId: 'item_user_1' });
    link!.emit({ type: 'speechStopped', audioEndMs: 1700, itemId: 'item_user_1' }); // Speech ended at 1200 ms.
    link!.emit({ type: 'inputTranscriptCompleted', itemId: 'item_user_1', transcript: 'Where is my order?', usage: null });
    link!.speak('resp_2', 'item_2', 'Let me check.', 10);
    media.echoMarks(1); // Playout starts now: stream time 2000 ms.
    link!.finish('resp_2', 'item_2');
    media.echoMarks();
    await flushMicrotasks();
    const turns = [...recorder.turns.values()];
    expect(turns.map((turn) => [turn.speaker, turn.text])).toEqual([
      ['caller', 'Where is my order?'],
      ['agent', 'Let me check.'],
    ]);
    expect(turns[1]?.latencyMs).toBe(800);
    expect(turns[1]).toMatchObject({ startedMs: 2000, endedMs: 2200 });
  });

  it('returns invalid tool arguments to the model as a structured error and lets it answer', async () => {
    const { link, clock, recorder } = startCall();
    await flushMicrotasks();
    link!.emit({ type: 'responseCreated', responseId: 'resp_1' });
    link!.emit({ type: 'functionCallRequested', responseId: 'resp_1', itemId: 'item_fc', callId: 'call_a', name: 'end_call', argumentsJson: '{"summary": 5}' });
    link!.finish('resp_1', null);
    await clock.advance(1);
    const [output] = link!.sentOfType('conversation.item.create');
    expect(JSON.parse(String((output as { item: { output: string } }).item.output))).toMatchObject({ error: 'invalid_arguments' });
    expect(link!.sentOfType('response.create')).toHaveLength(2);
    expect(recorder.toolCalls[0]).toMatchObject({ name: 'end_call', status: 'invalid' });
  });

  it('hangs up only after the goodbye has played, and records a resolved call', async () => {
    const { link, media, control, session, recorder } = startCall();
    await flushMicrotasks();
    link!.speak('resp_1', 'item_1', 'Glad I could help. Goodbye!', 20);
    link!.emit({ type: 'functionCallRequested', responseId: 'resp_1', itemId: 'item_fc', callId: 'call_a', name: 'end_call', argumentsJson: '{"summary":"Told the caller their order arrives Thursday."}' });
    link!.finish('resp_1', 'item_1');
    await flushMicrotasks();
    expect(link!.sentOfType('conversation.item.create')).toHaveLength(1);
    expect(link!.sentOfType('response.create')).toHaveLength(1); // Only the greeting: end_call wants no more words.
    expect(control.actions).toEqual([]);
    media.echoMarks();
    const summary = await session.done;
    expect(control.actions).toEqual([{ kind: 'hangup' }]);
    expect(summary.exit).toMatchObject({ outcome: 'resolved', via: 'hangup' });
    expect(recorder.ending).toMatchObject({ outcome: 'resolved', summary: 'Told the caller their order arrives Thursday.' });
  });

  it('transfers a caller who asks for a person once the hand-off line has played', async () => {
    const { link, media, control, session } = startCall({ transfer: true });
    await flushMicrotasks();
    link!.emit({ type: 'responseCreated', responseId: 'resp_1' });
    link!.emit({ type: 'functionCallRequested', responseId: 'resp_1', itemId: 'item_fc', callId: 'call_a', name: 'escalate', argumentsJson: '{"reason":"caller_requested_human","summary":"Wants a person."}' });
    link!.finish('resp_1', null);
    await flushMicrotasks();
    expect(link!.sentOfType('response.create')).toHaveLength(2); // The hand-off line.
    link!.speak('resp_2', 'item_2', 'Connecting you now.', 10);
    link!.finish('resp_2', 'item_2');
    expect(control.actions).toEqual([]);
    media.echoMarks();
    const summary = await session.done;
    expect(control.actions).toEqual([{ kind: 'redirect', twiml: settings.transferTwiml }]);
    expect(summary.exit).toMatchObject({ outcome: 'escalated', reason: 'caller_requested_human', via: 'transfer' });
    expect(media.isOpen).toBe(true); // Twilio ends the stream itself after a redirect.
  });

  it('says a filler line when a tool is slow, then gives the result', async () => {
    const { link, clock } = startCall();
    await flushMicrotasks();
    link!.emit({ type: 'responseCreated', responseId: 'resp_1' });
    link!.emit({ type: 'functionCallRequested', responseId: 'resp_1', itemId: 'item_fc', callId: 'call_a', name: 'slow_lookup', argumentsJson: '{"query":"x"}' });
    link!.finish('resp_1', null);
    await clock.advance(700);
    const creates = link!.sentOfType('response.create');
    expect(creates[1]).toMatchObject({ response: { instructions: 'Still checking.', conversation: 'none' } });
    link!.finish('resp_filler', null);
    await clock.advance(1000);
    expect(link!.sentOfType('conversation.item.create')).toHaveLength(1);
    expect(link!.sentOfType('response.create')).toHaveLength(3);
  });

  it('reconnects once when the model drops, replaying the conversation so far', async () => {
    const second = new FakeLink();
    const { link, media, clock, recorder } = startCall({ links: [second] });
    await flushMicrotasks();
    media.callerFrames(10);
    link!.emit({ type: 'speechStarted', audioStartMs: 0, itemId: 'u1' });
    link!.emit({ type: 'inputTranscriptCompleted', itemId: 'u1', transcript: 'Where is order 1001?', usage: null });
    link!.drop();
    await clock.advance(5);
    expect(second.sentOfType('conversation.item.create')).toEqual([
      { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Where is order 1001?' }] } },
    ]);
    expect(second.sentOfType('response.create')).toHaveLength(1);
    expect(recorder.eventNames()).toContain('model_restored');
  });

  it('sends the caller to the fallback when the model drops a second time', async () => {
    const second = new FakeLink();
    const { link, clock, control, session } = startCall({ links: [second] });
    await flushMicrotasks();
    link!.drop();
    await clock.advance(5);
    second.drop();
    const summary = await session.done;
    expect(control.actions).toEqual([{ kind: 'redirect', twiml: settings.fallbackTwiml }]);
    expect(summary.exit).toMatchObject({ outcome: 'escalated', reason: 'model_unavailable', via: 'fallback' });
  });

  it('sends the caller to the fallback when the model cannot be reached within 2 s', async () => {
    const { clock, control, session } = startCall({ firstLink: 'never' });
    await clock.advance(1999);
    expect(control.actions).toEqual([]);
    await clock.advance(1);
    const summary = await session.done;
    expect(control.actions).toEqual([{ kind: 'redirect', twiml: settings.fallbackTwiml }]);
    expect(summary.exit.reason).toBe('model_unavailable');
  });

  it('wraps up before the time limit and ends the call at it', async () => {
    const { link, clock, control, session } = startCall();
    await flushMicrotasks();
    link!.finish('greeting', null);
    await clock.advance(settings.maxCallSeconds * 1000 - settings.wrapUpLeadMs);
    expect(link!.sentOfType('conversation.item.create').at(-1)).toMatchObject({ item: { role: 'system', content: [{ type: 'input_text', text: 'Wrap up.' }] } });
    await clock.advance(settings.wrapUpLeadMs + settings.exitPlayoutTimeoutMs);
    const summary = await session.done;
    expect(summary.exit).toMatchObject({ outcome: 'escalated', reason: 'max_duration' });
    expect(control.actions).toEqual([{ kind: 'hangup' }]);
  });

  it('turns keyed digits ending in # into a caller turn the model can use', async () => {
    const { link, media } = startCall();
    await flushMicrotasks();
    link!.finish('greeting', null);
    media.dtmf('1001#');
    expect(link!.sentOfType('conversation.item.create').at(-1)).toMatchObject({ item: { role: 'user', content: [{ text: '(keyed on the phone keypad) 1001' }] } });
  });

  it('records an abandoned call when the caller hangs up and closes the model session', async () => {
    const { link, media, session, recorder } = startCall();
    await flushMicrotasks();
    media.stop();
    const summary = await session.done;
    expect(summary.exit).toMatchObject({ outcome: 'abandoned', via: 'caller_hangup' });
    expect(link!.isOpen).toBe(false);
    expect(recorder.ending?.outcome).toBe('abandoned');
  });
});

describe('CallSession, a goodbye the caller talks over', () => {
  it('cancels the hang-up and keeps listening when the caller speaks during the goodbye', async () => {
    const { link, media, control, clock } = startCall();
    await flushMicrotasks();
    link!.speak('resp_1', 'item_1', 'Glad I could help. Goodbye!', 50);
    link!.emit({ type: 'functionCallRequested', responseId: 'resp_1', itemId: 'item_fc', callId: 'call_a', name: 'end_call', argumentsJson: '{"summary":"Answered."}' });
    link!.finish('resp_1', 'item_1');
    media.echoMarks(5);
    link!.emit({ type: 'speechStarted', audioStartMs: 400, itemId: 'u9' });
    media.echoMarks();
    await clock.advance(settings.exitPlayoutTimeoutMs + 1);
    expect(control.actions).toEqual([]);
  });
});
