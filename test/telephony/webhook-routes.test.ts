import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { verifyStreamToken, deriveStreamTokenSecret } from '../../src/telephony/stream-token.ts';
import { buildSayHangupTwiml } from '../../src/telephony/twiml.ts';
import type { CallStatusUpdate, DialResult, IncomingCall, RecordingStatusUpdate, StreamStatusUpdate } from '../../src/telephony/webhook-forms.ts';
import {
  registerTwilioWebhooks,
  TWILIO_WEBHOOK_PATHS,
  twilioCallbackUrls,
  type IncomingCallAnswer,
  type TwilioWebhookDeps,
} from '../../src/telephony/webhook-routes.ts';
import { captureLog, type CapturedLog } from '../support/log-capture.ts';
import { ACCOUNT_SID, AUTH_TOKEN, CALL_SID, manualClock, PUBLIC_URL, signForm, START_MS } from './telephony-test-kit.ts';

const SECRET = deriveStreamTokenSecret(AUTH_TOKEN);
const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const inboundForm = Object.fromEntries(
  new URLSearchParams(readFileSync(new URL('../fixtures/twilio/voice-webhook-inbound.form', import.meta.url), 'utf8')),
);

type Calls = {
  incoming: IncomingCall[];
  statuses: CallStatusUpdate[];
  recordings: RecordingStatusUpdate[];
  dials: DialResult[];
  streams: StreamStatusUpdate[];
};

async function buildApp(overrides: Partial<TwilioWebhookDeps> = {}, answer: IncomingCallAnswer = { kind: 'stream', parameters: {}, recording: false }) {
  const capture: CapturedLog = captureLog();
  const calls: Calls = { incoming: [], statuses: [], recordings: [], dials: [], streams: [] };
  const app: FastifyInstance = Fastify();
  onTestFinished(() => app.close());
  await app.register(formbody);
  registerTwilioWebhooks(app, {
    publicUrl: PUBLIC_URL,
    authToken: AUTH_TOKEN,
    streamTokenSecret: SECRET,
    clock: manualClock(),
    log: capture.log,
    onIncomingCall: async (call) => {
      calls.incoming.push(call);
      return answer;
    },
    onCallStatus: async (status) => void calls.statuses.push(status),
    onRecordingStatus: async (recording) => void calls.recordings.push(recording),
    onDialResult: async (result) => {
      calls.dials.push(result);
      return buildSayHangupTwiml('Nobody could take your call.');
    },
    onStreamStatus: async (status) => void calls.streams.push(status),
    ...overrides,
  });
  await app.ready();
  return { app, calls, capture };
}

function post(app: FastifyInstance, path: string, params: Record<string, string>, signature: string | null = signForm(`${PUBLIC_URL}${path}`, params)) {
  return app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
    payload: new URLSearchParams(params).toString(),
  });
}

function tokenIn(twiml: string): string | undefined {
  return /<Parameter name="token" value="([^"]+)"\/>/.exec(twiml)?.[1];
}

