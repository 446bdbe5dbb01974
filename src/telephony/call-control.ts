// Mid-call control through the official twilio SDK: redirect a live call to new TwiML, hang up, send an SMS
// (twilio-and-shopify.md, A4). The SDK talks through a small HTTP client pointed at TWILIO_API_URL, so the
// Twilio twin can stand in. Failures come back as CallControlError values; this never throws at runtime.
import twilio from 'twilio';
import { z } from 'zod';
import { systemClock, type Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { maskPhone, redactText } from '../shared/redact.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { CallControlErrorCode, type CallControlError } from './errors.ts';

export interface CallControl {
  /** Replaces the call's running TwiML; the `<Connect><Stream>` then ends and the socket receives `stop` (A4). */
  redirect(callSid: string, twiml: string): Promise<Result<void, CallControlError>>;
  hangUp(callSid: string): Promise<Result<void, CallControlError>>;
  sendSms(message: { to: string; from: string; body: string }): Promise<Result<{ sid: string }, CallControlError>>;
}

/** Documented for Twiml on create; assumed the same on update (A4). */
export const MAX_REDIRECT_TWIML_LENGTH = 4000;
export const DEFAULT_CALL_CONTROL_TIMEOUT_MS = 8000;

const TWILIO_NOT_FOUND = 20404;
const TWILIO_CALL_NOT_IN_PROGRESS = 21220;
const TWILIO_UNAUTHORIZED = 20003;
const TWILIO_TOO_MANY_REQUESTS = 20429;

/** What the SDK hands its httpClient (twilio/lib/base/RequestClient.d.ts, RequestOptions). */
type SdkRequest = {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: object;
  data?: object;
};
type SdkResponse = { statusCode: number; body: string; headers: Record<string, string> };
type SdkHttpClient = NonNullable<twilio.ClientOpts['httpClient']>;

function toFormParams(values: object | undefined): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(values ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, String(item));
  }
  return form;
}

/** Sends what the SDK built to `apiBaseUrl` instead of https://api.twilio.com, keeping path and query. */
function createRebasedHttpClient(
  apiBaseUrl: string,
  timeoutMs: number,
  clock: Clock,
): { request(request: SdkRequest): Promise<SdkResponse> } {
  const base = apiBaseUrl.replace(/\/+$/, '');
  return {
    async request(request) {
      const sdkUrl = new URL(request.uri);
      const query = toFormParams(request.params).toString();
      const url = `${base}${sdkUrl.pathname}${query ? `?${query}` : sdkUrl.search}`;
      const headers = new Headers(request.headers);
      headers.set('Authorization', `Basic ${Buffer.from(`${request.username ?? ''}:${request.password ?? ''}`).toString('base64')}`);
      const method = request.method.toUpperCase();
      const hasBody = method === 'POST' || method === 'PUT';
      const abort = new AbortController();
      const timer = clock.setTimeout(() => abort.abort(new Error(`Twilio did not answer within ${timeoutMs} ms`)), timeoutMs);
      try {
        const response = await fetch(url, {
          method,
          headers,
          body: hasBody ? toFormParams(request.data).toString() : undefined,
          redirect: 'manual',
          signal: abort.signal,
        });
        return { statusCode: response.status, body: await response.text(), headers: Object.fromEntries(response.headers) };
      } finally {
        timer.cancel();
      }
    },
  };
}

const restExceptionSchema = z.object({ status: z.number(), code: z.number().optional(), message: z.string().optional() });

type Operation = 'redirect' | 'hang_up' | 'send_sms';

/** Maps what the SDK threw to a catalog code; on a call, 20404 and "not in progress" mean the call is over. */
export function classifyTwilioFailure(thrown: unknown, isCallOperation: boolean): CallControlError {
  const rest = restExceptionSchema.safeParse(thrown);
  if (!rest.success) {
    const message = thrown instanceof Error ? `${thrown.name}: ${redactText(thrown.message)}` : 'request failed';
    return { code: CallControlErrorCode.unavailable, message, cause: thrown };
  }
  const { status, code } = rest.data;
  const message = redactText(rest.data.message ?? `HTTP ${status}`);
  const base = { message, httpStatus: status, cause: thrown, ...(code === undefined ? {} : { twilioCode: code }) };
  const isNotInProgress = code === TWILIO_CALL_NOT_IN_PROGRESS || /not in[- ]progress/i.test(message);
  if (isCallOperation && (code === TWILIO_NOT_FOUND || isNotInProgress)) return { code: CallControlErrorCode.alreadyEnded, ...base };
  if (status === 401 || code === TWILIO_UNAUTHORIZED) return { code: CallControlErrorCode.unauthorized, ...base };
  if (status === 404 || code === TWILIO_NOT_FOUND) return { code: CallControlErrorCode.notFound, ...base };
  if (status === 429 || code === TWILIO_TOO_MANY_REQUESTS) return { code: CallControlErrorCode.rateLimited, ...base };
  if (status >= 500) return { code: CallControlErrorCode.unavailable, ...base };
  return { code: CallControlErrorCode.invalidRequest, ...base };
}

export function createCallControl(options: {
  accountSid: string;
  authToken: string;
  apiBaseUrl: string;
  log: Logger;
  timeoutMs?: number;
  clock?: Clock;
}): CallControl {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_CONTROL_TIMEOUT_MS;
  const httpClient = createRebasedHttpClient(options.apiBaseUrl, timeoutMs, options.clock ?? systemClock);
  const client = twilio(options.accountSid, options.authToken, {
    // The SDK types httpClient as its own RequestClient class, whose private members make every other
    // implementation nominally incompatible; it only ever calls request(opts) (A4, BaseTwilio.request).
    httpClient: httpClient as unknown as SdkHttpClient,
    // Only src/config reads the environment; an empty env keeps TWILIO_* variables from steering the SDK.
    env: {},
  });
  const log = options.log;

  async function attempt<T>(operation: Operation, fields: Record<string, string>, run: () => Promise<T>): Promise<Result<T, CallControlError>> {
    try {
      const value = await run();
      log.info({ operation, ...fields }, 'twilio.call_control.done');
      return ok(value);
    } catch (thrown) {
      const error = classifyTwilioFailure(thrown, operation !== 'send_sms');
      const level = error.code === CallControlErrorCode.alreadyEnded ? 'info' : 'warn';
      const { code, httpStatus, twilioCode, message: reason } = error;
      log[level]({ operation, ...fields, code, httpStatus, twilioCode, reason }, 'twilio.call_control.failed');
      return err(error);
    }
  }

  return {
    async redirect(callSid, twiml) {
      if (twiml.length > MAX_REDIRECT_TWIML_LENGTH) {
        log.warn({ operation: 'redirect', callSid, twimlLength: twiml.length }, 'twilio.call_control.failed');
        return err({ code: CallControlErrorCode.invalidRequest, message: `TwiML is over ${MAX_REDIRECT_TWIML_LENGTH} characters` });
      }
      return attempt('redirect', { callSid }, async () => {
        await client.calls(callSid).update({ twiml });
      });
    },
    async hangUp(callSid) {
      return attempt('hang_up', { callSid }, async () => {
        await client.calls(callSid).update({ status: 'completed' });
      });
    },
    async sendSms(message) {
      return attempt('send_sms', { to: maskPhone(message.to) }, async () => {
        const sent = await client.messages.create({ to: message.to, from: message.from, body: message.body });
        return { sid: sent.sid };
      });
    },
  };
}
