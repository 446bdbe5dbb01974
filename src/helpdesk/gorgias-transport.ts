// The Gorgias HTTP transport on undici: auth header, pacing under the rate limit, retries, and error mapping.
// It never replays a request that may have landed unless the request is safe to repeat or its landing was checked.
import { request, type Dispatcher } from 'undici';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { redactText } from '../shared/redact.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { backoffDelayMs, type BackoffPolicy } from './backoff.ts';
import { gorgiasError, gorgiasErrorCodeForStatus, type GorgiasError } from './errors.ts';
import { decodeErrorBody, parseCallLimit, parseRetryAfterMs } from './gorgias-codec.ts';
import type { QueryParams } from './gorgias-list-filters.ts';
import type { OAuthTokenSource } from './gorgias-oauth.ts';
import { RequestPacer, type BucketSettings, type BucketState } from './gorgias-pacer.ts';

export type GorgiasAuth = { kind: 'basic'; email: string; apiKey: string } | { kind: 'oauth'; tokens: OAuthTokenSource };

/**
 * What may be done when a request failed without a clear answer (a reset, a timeout, a 5xx): `safe` requests are
 * repeated (reads, PUTs, deletes); `never` ones are reported; `probe` asks Gorgias whether the first one landed
 * and returns what it finds, repeating only when nothing is there (gorgias-rest-api.md, 14).
 */
export type ReplayPolicy =
  | { kind: 'safe' }
  | { kind: 'never' }
  | { kind: 'probe'; landed: () => Promise<Result<unknown, GorgiasError>> };

export type GorgiasRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below the API URL, e.g. `/tickets/12`; or an absolute URL for a file download. */
  path: string;
  query?: QueryParams;
  body?: unknown;
  replay: ReplayPolicy;
  as?: 'json' | 'bytes';
};

export type GorgiasResponse = {
  status: number;
  /** Parsed JSON (undefined for an empty body), or the bytes of a download. */
  body: unknown;
  contentType: string | null;
};

export type RetrySettings = BackoffPolicy & {
  /** Attempts for 5xx and network failures, the first included. */
  readonly maxAttempts: number;
  /** 429 answers waited out before giving up with `rate_limited`. */
  readonly maxRateLimitWaits: number;
  /** A longer Retry-After is not waited here; the caller gets `rate_limited` and reschedules. */
  readonly maxRetryAfterWaitMs: number;
};

export type TransportOptions = {
  apiUrl: string;
  auth: GorgiasAuth;
  clock: Clock;
  random: () => number;
  log: Logger;
  retry: RetrySettings;
  bucket: BucketSettings;
  timeoutMs: number;
  dispatcher?: Dispatcher;
};

type Attempt =
  | { kind: 'answered'; status: number; body: unknown; contentType: string | null; retryAfterMs: number | null; bodyError: unknown }
  | { kind: 'failed'; isUnsent: boolean; cause: unknown };