describe('POST /twilio/voice', () => {
  it('parses the signed contract form and answers with the Stream TwiML and a token bound to the call', async () => {
    const { app, calls, capture } = await buildApp({}, { kind: 'stream', parameters: { brand: 'pine' }, recording: false });
    const response = await post(app, TWILIO_WEBHOOK_PATHS.voice, inboundForm);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/xml');
    expect(calls.incoming).toEqual([
      {
        callSid: CALL_SID,
        accountSid: ACCOUNT_SID,
        from: '+14155550100',
        callerNumber: '+14155550100',
        to: '+18005550199',
        callStatus: 'ringing',
        direction: 'inbound',
      },
    ]);
    const token = tokenIn(response.body);
    expect(response.body).toBe(
      `${XML}<Response><Connect><Stream url="wss://voice.example.com/twilio/media" statusCallback="https://voice.example.com/twilio/stream-status">` +
        `<Parameter name="brand" value="pine"/><Parameter name="token" value="${token}"/></Stream></Connect></Response>`,
    );
    expect(verifyStreamToken({ secret: SECRET, callSid: CALL_SID, token, nowMs: START_MS }).ok).toBe(true);
    expect(capture.problems()).toEqual([]);
    expect(capture.text()).not.toContain('+14155550100');
  });

  it('starts a recording and sets <Connect action> when app.ts asks for them', async () => {
    const { app } = await buildApp({ onConnectEnded: async () => '' }, { kind: 'stream', parameters: {}, recording: true });
    const response = await post(app, TWILIO_WEBHOOK_PATHS.voice, inboundForm);
    expect(response.body).toContain(
      '<Start><Recording recordingStatusCallback="https://voice.example.com/twilio/recording" recordingStatusCallbackEvent="completed" track="both" channels="dual"/></Start>' +
        '<Connect action="https://voice.example.com/twilio/connect-ended"><Stream url="wss://voice.example.com/twilio/media"',
    );
  });

  it('answers with the TwiML app.ts built when it does not bridge the call', async () => {
    const twiml = buildSayHangupTwiml('We are closed.');
    const { app } = await buildApp({}, { kind: 'twiml', twiml });
    const response = await post(app, TWILIO_WEBHOOK_PATHS.voice, inboundForm);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(twiml);
  });

  it('keeps a withheld caller ID as sent, with no caller number to look up', async () => {
    const { app, calls } = await buildApp();
    await post(app, TWILIO_WEBHOOK_PATHS.voice, { ...inboundForm, From: 'anonymous', Caller: 'anonymous' });
    expect(calls.incoming[0]).toMatchObject({ from: 'anonymous', callerNumber: undefined });
  });

  it('validates against the query string as received', async () => {
    const { app, calls } = await buildApp();
    const path = `${TWILIO_WEBHOOK_PATHS.voice}?brand=pine`;
    const signed = await post(app, path, inboundForm, signForm(`${PUBLIC_URL}${path}`, inboundForm));
    expect(signed.statusCode).toBe(200);
    const withoutQuery = await post(app, path, inboundForm, signForm(`${PUBLIC_URL}${TWILIO_WEBHOOK_PATHS.voice}`, inboundForm));
    expect(withoutQuery.statusCode).toBe(403);
    expect(calls.incoming).toHaveLength(1);
  });

  it.each([
    ['no signature', null],
    ['a signature over other values', signForm(`${PUBLIC_URL}/twilio/voice`, { ...inboundForm, From: '+14155550999' })],
    ['a signature over the known parameters only', signForm(`${PUBLIC_URL}/twilio/voice`, { CallSid: CALL_SID, AccountSid: ACCOUNT_SID })],
    ['a signature over the Host the server sees', signForm('http://localhost:80/twilio/voice', inboundForm)],
  ])('answers 403 with an empty body for %s and never calls app.ts', async (_name, signature) => {
    const { app, calls, capture } = await buildApp();
    const response = await post(app, TWILIO_WEBHOOK_PATHS.voice, inboundForm, signature);
    expect(response.statusCode).toBe(403);
    expect(response.body).toBe('');
    expect(calls.incoming).toEqual([]);
    expect(capture.events('twilio.signature.invalid')).toHaveLength(1);
  });

  it('answers 400 to a signed form that lacks what Twilio always sends', async () => {
    const { app, calls, capture } = await buildApp();
    const { CallSid: _dropped, ...form } = inboundForm;
    const response = await post(app, TWILIO_WEBHOOK_PATHS.voice, form);
    expect(response.statusCode).toBe(400);
    expect(response.body).toBe('');
    expect(calls.incoming).toEqual([]);
    expect(capture.events('twilio.webhook.invalid_form')[0]).toMatchObject({ fields: ['CallSid'] });
  });

  it('answers 500 with no detail when app.ts throws, and logs it', async () => {
    const { app, capture } = await buildApp({
      onIncomingCall: async () => {
        throw new Error('store down');
      },
    });
    const response = await post(app, TWILIO_WEBHOOK_PATHS.voice, inboundForm);
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('');
    expect(capture.events('twilio.webhook.failed')).toHaveLength(1);
  });

  it('refuses a stream answer that tries to set the reserved token parameter', async () => {
    const { app, capture } = await buildApp({}, { kind: 'stream', parameters: { token: 'mine' }, recording: false });
    const response = await post(app, TWILIO_WEBHOOK_PATHS.voice, inboundForm);
    expect(response.statusCode).toBe(500);
    expect(capture.events('twilio.webhook.failed')).toHaveLength(1);
  });
});

