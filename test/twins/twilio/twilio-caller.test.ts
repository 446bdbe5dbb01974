import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { PUBLIC_URL, STREAM_URL, streamTwiml, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './support/fake-service.ts';
import { events, mediaMessages, placeStreamingCall, tone, untilReceived } from './support/twin-setup.ts';

describe('caller twin: webhook and stream start', () => {
  it('signs the inbound webhook over the public URL with every parameter Twilio sends', async () => {
    const { service, caller } = await placeStreamingCall();
    const [webhook] = service.received('/twilio/voice');
    expect(webhook?.isSignatureValid).toBe(true);
    expect(webhook?.params).toMatchObject({
      AccountSid: TEST_ACCOUNT_SID,
      ApiVersion: '2010-04-01',
      CallSid: caller.callSid,
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: '+14155550100',
      Caller: '+14155550100',
      To: '+18005550199',
      Called: '+18005550199',
      CallerCity: 'SAN FRANCISCO',
      FromCity: 'SAN FRANCISCO',
    });
    expect(webhook?.params.CallToken).toBeDefined();
    expect(caller.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(twilio.validateRequest(TEST_AUTH_TOKEN, webhook?.signature ?? '', `${service.baseUrl}/twilio/voice`, webhook?.params ?? {})).toBe(false);
  });

  it('signs the WebSocket upgrade over the wss URL exactly as written in the TwiML', async () => {
    const { stream } = await placeStreamingCall();
    expect(stream.isSignatureValid).toBe(true);
    expect(twilio.validateRequest(TEST_AUTH_TOKEN, stream.signature ?? '', STREAM_URL.replace('wss:', 'https:'), {})).toBe(false);
  });

  it('sends connected, then start with sequence "1", the fixed format and the TwiML parameters', async () => {
    const { stream, caller, streamSid } = await placeStreamingCall();
    expect(stream.messages[0]).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(stream.messages[1]).toEqual({
      event: 'start',
      sequenceNumber: '1',
      start: {
        accountSid: TEST_ACCOUNT_SID,
        streamSid,
        callSid: caller.callSid,
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        customParameters: { token: 'abc123', callerNumber: '+14155550100' },
      },
      streamSid,
    });
    expect(streamSid).toMatch(/^MZ[0-9a-f]{32}$/);
  });
});

describe('caller twin: inbound media', () => {
  it('paces 20 ms frames from the stream start with chunk, timestamp and sequence numbers as strings', async () => {
    const { stream, clock, caller, streamSid } = await placeStreamingCall();
    const startMs = clock.monotonicMs();
    clock.advance(100);
    await stream.waitFor((messages) => mediaMessages(messages).length >= 6);
    const media = mediaMessages(stream.messages);
    expect(media.map((frame) => frame.chunk)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(media.map((frame) => frame.timestamp)).toEqual(['0', '20', '40', '60', '80', '100']);
    expect(media.map((frame) => frame.sequenceNumber)).toEqual(['2', '3', '4', '5', '6', '7']);
    expect(new Set(media.map((frame) => frame.track))).toEqual(new Set(['inbound']));
    expect(Buffer.from(media[0]?.payload ?? '', 'base64')).toEqual(Buffer.alloc(160, 0xff));
    expect(events(stream.messages, 'media').every((message) => message.streamSid === streamSid)).toBe(true);
    expect(caller.timings().framesSentAtMs.map((atMs) => atMs - startMs)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('sends other frame sizes and injected timestamp gaps', async () => {
    const { stream, clock } = await placeStreamingCall({ call: { frameMs: 10, timestampGaps: [{ afterChunk: 2, gapMs: 40 }] } });
    clock.advance(70);
    await stream.waitFor((messages) => mediaMessages(messages).length >= 4);
    const media = mediaMessages(stream.messages);
    expect(media.map((frame) => frame.timestamp)).toEqual(['0', '10', '60', '70']);
    expect(Buffer.from(media[0]?.payload ?? '', 'base64')).toHaveLength(80);
  });

  it('speaks queued audio in the inbound frames and resolves say() when the last byte was sent', async () => {
    const { stream, clock, caller } = await placeStreamingCall();
    const speech = tone(50);
    let isSaid = false;
    const said = caller.say(speech).then(() => (isSaid = true));
    clock.advance(20);
    await Promise.resolve();
    expect(isSaid).toBe(false);
    clock.advance(20);
    await said;
    clock.advance(20);
    await stream.waitFor((messages) => mediaMessages(messages).length >= 4);
    const payloads = mediaMessages(stream.messages).map((frame) => Buffer.from(frame.payload, 'base64'));
    expect(Buffer.concat(payloads.slice(0, 3))).toEqual(Buffer.concat([speech, Buffer.alloc(80, 0xff)]));
    expect(payloads[3]).toEqual(Buffer.alloc(160, 0xff));
  });

  it('sends one dtmf message per pressed digit on inbound_track', async () => {
    const { stream, caller, streamSid } = await placeStreamingCall();
    await caller.pressDigits('1#');
    await stream.waitFor((messages) => events(messages, 'dtmf').length >= 2);
    expect(events(stream.messages, 'dtmf')).toEqual([
      { event: 'dtmf', streamSid, sequenceNumber: '2', dtmf: { track: 'inbound_track', digit: '1' } },
      { event: 'dtmf', streamSid, sequenceNumber: '3', dtmf: { track: 'inbound_track', digit: '#' } },
    ]);
  });
});

describe('caller twin: playout, marks and clear', () => {
  it('echoes a mark at once when nothing is buffered', async () => {
    const { stream, streamSid } = await placeStreamingCall();
    stream.send({ event: 'mark', streamSid, mark: { name: 'empty' } });
    await stream.waitFor((messages) => events(messages, 'mark').length === 1);
    expect(events(stream.messages, 'mark')).toEqual([{ event: 'mark', sequenceNumber: '2', streamSid, mark: { name: 'empty' } }]);
  });

  it('echoes a mark only when playout reaches it, at 8 bytes per ms', async () => {
    const { stream, clock, caller, streamSid } = await placeStreamingCall();
    stream.send({ event: 'media', streamSid, media: { payload: tone(100).toString('base64') } });
    stream.send({ event: 'mark', streamSid, mark: { name: 'after-audio' } });
    await untilReceived(caller, { media: 1, marks: 1 });
    clock.advance(99);
    await stream.waitFor((messages) => mediaMessages(messages).some((frame) => frame.timestamp === '80'));
    expect(events(stream.messages, 'mark')).toEqual([]);
    clock.advance(1);
    await stream.waitFor((messages) => events(messages, 'mark').length === 1);
    expect(caller.marksEchoed()).toMatchObject([{ name: 'after-audio', wasCleared: false, echoedAtMs: clock.monotonicMs() }]);
    expect(caller.heardAudioMs()).toBe(100);
  });

  it('clear drops buffered audio, echoes pending marks in order, and nothing is heard afterwards', async () => {
    const { stream, clock, caller, streamSid } = await placeStreamingCall();
    stream.send({ event: 'media', streamSid, media: { payload: tone(1000).toString('base64') } });
    stream.send({ event: 'mark', streamSid, mark: { name: 'first' } });
    stream.send({ event: 'media', streamSid, media: { payload: tone(500).toString('base64') } });
    stream.send({ event: 'mark', streamSid, mark: { name: 'second' } });
    await untilReceived(caller, { media: 2, marks: 2 });
    clock.advance(200);
    stream.send({ event: 'clear', streamSid });
    await stream.waitFor((messages) => events(messages, 'mark').length === 2);
    const clearedAtMs = clock.monotonicMs();
    expect(events(stream.messages, 'mark').map((message) => (message.mark as { name: string }).name)).toEqual(['first', 'second']);
    expect(caller.marksEchoed().every((echo) => echo.wasCleared)).toBe(true);
    clock.advance(500);
    expect(caller.heardAudioMs()).toBe(200);
    expect(caller.heardAfterMs(clearedAtMs)).toBe(0);
    expect(caller.heardSegments()).toMatchObject([{ startMs: clearedAtMs - 200, endMs: clearedAtMs, bytes: 1600 }]);
  });

  it('records one 31951 per stream for invalid messages, ignores them and keeps the call alive', async () => {
    const { stream, clock, caller, streamSid } = await placeStreamingCall();
    stream.send({ event: 'media', streamSid, media: { payload: tone(20).toString('base64'), track: 'outbound' } });
    stream.send({ event: 'mark', streamSid: `MZ${'0'.repeat(32)}`, mark: { name: 'wrong-stream' } });
    stream.sendRaw('not json');
    stream.send({ event: 'mark', streamSid, mark: { name: 'still-alive' } });
    await stream.waitFor((messages) => events(messages, 'mark').length === 1);
    expect(caller.invalidMessages()).toHaveLength(1);
    expect(caller.invalidMessages()[0]).toMatchObject({ code: 31951, streamSid });
    expect(caller.invalidMessages()[0]?.message).toContain('extra field media.track');
    expect(caller.timings().mediaReceivedAtMs).toHaveLength(0);
    expect(caller.marksEchoed().map((echo) => echo.name)).toEqual(['still-alive']);
    clock.advance(40);
    await stream.waitFor((messages) => mediaMessages(messages).length >= 3);
    expect(() => caller.assertNoPendingExpectations()).toThrow(/31951/);
    expect(() => caller.assertNoPendingExpectations({ allowWarnings: [31951] })).not.toThrow();
  });
});

describe('caller twin: scripted listening', () => {
  it('barges in within the frame after the requested amount of agent audio was heard', async () => {
    const { stream, clock, caller, streamSid } = await placeStreamingCall();
    stream.send({ event: 'media', streamSid, media: { payload: tone(500).toString('base64') } });
    await untilReceived(caller, { media: 1 });
    const startMs = clock.monotonicMs();
    const speech = Buffer.alloc(320, 0x20);
    const bargeIn = caller.bargeIn(speech, { afterHeardMs: 100 });
    clock.advance(120);
    expect(await bargeIn).toEqual({ startedAtMs: startMs + 100, heardBeforeMs: 100 });
    await stream.waitFor((messages) => mediaMessages(messages).length >= 7);
    const frames = mediaMessages(stream.messages);
    expect(frames[4]?.payload).toBe(Buffer.alloc(160, 0xff).toString('base64'));
    expect(frames[5]?.payload).toBe(speech.subarray(0, 160).toString('base64'));
    expect(caller.heardAudioMs()).toBe(120);
  });

  it('resolves waitForAgentAudio when audio is heard and waitForAgentSilence after the quiet period', async () => {
    const { stream, clock, caller, streamSid } = await placeStreamingCall();
    const heard = caller.waitForAgentAudio({ minMs: 60 });
    stream.send({ event: 'media', streamSid, media: { payload: tone(100).toString('base64') } });
    await untilReceived(caller, { media: 1 });
    clock.advance(60);
    await heard;
    let isQuiet = false;
    const quiet = caller.waitForAgentSilence(300).then(() => (isQuiet = true));
    clock.advance(339);
    await Promise.resolve();
    expect(isQuiet).toBe(false);
    clock.advance(1);
    await quiet;
    caller.assertNoPendingExpectations();
  });
});

describe('caller twin: the end of a stream', () => {
  it('hangs up with stop then close, then posts the signed status callback', async () => {
    const { stream, clock, caller, service, streamSid } = await placeStreamingCall({ call: { statusCallbackUrl: '/twilio/status' } });
    clock.advance(3000);
    const end = await caller.hangUp();
    expect(await stream.closed).toBe(1000);
    expect(stream.messages.at(-1)).toEqual({
      event: 'stop',
      sequenceNumber: String(events(stream.messages, 'media').length + 2),
      stop: { accountSid: TEST_ACCOUNT_SID, callSid: caller.callSid },
      streamSid,
    });
    expect(end).toMatchObject({ reason: 'caller-hung-up', status: 'completed', durationS: 3 });
    const [status] = service.received('/twilio/status');
    expect(status?.isSignatureValid).toBe(true);
    expect(status?.params).toMatchObject({ CallSid: caller.callSid, CallStatus: 'completed', CallDuration: '3', Caller: '+14155550100' });
  });

  it('requests the signed <Connect action> when the service closes the socket and follows its TwiML', async () => {
    const withAction = await placeStreamingCall({ twiml: streamTwiml({ action: `${PUBLIC_URL}/twilio/after-stream` }) });
    withAction.service.answer('/twilio/after-stream', { contentType: 'text/xml', body: '<Response><Say>Goodbye</Say><Hangup/></Response>' });
    withAction.stream.close();
    const end = await withAction.caller.ended;
    expect(end.reason).toBe('twiml-hangup');
    const [action] = withAction.service.received('/twilio/after-stream');
    expect(action?.isSignatureValid).toBe(true);
    expect(action?.params).toMatchObject({ CallSid: withAction.caller.callSid, CallStatus: 'in-progress' });
    expect(withAction.caller.twimlDocuments().map((document) => document.source)).toEqual(['webhook', 'connect-action']);
    expect(withAction.caller.verbs().map((verb) => verb.name)).toEqual(['Connect', 'Say', 'Hangup']);
    expect(withAction.stream.messages.some((message) => message.event === 'stop')).toBe(false);
  });

  it('drops audio still buffered when the service closes the socket', async () => {
    const { stream, clock, caller, streamSid } = await placeStreamingCall();
    stream.send({ event: 'media', streamSid, media: { payload: tone(1000).toString('base64') } });
    await untilReceived(caller, { media: 1 });
    clock.advance(300);
    stream.close();
    const end = await caller.waitForStreamEnd();
    expect(end).toMatchObject({ reason: 'service-closed', droppedMs: 700, streamSid });
    expect(caller.heardAudioMs()).toBe(300);
    expect((await caller.ended).reason).toBe('twiml-finished');
  });
});
