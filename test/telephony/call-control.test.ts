import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCallControl } from '../../src/telephony/call-control.ts';
import { CALL_CONTROL_ERRORS, CallControlErrorCode } from '../../src/telephony/errors.ts';
import { buildTransferTwiml } from '../../src/telephony/twiml.ts';
import { captureLog } from '../support/log-capture.ts';
import { ACCOUNT_SID, AUTH_TOKEN, CALL_SID, manualClock } from './telephony-test-kit.ts';

type Seen = { method: string; url: string; authorization: string | undefined; contentType: string | undefined; form: Record<string, string> };
type Reply = { status: number; body: unknown };

/**
 * A few lines of Twilio REST, enough to see what the SDK sends through our HTTP client. The full twin lives in
 * src/twins/twilio; this test must not depend on it.
 */
async function fakeTwilioApi(answer: (seen: Seen) => Reply | 'hold' = () => ({ status: 200, body: { sid: CALL_SID, status: 'in-progress' } })) {
  const seen: Seen[] = [];
  const held: ServerResponse[] = [];
  let onRequest: () => void = () => {};
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      const entry: Seen = {
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        form: Object.fromEntries(new URLSearchParams(raw)),
      };
      seen.push(entry);
      onRequest();
      const reply = answer(entry);
      if (reply === 'hold') {
        held.push(response);
        return;
      }
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    seen,
    nextRequest: () => new Promise<void>((resolve) => (onRequest = resolve)),
  };
}

const BASIC = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
const CALL_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${CALL_SID}.json`;

function control(apiBaseUrl: string, extra: { timeoutMs?: number; clock?: ReturnType<typeof manualClock> } = {}) {
  const capture = captureLog();
  return { capture, calls: createCallControl({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl, log: capture.log, ...extra }) };
}

describe('createCallControl', () => {
  it('redirects a live call by POSTing its TwiML to the Calls resource with Basic auth', async () => {
    const api = await fakeTwilioApi();
    const { calls, capture } = control(api.baseUrl);
    const twiml = buildTransferTwiml({
      say: 'Connecting you to a specialist.',
      number: '+14155550123',
      callerId: '+15005550006',
      timeoutSeconds: 20,
      actionUrl: 'https://voice.example.com/twilio/dial-status',
    });
    expect(await calls.redirect(CALL_SID, twiml)).toEqual({ ok: true, value: undefined });
    expect(api.seen).toEqual([
      { method: 'POST', url: CALL_PATH, authorization: BASIC, contentType: 'application/x-www-form-urlencoded', form: { Twiml: twiml } },
    ]);
    expect(capture.problems()).toEqual([]);
  });

  it('hangs up with Status=completed', async () => {
    const api = await fakeTwilioApi(() => ({ status: 200, body: { sid: CALL_SID, status: 'completed' } }));
    const { calls } = control(api.baseUrl);
    expect((await calls.hangUp(CALL_SID)).ok).toBe(true);
    expect(api.seen).toMatchObject([{ method: 'POST', url: CALL_PATH, authorization: BASIC, form: { Status: 'completed' } }]);
  });

  it('sends an SMS through Messages.json with To, From and Body, and returns its sid', async () => {
    const api = await fakeTwilioApi(() => ({ status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } }));
    const { calls, capture } = control(api.baseUrl);
    const sent = await calls.sendSms({ to: '+14155550100', from: '+18005550199', body: 'Your order #1001 shipped.' });
    expect(sent).toEqual({ ok: true, value: { sid: 'SM0123456789abcdef0123456789abcdef' } });
    expect(api.seen).toEqual([
      {
        method: 'POST',
        url: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
        authorization: BASIC,
        contentType: 'application/x-www-form-urlencoded',
        form: { To: '+14155550100', From: '+18005550199', Body: 'Your order #1001 shipped.' },
      },
    ]);
    expect(capture.text()).not.toContain('+14155550100');
    expect(capture.text()).not.toContain('#1001');
  });

  it('keeps a path prefix on the configured API base URL', async () => {
    const api = await fakeTwilioApi();
    const { calls } = control(`${api.baseUrl}/twin/`);
    await calls.hangUp(CALL_SID);
    expect(api.seen[0]?.url).toBe(`/twin${CALL_PATH}`);
  });

  it.each([
    ['hangUp', 404, { code: 20404, message: 'The requested resource was not found', status: 404 }, 'already_ended'],
    ['redirect', 400, { code: 21220, message: 'Call is not in-progress. Cannot redirect.', status: 400 }, 'already_ended'],
    ['redirect', 400, { message: 'Call is not in-progress', status: 400 }, 'already_ended'],
    ['hangUp', 401, { code: 20003, message: 'Authenticate', status: 401 }, 'unauthorized'],
    ['hangUp', 429, { code: 20429, message: 'Too Many Requests', status: 429 }, 'rate_limited'],
    ['redirect', 503, { message: 'Service Unavailable', status: 503 }, 'unavailable'],
    ['redirect', 502, 'not json at all', 'unavailable'],
    ['redirect', 400, { code: 21206, message: 'Invalid TwiML', status: 400 }, 'invalid_request'],
    ['sendSms', 404, { code: 20404, message: 'The requested resource was not found', status: 404 }, 'not_found'],
    ['sendSms', 400, { code: 21211, message: "The 'To' number +14155550100 is not a valid phone number.", status: 400 }, 'invalid_request'],
  ])('maps %s answered HTTP %i %j to %s, keeping the cause', async (operation, status, body, code) => {
    const api = await fakeTwilioApi(() => ({ status, body }));
    const { calls, capture } = control(api.baseUrl);
    const result =
      operation === 'hangUp'
        ? await calls.hangUp(CALL_SID)
        : operation === 'redirect'
          ? await calls.redirect(CALL_SID, '<Response><Hangup/></Response>')
          : await calls.sendSms({ to: '+14155550100', from: '+18005550199', body: 'hi' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.httpStatus).toBe(status);
    expect(result.error.cause).toBeInstanceOf(Error);
    if (typeof body === 'object' && 'code' in body) expect(result.error.twilioCode).toBe(body.code);
    expect(result.error.message).not.toContain('+14155550100');
    expect(capture.events('twilio.call_control.failed')).toMatchObject([{ code, level: code === 'already_ended' ? 30 : 40 }]);
  });

  it('answers unavailable when nothing listens at the API URL', async () => {
    const api = await fakeTwilioApi();
    const { calls } = control('http://127.0.0.1:1');
    const result = await calls.hangUp(CALL_SID);
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(api.seen).toEqual([]);
  });

  it('gives up after its timeout on the injected clock and answers unavailable', async () => {
    const api = await fakeTwilioApi(() => 'hold');
    const clock = manualClock();
    const { calls } = control(api.baseUrl, { timeoutMs: 5000, clock });
    const arrived = api.nextRequest();
    const pending = calls.hangUp(CALL_SID);
    await arrived;
    clock.advance(5000);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuses TwiML over 4000 characters without calling Twilio', async () => {
    const api = await fakeTwilioApi();
    const { calls } = control(api.baseUrl);
    const result = await calls.redirect(CALL_SID, `<Response><Say>${'a'.repeat(4000)}</Say></Response>`);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(api.seen).toEqual([]);
  });

  it('documents every error code in the catalog', () => {
    expect(Object.keys(CALL_CONTROL_ERRORS).sort()).toEqual(Object.values(CallControlErrorCode).sort());
  });
});