describe('status callbacks and TwiML follow-ups', () => {
  it('hands a call status to app.ts with durations as numbers, and answers 204', async () => {
    const { app, calls } = await buildApp();
    const response = await post(app, TWILIO_WEBHOOK_PATHS.status, {
      ...inboundForm,
      CallStatus: 'completed',
      CallDuration: '42',
      RecordingSid: 'RE0123',
      RecordingUrl: 'https://api.twilio.com/rec/RE0123',
      RecordingDuration: '40',
      Timestamp: 'Tue, 24 Nov 2026 10:00:00 +0000',
    });
    expect(response.statusCode).toBe(204);
    expect(calls.statuses).toEqual([
      {
        callSid: CALL_SID,
        accountSid: ACCOUNT_SID,
        callStatus: 'completed',
        callDurationSeconds: 42,
        recordingSid: 'RE0123',
        recordingUrl: 'https://api.twilio.com/rec/RE0123',
        recordingDurationSeconds: 40,
      },
    ]);
  });

  it('hands a recording status to app.ts', async () => {
    const { app, calls } = await buildApp();
    const response = await post(app, TWILIO_WEBHOOK_PATHS.recording, {
      AccountSid: ACCOUNT_SID,
      CallSid: CALL_SID,
      RecordingSid: 'RE0123',
      RecordingUrl: 'https://api.twilio.com/rec/RE0123',
      RecordingStatus: 'completed',
      RecordingDuration: '61',
      RecordingChannels: '2',
      RecordingStartTime: 'Tue, 24 Nov 2026 10:00:00 +0000',
      RecordingTrack: 'both',
      RecordingSource: 'StartCallRecordingTwiML',
    });
    expect(response.statusCode).toBe(204);
    expect(calls.recordings).toEqual([
      {
        callSid: CALL_SID,
        accountSid: ACCOUNT_SID,
        recordingSid: 'RE0123',
        recordingUrl: 'https://api.twilio.com/rec/RE0123',
        recordingStatus: 'completed',
        recordingDurationSeconds: 61,
        recordingChannels: 2,
        recordingStartTime: 'Tue, 24 Nov 2026 10:00:00 +0000',
        recordingTrack: 'both',
      },
    ]);
  });

  it('answers <Dial action> with the TwiML app.ts returns', async () => {
    const { app, calls } = await buildApp();
    const response = await post(app, TWILIO_WEBHOOK_PATHS.dialStatus, {
      ...inboundForm,
      CallStatus: 'in-progress',
      DialCallStatus: 'no-answer',
      DialCallSid: 'CA99',
      DialCallDuration: '0',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(buildSayHangupTwiml('Nobody could take your call.'));
    expect(calls.dials).toEqual([
      { callSid: CALL_SID, accountSid: ACCOUNT_SID, dialCallStatus: 'no-answer', dialCallSid: 'CA99', dialCallDurationSeconds: 0 },
    ]);
  });

  it('rejects a DialCallStatus Twilio does not document', async () => {
    const { app, calls } = await buildApp();
    const response = await post(app, TWILIO_WEBHOOK_PATHS.dialStatus, { ...inboundForm, DialCallStatus: 'maybe' });
    expect(response.statusCode).toBe(400);
    expect(calls.dials).toEqual([]);
  });

  it('logs stream-error at warn, since it is the only sign of a failed handshake', async () => {
    const { app, calls, capture } = await buildApp();
    const form = {
      AccountSid: ACCOUNT_SID,
      CallSid: CALL_SID,
      StreamSid: 'MZ01',
      StreamName: 'MZ01',
      StreamEvent: 'stream-error',
      StreamError: 'Handshake Error',
      Timestamp: '2026-11-24T10:00:00Z',
    };
    const response = await post(app, TWILIO_WEBHOOK_PATHS.streamStatus, form);
    expect(response.statusCode).toBe(204);
    expect(calls.streams).toEqual([
      {
        callSid: CALL_SID,
        accountSid: ACCOUNT_SID,
        streamSid: 'MZ01',
        streamName: 'MZ01',
        streamEvent: 'stream-error',
        streamError: 'Handshake Error',
        timestamp: '2026-11-24T10:00:00Z',
      },
    ]);
    expect(capture.events('twilio.stream.error')).toMatchObject([{ level: 40, streamError: 'Handshake Error' }]);
  });

  it.each([TWILIO_WEBHOOK_PATHS.connectEnded, TWILIO_WEBHOOK_PATHS.voicemailDone])('hangs up at %s when app.ts has nothing to add', async (path) => {
    const { app } = await buildApp();
    const response = await post(app, path, { ...inboundForm, CallStatus: 'in-progress' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(`${XML}<Response><Hangup/></Response>`);
  });

  it('lets app.ts answer <Connect action> once the stream has ended', async () => {
    const transfer = buildSayHangupTwiml('Transferring.');
    const { app } = await buildApp({ onConnectEnded: async (ended) => (ended.callSid === CALL_SID ? transfer : '') });
    const response = await post(app, TWILIO_WEBHOOK_PATHS.connectEnded, { ...inboundForm, CallStatus: 'in-progress' });
    expect(response.body).toBe(transfer);
  });

  it.each(Object.values(TWILIO_WEBHOOK_PATHS))('refuses an unsigned POST to %s with 403', async (path) => {
    const { app } = await buildApp();
    const response = await post(app, path, inboundForm, 'bm90IGEgc2lnbmF0dXJl');
    expect(response.statusCode).toBe(403);
    expect(response.body).toBe('');
  });

  it('gives app.ts absolute callback URLs under PUBLIC_URL', () => {
    expect(twilioCallbackUrls('https://voice.example.com/')).toEqual({
      voice: 'https://voice.example.com/twilio/voice',
      status: 'https://voice.example.com/twilio/status',
      recording: 'https://voice.example.com/twilio/recording',
      dialStatus: 'https://voice.example.com/twilio/dial-status',
      streamStatus: 'https://voice.example.com/twilio/stream-status',
      connectEnded: 'https://voice.example.com/twilio/connect-ended',
      voicemailDone: 'https://voice.example.com/twilio/voicemail-done',
    });
  });

  it('refuses to register without @fastify/formbody', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    expect(() =>
      registerTwilioWebhooks(app, {
        publicUrl: PUBLIC_URL,
        authToken: AUTH_TOKEN,
        streamTokenSecret: SECRET,
        clock: manualClock(),
        log: captureLog().log,
        onIncomingCall: async () => ({ kind: 'twiml', twiml: '' }),
        onCallStatus: async () => {},
        onRecordingStatus: async () => {},
        onDialResult: async () => '',
      }),
    ).toThrow(/formbody/);
  });
});
