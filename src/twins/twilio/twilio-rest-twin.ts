// A loopback stand-in for the Twilio REST API subset the bridge calls (twilio-and-shopify.md, A4): update a call
// (Twiml | Url | Status), start a recording, send an SMS. Strict about auth and parameters; it never runs TwiML
// itself but hands redirects and hang-ups to the caller twin through the shared registry.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { assertNever } from '../../shared/assert-never.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { twilioSid } from './call-params.ts';
import type { CallRegistry, RecordingRequest } from './call-registry.ts';
import { callResource, messageResource, recordingResource, twilioError, type MessageRecord } from './rest-resources.ts';
import { parseTwiml } from './twiml-document.ts';

export type TwilioRestTwinOptions = { accountSid: string; authToken: string; registry: CallRegistry; clock?: Clock };

export type RestRequestRecord = {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly isAuthorized: boolean;
  readonly status: number;
  readonly atMs: number;
};

export type CallUpdateRecord = { readonly callSid: string; readonly params: Readonly<Record<string, string>>; readonly status: number; readonly atMs: number };

export type InjectedFault = { status: 429 | 500 | 503; retryAfterS?: number };

export type TwilioRestTwin = {
  /** `http://127.0.0.1:PORT`: point the REST client's origin here instead of https://api.twilio.com. */
  readonly url: string;
  /** Every call the registry knows, as Twilio Call resources. */
  calls(): Record<string, unknown>[];
  updates(callSid?: string): readonly CallUpdateRecord[];
  messages(): readonly MessageRecord[];
  requests(): readonly RestRequestRecord[];
  /** The next `count` authorized requests fail with this status (429 carries Retry-After when given). */
  failNext(count: number, fault: InjectedFault): void;
  close(): Promise<void>;
};

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const ACCOUNT = 'AC[0-9a-f]{32}';
const CALL = 'CA[0-9a-f]{32}';
const CALL_PATH = new RegExp(`^/2010-04-01/Accounts/(${ACCOUNT})/Calls/(${CALL})\\.json$`);
const RECORDINGS_PATH = new RegExp(`^/2010-04-01/Accounts/(${ACCOUNT})/Calls/(${CALL})/Recordings\\.json$`);
const MESSAGES_PATH = new RegExp(`^/2010-04-01/Accounts/(${ACCOUNT})/Messages\\.json$`);
const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_TWIML_CHARACTERS = 4000;
const MAX_BODY_BYTES = 256 * 1024;
const LIVE_STATUSES = new Set(['queued', 'ringing', 'in-progress']);

