import { describe, expect, it } from 'vitest';
import { PUBLIC_URL, STREAM_URL, streamTwiml, xml } from './support/fake-service.ts';
import { placeStreamingCall, setUpTwin } from './support/twin-setup.ts';

describe('caller twin: reading the TwiML answer', () => {
  it('records a non-stream answer as the call outcome and simulates the dial (no-answer by default)', async () => {
    const { service, twin, clock } = await setUpTwin();
    service.answer('/twilio/voice', xml('<Response><Say>We are closed.</Say><Dial action="/twilio/dial-status" callerId="+18005550199">+14155550123</Dial></Response>'));
    service.answer('/twilio/dial-status', xml('<Response><Say>Nobody answered.</Say><Hangup/></Response>'));
    const caller = await twin.placeCall();
    expect(caller.verbs().map((verb) => verb.name)).toEqual(['Say', 'Dial']);
    clock.advance(50);
    const end = await caller.ended;
    expect(end.reason).toBe('twiml-hangup');
    const [dialAction] = service.received('/twilio/dial-status');
    expect(dialAction?.isSignatureValid).toBe(true);
    expect(dialAction?.params).toMatchObject({ DialCallStatus: 'no-answer', CallStatus: 'in-progress' });
    expect(dialAction?.params.DialCallSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(caller.dials()).toMatchObject([{ targets: [{ kind: 'number', value: '+14155550123' }], callerId: '+18005550199', dialCallStatus: 'no-answer' }]);
    expect(caller.twimlDocuments().map((document) => document.source)).toEqual(['webhook', 'dial-action']);
    expect(service.stats().upgrades).toBe(0);
  });

  it('reports an answered dial as completed with its duration', async () => {
    const { service, twin, clock } = await setUpTwin();
    service.answer('/twilio/voice', xml('<Response><Dial action="/twilio/dial-status"><Number>+14155550123</Number></Dial></Response>'));
    service.answer('/twilio/dial-status', xml('<Response/>'));
    const caller = await twin.placeCall({ dial: { outcome: 'answered', ringMs: 10, talkMs: 1500 } });
    clock.advance(1510);
    expect((await caller.ended).reason).toBe('twiml-finished');
    expect(service.received('/twilio/dial-status')[0]?.params).toMatchObject({ DialCallStatus: 'completed', DialCallDuration: '2' });
  });

  it('warns about verbs after </Connect>, which the caller hears as dead air', async () => {
    const { caller } = await placeStreamingCall({ twiml: streamTwiml({ after: '<Pause length="5"/>' }) });
    expect(caller.warnings()).toMatchObject([{ code: 'twiml.after-connect', message: 'verbs after </Connect>: Pause' }]);
  });

  it('notes <Start><Recording> before <Connect> as a TwiML recording', async () => {
    const before = '<Start><Recording recordingStatusCallback="/twilio/recording" channels="dual" track="both"/></Start>';
    const { caller } = await placeStreamingCall({ twiml: streamTwiml({ before }) });
    expect(caller.recordings()).toMatchObject([{ channels: 'dual', track: 'both', source: 'StartCallRecordingTwiML', status: 'in-progress' }]);
    expect(caller.recordings()[0]?.sid).toMatch(/^RE[0-9a-f]{32}$/);
  });

  it.each([
    ['a query string on the stream url', streamTwiml({ url: `${STREAM_URL}?token=abc` }), 'twiml.stream-query'],
    ['a ws:// url on a public host', streamTwiml({ url: 'ws://bridge.example.test/twilio/media' }), 'twiml.stream-protocol'],
  ])('refuses to open a stream with %s', async (_name, twiml, code) => {
    const { service, twin } = await setUpTwin();
    service.answer('/twilio/voice', xml(twiml));
    const caller = await twin.placeCall();
    expect((await caller.ended).reason).toBe('twiml-finished');
    expect(caller.warnings().map((warning) => warning.code)).toContain(code);
    expect(service.stats().upgrades).toBe(0);
  });

  it.each([
    ['text/plain', { contentType: 'text/plain', body: '<Response/>' }, 12300],
    ['malformed XML', { contentType: 'text/xml', body: '<Response><Connect></Response>' }, 12100],
    ['a 500 answer', { status: 500, contentType: 'text/xml', body: '<Response/>' }, 11200],
  ])('fails the call on %s', async (_name, answer, code) => {
    const { service, twin } = await setUpTwin();
    service.answer('/twilio/voice', answer);
    const caller = await twin.placeCall();
    expect(await caller.ended).toMatchObject({ reason: 'application-error', error: { code } });
  });

  it('reports 31920 when the upgrade is answered with something other than 101', async () => {
    const { service, twin } = await setUpTwin();
    service.answer('/twilio/voice', xml(streamTwiml()));
    service.refuseUpgrades(403);
    const caller = await twin.placeCall();
    expect((await caller.ended).reason).toBe('twiml-finished');
    expect(caller.warnings()).toMatchObject([{ code: 31920, message: 'handshake answered HTTP 403, not 101' }]);
  });

  it('posts stream status callbacks when the <Stream> asks for them', async () => {
    const twiml = streamTwiml().replace('<Stream ', `<Stream statusCallback="${PUBLIC_URL}/twilio/stream-status" `);
    const { service, caller, streamSid } = await placeStreamingCall({ twiml });
    const [started] = await service.waitForHttp('/twilio/stream-status');
    expect(started?.isSignatureValid).toBe(true);
    expect(started?.params).toMatchObject({ StreamSid: streamSid, StreamName: streamSid, StreamEvent: 'stream-started', CallSid: caller.callSid });
    await caller.hangUp();
    const stopped = await service.waitForHttp('/twilio/stream-status', 2);
    expect(stopped[1]?.params.StreamEvent).toBe('stream-stopped');
  });
});
