import twilio from 'twilio';
import { describe, expect, it, vi } from 'vitest';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, xml } from './support/fake-service.ts';
import { events, placeStreamingCall, setUpTwin } from './support/twin-setup.ts';

const basicAuth = `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}`;

async function post(url: string, path: string, form: Record<string, string>, authorization: string | null = basicAuth) {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization === null ? {} : { authorization }) },
    body: new URLSearchParams(form),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const callPath = (callSid: string): string => `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Calls/${callSid}.json`;
const unknownCallSid = `CA${'f'.repeat(32)}`;

describe('REST twin: authentication and errors', () => {
  it('rejects a request without Basic auth with Twilio error 20003', async () => {
    const { twin } = await setUpTwin();
    const response = await post(twin.rest.url, callPath(unknownCallSid), { Status: 'completed' }, null);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    expect(response.headers.get('www-authenticate')).toContain('Basic');
  });

  it('rejects a wrong auth token', async () => {
    const { twin } = await setUpTwin();
    const wrong = `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:not-the-token`).toString('base64')}`;
    expect((await post(twin.rest.url, callPath(unknownCallSid), {}, wrong)).status).toBe(401);
    expect(twin.rest.requests()).toMatchObject([{ isAuthorized: false, status: 401 }]);
  });

  it('answers 404 with code 20404 for an unknown call', async () => {
    const { twin } = await setUpTwin();
    const response = await post(twin.rest.url, callPath(unknownCallSid), { Twiml: '<Response/>' });
    expect(response).toMatchObject({ status: 404, body: { code: 20404, status: 404 } });
  });

  it.each([
    ['Twiml and Url together', { Twiml: '<Response/>', Url: 'https://bridge.example.test/x' }, 20001],
    ['Twiml over 4000 characters', { Twiml: `<Response><Say>${'a'.repeat(4000)}</Say></Response>` }, 20001],
    ['malformed Twiml', { Twiml: '<Response><Say>unclosed</Response>' }, 12100],
    ['an unknown Status', { Status: 'hangup' }, 20001],
    ['a relative Url', { Url: '/twilio/elsewhere' }, 21205],
  ])('answers 400 for %s', async (_name, form, code) => {
    const { twin, caller } = await placeStreamingCall();
    const response = await post(twin.rest.url, callPath(caller.callSid), form);
    expect(response).toMatchObject({ status: 400, body: { code, status: 400 } });
    expect(caller.status()).toBe('in-progress');
  });

  it('fails the next requests as injected, with Retry-After on 429', async () => {
    const { twin } = await setUpTwin();
    twin.rest.failNext(1, { status: 429, retryAfterS: 2 });
    twin.rest.failNext(1, { status: 503 });
    const throttled = await post(twin.rest.url, callPath(unknownCallSid), {});
    expect(throttled).toMatchObject({ status: 429, body: { code: 20429 } });
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect((await post(twin.rest.url, callPath(unknownCallSid), {})).status).toBe(503);
    expect((await post(twin.rest.url, callPath(unknownCallSid), {})).status).toBe(404);
  });
});

describe('REST twin: controlling a live call', () => {
  it('redirecting with Twiml ends the stream with stop and records the new TwiML', async () => {
    const { twin, caller, stream, streamSid } = await placeStreamingCall();
    const twiml = '<Response><Say>Connecting you.</Say><Hangup/></Response>';
    const response = await post(twin.rest.url, callPath(caller.callSid), { Twiml: twiml });
    expect(response).toMatchObject({ status: 200, body: { sid: caller.callSid, status: 'in-progress', account_sid: TEST_ACCOUNT_SID } });
    expect(await stream.closed).toBe(1000);
    expect(events(stream.messages, 'stop')).toMatchObject([{ streamSid, stop: { callSid: caller.callSid } }]);
    expect((await caller.ended).reason).toBe('twiml-hangup');
    expect(caller.twimlDocuments().at(-1)).toMatchObject({ source: 'rest-twiml', twiml });
    expect(twin.rest.updates(caller.callSid)).toMatchObject([{ params: { Twiml: twiml }, status: 200 }]);
  });

  it('redirecting with Url fetches the new TwiML with a signed request', async () => {
    const { twin, caller, stream, service } = await placeStreamingCall();
    service.answer('/twilio/transfer', xml('<Response><Hangup/></Response>'));
    await post(twin.rest.url, callPath(caller.callSid), { Url: 'https://bridge.example.test/twilio/transfer' });
    await stream.closed;
    expect((await caller.ended).reason).toBe('twiml-hangup');
    const [fetched] = service.received('/twilio/transfer');
    expect(fetched?.isSignatureValid).toBe(true);
    expect(fetched?.params).toMatchObject({ CallSid: caller.callSid, CallStatus: 'in-progress' });
    expect(caller.twimlDocuments().map((document) => document.source)).toEqual(['webhook', 'rest-url']);
  });

  it('simulates the dial of a redirect and follows the TwiML its action returns', async () => {
    const { twin, caller, service, clock } = await placeStreamingCall();
    service.answer('/twilio/dial-status', xml('<Response><Say>Sorry, nobody is free.</Say></Response>'));
    caller.scriptDial({ outcome: 'busy', ringMs: 30 });
    const twiml = '<Response><Dial action="https://bridge.example.test/twilio/dial-status">+14155550123</Dial></Response>';
    await post(twin.rest.url, callPath(caller.callSid), { Twiml: twiml });
    await caller.waitForStreamEnd();
    await vi.waitFor(() => expect(caller.verbs().map((verb) => verb.name)).toContain('Dial'), { interval: 2 });
    clock.advance(30);
    const [dialAction] = await service.waitForHttp('/twilio/dial-status');
    expect(dialAction?.params.DialCallStatus).toBe('busy');
    expect(dialAction?.isSignatureValid).toBe(true);
    expect((await caller.ended).reason).toBe('twiml-finished');
    expect(caller.verbs().map((verb) => verb.name)).toEqual(['Connect', 'Dial', 'Say']);
  });

  it('Status=completed hangs the caller up, and a later update gets Twilio error 21220', async () => {
    const { twin, caller, stream } = await placeStreamingCall();
    const response = await post(twin.rest.url, callPath(caller.callSid), { Status: 'completed' });
    expect(response.body.status).toBe('completed');
    await stream.closed;
    expect(stream.messages.at(-1)?.event).toBe('stop');
    expect(await caller.ended).toMatchObject({ reason: 'rest-completed', status: 'completed' });
    const late = await post(twin.rest.url, callPath(caller.callSid), { Twiml: '<Response/>' });
    expect(late).toMatchObject({ status: 400, body: { code: 21220 } });
    expect(twin.rest.calls()).toMatchObject([{ sid: caller.callSid, status: 'completed' }]);
  });

  it('starts a recording on a live call', async () => {
    const { twin, caller } = await placeStreamingCall();
    const path = `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Calls/${caller.callSid}/Recordings.json`;
    const response = await post(twin.rest.url, path, { RecordingChannels: 'dual', RecordingStatusCallback: 'https://bridge.example.test/twilio/recording' });
    expect(response).toMatchObject({ status: 201, body: { call_sid: caller.callSid, channels: 2, status: 'in-progress', source: 'StartCallRecordingAPI' } });
    expect(String(response.body.sid)).toMatch(/^RE[0-9a-f]{32}$/);
    expect((await post(twin.rest.url, path, { RecordingChannels: 'stereo' })).status).toBe(400);
  });
});

describe('REST twin: messages', () => {
  const messagesPath = `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`;

  it('creates a Message resource for a valid SMS', async () => {
    const { twin } = await setUpTwin();
    const response = await post(twin.rest.url, messagesPath, { To: '+14155550100', From: '+18005550199', Body: 'Your order shipped.' });
    expect(response).toMatchObject({ status: 201, body: { to: '+14155550100', from: '+18005550199', body: 'Your order shipped.', status: 'queued', direction: 'outbound-api' } });
    expect(String(response.body.sid)).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twin.rest.messages()).toMatchObject([{ to: '+14155550100', body: 'Your order shipped.' }]);
  });

  it.each([
    ['no To', { From: '+18005550199', Body: 'hi' }, 21604],
    ['no From', { To: '+14155550100', Body: 'hi' }, 21603],
    ['no Body', { To: '+14155550100', From: '+18005550199' }, 21602],
    ['a To that is not E.164', { To: '415-555-0100', From: '+18005550199', Body: 'hi' }, 21211],
  ])('rejects a message with %s', async (_name, form, code) => {
    const { twin } = await setUpTwin();
    expect(await post(twin.rest.url, messagesPath, form)).toMatchObject({ status: 400, body: { code } });
    expect(twin.rest.messages()).toEqual([]);
  });
});

describe('REST twin: the official twilio client', () => {
  it('works through a custom httpClient pointed at the twin', async () => {
    const { twin, caller, stream } = await placeStreamingCall();
    const httpClient = {
      async request(options: { method: string; uri: string; username?: string; password?: string; headers?: Record<string, string>; data?: Record<string, unknown> }) {
        const target = new URL(options.uri);
        const form = new URLSearchParams();
        for (const [name, value] of Object.entries(options.data ?? {})) if (value !== undefined) form.append(name, String(value));
        const response = await fetch(twin.rest.url + target.pathname, {
          method: options.method.toUpperCase(),
          headers: { ...options.headers, authorization: `Basic ${Buffer.from(`${options.username ?? ''}:${options.password ?? ''}`).toString('base64')}` },
          ...(options.method.toUpperCase() === 'GET' ? {} : { body: form }),
        });
        return { statusCode: response.status, body: await response.text(), headers: Object.fromEntries(response.headers) };
      },
    };
    const client = twilio(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, { httpClient: httpClient as never });
    const message = await client.messages.create({ to: '+14155550100', from: '+18005550199', body: 'Hello' });
    expect(message.sid).toMatch(/^SM/);
    const updated = await client.calls(caller.callSid).update({ twiml: '<Response><Hangup/></Response>' });
    expect(updated.sid).toBe(caller.callSid);
    await stream.closed;
    expect((await caller.ended).reason).toBe('twiml-hangup');
    const denied = twilio(TEST_ACCOUNT_SID, 'wrong-token', { httpClient: httpClient as never });
    await expect(denied.calls(caller.callSid).fetch()).rejects.toMatchObject({ status: 401, code: 20003 });
  });
});