// Errors raised before a request reached the server: repeating them cannot duplicate anything.
const UNSENT_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export class GorgiasTransport {
  readonly #options: TransportOptions;
  readonly #apiUrl: string;
  readonly #pacer: RequestPacer;
  readonly #basic: string | null;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.#pacer = new RequestPacer(options.bucket, options.clock);
    this.#basic = options.auth.kind === 'basic' ? Buffer.from(`${options.auth.email}:${options.auth.apiKey}`).toString('base64') : null;
  }

  bucketState(): BucketState {
    return this.#pacer.snapshot();
  }

  async send(req: GorgiasRequest): Promise<Result<GorgiasResponse, GorgiasError>> {
    const { retry, log } = this.#options;
    let failures = 0;
    let rateLimitWaits = 0;
    let isTokenRenewed = false;
    for (;;) {
      const attempt = await this.#attempt(req);
      if (!attempt.ok) return attempt;
      const outcome = attempt.value;
      if (outcome.kind === 'answered' && outcome.status < 300) {
        if (outcome.bodyError !== null) return err(gorgiasError('bad_response', `Gorgias ${req.method} ${route(req)} answered a body that is not JSON`, { status: outcome.status, cause: outcome.bodyError }));
        return ok({ status: outcome.status, body: outcome.body, contentType: outcome.contentType });
      }
      if (outcome.kind === 'answered' && outcome.status === 401 && this.#options.auth.kind === 'oauth' && !isTokenRenewed) {
        isTokenRenewed = true;
        this.#options.auth.tokens.invalidate();
        continue;
      }
      if (outcome.kind === 'answered' && outcome.status === 429) {
        const waitMs = outcome.retryAfterMs ?? backoffDelayMs(rateLimitWaits + 1, this.#options.random, retry);
        this.#pacer.blockFor(waitMs);
        if (rateLimitWaits >= retry.maxRateLimitWaits || waitMs > retry.maxRetryAfterWaitMs) return err(answerError(req, outcome, waitMs));
        rateLimitWaits += 1;
        log.info({ method: req.method, route: route(req), retryAfterMs: waitMs, wait: rateLimitWaits }, 'gorgias.rate_limited');
        continue;
      }
      if (outcome.kind === 'answered' && outcome.status < 500) return err(answerError(req, outcome, null));

      failures += 1;
      const failure = outcome.kind === 'answered' ? answerError(req, outcome, outcome.retryAfterMs) : networkError(req, outcome.cause);
      const isUnsent = outcome.kind === 'failed' && outcome.isUnsent;
      if (!isUnsent && req.replay.kind === 'never') return err(failure);
      if (!isUnsent && req.replay.kind === 'probe') {
        const found = await req.replay.landed();
        if (!found.ok) return err(failure);
        if (found.value !== undefined) {
          log.info({ method: req.method, route: route(req), code: failure.code }, 'gorgias.request.recovered');
          // The create landed before its answer was lost: what the check found stands in for the answer.
          return ok({ status: 200, body: found.value, contentType: 'application/json' });
        }
      }
      if (failures >= retry.maxAttempts) return err(failure);
      const delayMs = Math.max(backoffDelayMs(failures, this.#options.random, retry), failure.retryAfterMs ?? 0);
      log.info({ method: req.method, route: route(req), code: failure.code, status: failure.status, attempt: failures, delayMs }, 'gorgias.request.retrying');
      await new Promise<void>((resolve) => this.#options.clock.setTimeout(resolve, delayMs));
    }
  }

  async #attempt(req: GorgiasRequest): Promise<Result<Attempt, GorgiasError>> {
    const url = this.#url(req);
    const authorization = await this.#authorization(url);
    if (!authorization.ok) return authorization;
    await this.#pacer.acquire();
    const headers: Record<string, string> = { accept: req.as === 'bytes' ? '*/*' : 'application/json', 'user-agent': 'voice-escalation-bridge' };
    if (authorization.value) headers.authorization = authorization.value;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await request(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? null : JSON.stringify(req.body),
        // A signal rather than undici's headersTimeout, which does not fire per request on undici 8.
        signal: AbortSignal.timeout(this.#options.timeoutMs),
        ...(this.#options.dispatcher ? { dispatcher: this.#options.dispatcher } : {}),
      });
      const bytes = new Uint8Array(await response.body.arrayBuffer());
      this.#pacer.settle(parseCallLimit(header(response.headers, 'x-gorgias-account-api-call-limit')));
      const contentType = header(response.headers, 'content-type') ?? null;
      const retryAfterMs = parseRetryAfterMs(header(response.headers, 'retry-after'), this.#options.clock.now());
      if (req.as === 'bytes' && response.statusCode < 300) {
        return ok({ kind: 'answered', status: response.statusCode, body: bytes, contentType, retryAfterMs, bodyError: null });
      }
      const parsed = parseJsonBytes(bytes);
      return ok({ kind: 'answered', status: response.statusCode, body: parsed.value, contentType, retryAfterMs, bodyError: parsed.error });
    } catch (cause) {
      this.#pacer.settle(null);
      return ok({ kind: 'failed', isUnsent: UNSENT_ERROR_CODES.has(errorCode(cause)), cause });
    }
  }

  async #authorization(url: URL): Promise<Result<string | null, GorgiasError>> {
    // Credentials go only to the account's own origin, never to a file host named in an attachment URL.
    if (url.origin !== new URL(this.#apiUrl).origin) return ok(null);
    if (this.#basic) return ok(`Basic ${this.#basic}`);
    if (this.#options.auth.kind !== 'oauth') return ok(null);
    const token = await this.#options.auth.tokens.accessToken();
    return token.ok ? ok(`Bearer ${token.value}`) : token;
  }

  #url(req: GorgiasRequest): URL {
    const url = /^https?:\/\//.test(req.path) ? new URL(req.path) : new URL(`${this.#apiUrl}${req.path}`);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (typeof value === 'string') url.searchParams.append(key, value);
      else for (const item of value) url.searchParams.append(key, item);
    }
    return url;
  }
}

function answerError(req: GorgiasRequest, answer: Extract<Attempt, { kind: 'answered' }>, retryAfterMs: number | null): GorgiasError {
  const { message, fields } = decodeErrorBody(answer.body);
  const detail = message ? `: ${redactText(message)}` : '';
  return gorgiasError(gorgiasErrorCodeForStatus(answer.status), `Gorgias ${req.method} ${route(req)} answered ${answer.status}${detail}`, {
    status: answer.status,
    retryAfterMs,
    fields,
    cause: answer.body,
  });
}

function networkError(req: GorgiasRequest, cause: unknown): GorgiasError {
  return gorgiasError('network', `Gorgias ${req.method} ${route(req)} got no answer (${errorCode(cause) || 'error'})`, { cause });
}

/** The path without query or absolute host: ids are fine in logs, query values (emails, phones) are not. */
function route(req: GorgiasRequest): string {
  return /^https?:\/\//.test(req.path) ? '(file download)' : req.path;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return '';
  if ('name' in cause && cause.name === 'TimeoutError') return 'timeout';
  return 'code' in cause && typeof cause.code === 'string' ? cause.code : '';
}

function parseJsonBytes(bytes: Uint8Array): { value: unknown; error: unknown } {
  if (bytes.length === 0) return { value: undefined, error: null };
  try {
    return { value: JSON.parse(Buffer.from(bytes).toString('utf8')), error: null };
  } catch (error) {
    return { value: undefined, error };
  }
}