export async function startTwilioRestTwin(options: TwilioRestTwinOptions): Promise<TwilioRestTwin> {
  const clock = options.clock ?? systemClock;
  const requests: RestRequestRecord[] = [];
  const updates: CallUpdateRecord[] = [];
  const messages: MessageRecord[] = [];
  const faults: InjectedFault[] = [];

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const body = await readBody(request);
    const params = isForm(request) ? Object.fromEntries(new URLSearchParams(body)) : {};
    const isAuthorized = checkBasicAuth(request.headers.authorization, options.accountSid, options.authToken);
    const reply = isAuthorized ? route(request.method ?? 'GET', path, params) : unauthorized();
    requests.push({ method: request.method ?? 'GET', path, params, isAuthorized, status: reply.status, atMs: clock.monotonicMs() });
    const callMatch = CALL_PATH.exec(path);
    if (callMatch?.[2] && request.method === 'POST') updates.push({ callSid: callMatch[2], params, status: reply.status, atMs: clock.monotonicMs() });
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(JSON.stringify(reply.body));
  }

  function route(method: string, path: string, params: Record<string, string>): Reply {
    const fault = faults.shift();
    if (fault) return injected(fault);
    const callMatch = CALL_PATH.exec(path);
    if (callMatch?.[1] && callMatch[2] && (method === 'POST' || method === 'GET')) {
      if (callMatch[1] !== options.accountSid) return notFound(path);
      return method === 'POST' ? updateCall(callMatch[2], path, params) : fetchCall(callMatch[2], path);
    }
    const recordingMatch = RECORDINGS_PATH.exec(path);
    if (recordingMatch?.[1] && recordingMatch[2] && method === 'POST') {
      if (recordingMatch[1] !== options.accountSid) return notFound(path);
      return createRecording(recordingMatch[2], path, params);
    }
    const messageMatch = MESSAGES_PATH.exec(path);
    if (messageMatch?.[1] && method === 'POST') {
      if (messageMatch[1] !== options.accountSid) return notFound(path);
      return createMessage(params);
    }
    return notFound(path);
  }

  function fetchCall(callSid: string, path: string): Reply {
    const call = options.registry.get(callSid);
    return call ? { status: 200, body: callResource(call.snapshot()) } : notFound(path);
  }

  function updateCall(callSid: string, path: string, params: Record<string, string>): Reply {
    const call = options.registry.get(callSid);
    if (!call) return notFound(path);
    const { Twiml: twiml, Url: url, Status: status } = params;
    const method = (params.Method ?? 'POST').toUpperCase();
    if (twiml !== undefined && url !== undefined) return badRequest(20001, 'Twiml and Url parameters are mutually exclusive');
    if (status !== undefined && status !== 'completed' && status !== 'canceled') return badRequest(20001, `Status must be one of canceled, completed: ${status}`);
    if (method !== 'GET' && method !== 'POST') return badRequest(20001, `Method must be GET or POST: ${method}`);
    if (twiml !== undefined && twiml.length > MAX_TWIML_CHARACTERS) return badRequest(20001, `Twiml exceeds ${MAX_TWIML_CHARACTERS} characters`);
    if (url !== undefined && !/^https?:\/\//.test(url)) return badRequest(21205, `Url is not a valid URL: ${url}`);
    if (twiml !== undefined) {
      const parsed = parseTwiml(twiml);
      if (!parsed.ok) return badRequest(12100, `Document parse failure: ${parsed.error}`);
    }
    const snapshot = call.snapshot();
    if (!LIVE_STATUSES.has(snapshot.status)) {
      return badRequest(21220, status === undefined ? 'Call is not in-progress. Cannot redirect.' : 'Call is not in-progress. Cannot update status.');
    }
    if (status === 'completed' || (status === 'canceled' && snapshot.status !== 'in-progress')) {
      call.completeByRest();
      return { status: 200, body: callResource(snapshot, { status: status === 'canceled' ? 'canceled' : 'completed' }) };
    }
    if (twiml !== undefined) call.redirect({ kind: 'twiml', twiml });
    else if (url !== undefined) call.redirect({ kind: 'url', url, method: method === 'GET' ? 'GET' : 'POST' });
    return { status: 200, body: callResource(call.snapshot()) };
  }

  function createRecording(callSid: string, path: string, params: Record<string, string>): Reply {
    const call = options.registry.get(callSid);
    if (!call) return notFound(path);
    if (call.snapshot().status !== 'in-progress') return badRequest(21220, 'Call is not in-progress. Cannot start a recording.');
    const channels = params.RecordingChannels ?? 'mono';
    const track = params.RecordingTrack ?? 'both';
    const trim = params.Trim ?? 'do-not-trim';
    const callbackMethod = (params.RecordingStatusCallbackMethod ?? 'POST').toUpperCase();
    if (channels !== 'mono' && channels !== 'dual') return badRequest(20001, `RecordingChannels must be mono or dual: ${channels}`);
    if (track !== 'inbound' && track !== 'outbound' && track !== 'both') return badRequest(20001, `RecordingTrack must be inbound, outbound or both: ${track}`);
    if (trim !== 'trim-silence' && trim !== 'do-not-trim') return badRequest(20001, `Trim must be trim-silence or do-not-trim: ${trim}`);
    if (callbackMethod !== 'GET' && callbackMethod !== 'POST') return badRequest(20001, `RecordingStatusCallbackMethod must be GET or POST`);
    const request: RecordingRequest = {
      channels,
      track,
      trim,
      statusCallback: params.RecordingStatusCallback,
      statusCallbackMethod: callbackMethod,
      source: 'StartCallRecordingAPI',
    };
    return { status: 201, body: recordingResource(call.startRecording(request), options.accountSid) };
  }

  function createMessage(params: Record<string, string>): Reply {
    const { To: to, From: from, Body: body } = params;
    if (to === undefined || to === '') return badRequest(21604, "A 'To' phone number is required.");
    if ((from === undefined || from === '') && params.MessagingServiceSid === undefined) return badRequest(21603, "A 'From' phone number is required.");
    if ((body === undefined || body === '') && params.MediaUrl === undefined) return badRequest(21602, 'Message body is required.');
    if (!E164.test(to)) return badRequest(21211, `Invalid 'To' Phone Number: ${to}`);
    if ((body ?? '').length > 1600) return badRequest(21617, 'The concatenated message body exceeds the 1600 character limit.');
    const message: MessageRecord = {
      sid: twilioSid('SM'),
      accountSid: options.accountSid,
      to,
      from: from ?? '',
      body: body ?? '',
      createdAtMs: clock.now(),
      params,
    };
    messages.push(message);
    return { status: 201, body: messageResource(message) };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => options.registry.list().map((call) => callResource(call.snapshot())),
    updates: (callSid) => (callSid === undefined ? updates : updates.filter((update) => update.callSid === callSid)),
    messages: () => messages,
    requests: () => requests,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function checkBasicAuth(header: string | undefined, accountSid: string, authToken: string): boolean {
  if (header === undefined || !header.startsWith('Basic ')) return false;
  const presented = Buffer.from(header.slice(6), 'base64');
  const expected = Buffer.from(`${accountSid}:${authToken}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function isForm(request: IncomingMessage): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function unauthorized(): Reply {
  return { status: 401, body: twilioError(401, 20003, 'Authenticate'), headers: { 'www-authenticate': 'Basic realm="Twilio API"' } };
}

function notFound(path: string): Reply {
  return { status: 404, body: twilioError(404, 20404, `The requested resource ${path} was not found`) };
}

function badRequest(code: number, message: string): Reply {
  return { status: 400, body: twilioError(400, code, message) };
}

function injected(fault: InjectedFault): Reply {
  switch (fault.status) {
    case 429:
      return {
        status: 429,
        body: twilioError(429, 20429, 'Too Many Requests'),
        ...(fault.retryAfterS === undefined ? {} : { headers: { 'retry-after': String(fault.retryAfterS) } }),
      };
    case 500:
      return { status: 500, body: twilioError(500, 20500, 'Internal Server Error') };
    case 503:
      return { status: 503, body: twilioError(503, 20503, 'Service Unavailable') };
    default:
      return assertNever(fault.status, 'injected fault status');
  }
}
