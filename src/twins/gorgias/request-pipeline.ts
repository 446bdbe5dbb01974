// One twin request from socket to answer: sandbox pages, OAuth, then `/api` through faults, auth (401), the
// leaky bucket (429 + Retry-After), JSON parsing, routing (404/405), scopes (403) and the route itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../shared/clock.ts';
import { ERROR_MESSAGES, errorReply, type ApiReply } from './api-reply.ts';
import type { Fault, FaultPlan } from './fault-plan.ts';
import { formatCallLimit, LeakyBucket, type BucketConfig } from './leaky-bucket.ts';
import { handleOAuthRequest } from './oauth-endpoints.ts';
import { isWriteRoute, type RouteTable, type TwinSettings } from './route-table.ts';
import { handleSandboxPage } from './sandbox-pages.ts';
import type { Principal, TwinCredentials } from './twin-credentials.ts';
import type { TwinState } from './twin-state.ts';
import { microsFromMs } from './wire-datetime.ts';

export type TwinRequestRecord = {
  method: string;
  path: string;
  query: string;
  status: number;
  /** Wall-clock ms from the twin's Clock when the request arrived. */
  atMs: number;
  authMode: 'api-key' | 'oauth' | 'none';
  body: unknown;
  outcome: 'answered' | 'injected-failure' | 'dropped';
};

export type PipelineOptions = {
  state: TwinState;
  credentials: TwinCredentials;
  routes: RouteTable;
  faults: FaultPlan;
  clock: Clock;
  settings: TwinSettings;
  buckets: { apiKey: BucketConfig; oauth: BucketConfig };
  oauthUserId: number;
  hasSandboxPages: boolean;
  maxBodyBytes: number;
};

const CALL_LIMIT_HEADER = 'x-gorgias-account-api-call-limit';

export class RequestPipeline {
  #options: PipelineOptions;
  #buckets = new Map<string, LeakyBucket>();
  #requests: TwinRequestRecord[] = [];
  #internalErrors: Error[] = [];
  #waits = new Set<() => void>();
  #isClosed = false;

  constructor(options: PipelineOptions) {
    this.#options = options;
  }

  requests(): TwinRequestRecord[] {
    return [...this.#requests];
  }

  internalErrors(): Error[] {
    return [...this.#internalErrors];
  }

  /** Releases any response held back by latency; the server then drops those sockets. */
  close(): void {
    this.#isClosed = true;
    for (const release of this.#waits) release();
    this.#waits.clear();
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://twin.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    const method = request.method ?? 'GET';
    const raw = await readBody(request, this.#options.maxBodyBytes);
    if (path === '/twin' || path.startsWith('/twin/')) {
      write(response, this.#options.hasSandboxPages ? handleSandboxPage(method, path, this.#options.state) : errorReply(404, ERROR_MESSAGES.notFound));
      return;
    }
    if (path.startsWith('/oauth/')) {
      const reply = handleOAuthRequest(
        { method, path, query: url.searchParams, authorization: request.headers.authorization, contentType: request.headers['content-type'], rawBody: raw.text ?? '' },
        this.#options.credentials,
        this.#options.oauthUserId,
        this.#options.clock.now(),
      );
      write(response, reply);
      return;
    }
    if (path !== '/api' && !path.startsWith('/api/')) {
      write(response, errorReply(404, ERROR_MESSAGES.notFound));
      return;
    }
    const atMs = this.#options.clock.now();
    const fault = this.#options.faults.take();
    const { reply, principal } = fault?.kind === 'fail' ? { reply: this.#injected(fault), principal: undefined } : this.#answer(request, method, path, url, raw);
    const isDropped = fault?.kind === 'accept-then-drop';
    this.#requests.push({
      method, path, query: url.search, status: reply.status, atMs, authMode: principal?.mode ?? 'none', body: readJsonLeniently(raw.text),
      outcome: isDropped ? 'dropped' : fault ? 'injected-failure' : 'answered',
    });
    await this.#delay();
    // Processed and stored, but the caller never hears back (the zero-loss case).
    if (isDropped || this.#isClosed) {
      request.socket.destroy();
      return;
    }
    write(response, reply);
  }

  #injected(fault: Extract<Fault, { kind: 'fail' }>): ApiReply {
    const messages = { 500: ERROR_MESSAGES.serverError, 502: ERROR_MESSAGES.badGateway, 503: ERROR_MESSAGES.unavailable, 429: ERROR_MESSAGES.rateLimited };
    const reply = errorReply(fault.status, messages[fault.status]);
    const headers: Record<string, string> = { [CALL_LIMIT_HEADER]: this.#peekHeader(fault.status === 429) };
    if (fault.status === 429 || fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds ?? 1);
    return { ...reply, headers };
  }

  #answer(request: IncomingMessage, method: string, path: string, url: URL, raw: RawBody): { reply: ApiReply; principal: Principal | undefined } {
    const { clock, credentials } = this.#options;
    const principal = credentials.authenticate(request.headers.authorization, clock.now());
    if (!principal) {
      return { reply: withHeader(errorReply(401, ERROR_MESSAGES.unauthorized), this.#peekHeader(false)), principal };
    }
    const bucket = this.#bucketFor(principal);
    const decision = bucket.take(clock.monotonicMs());
    if (!decision.isAllowed) {
      const reply = withHeader(errorReply(429, ERROR_MESSAGES.rateLimited), formatCallLimit(decision));
      return { reply: { ...reply, headers: { ...reply.headers, 'retry-after': String(decision.retryAfterSeconds) } }, principal };
    }
    const header = formatCallLimit(decision);
    const parsed = parseJsonBody(request, raw);
    if (!parsed.ok) return { reply: withHeader(parsed.reply, header), principal };
    return { reply: withHeader(this.#route(principal, method, path, url, parsed.body), header), principal };
  }

  #route(principal: Principal, method: string, path: string, url: URL, body: unknown): ApiReply {
    const { routes, credentials, state, settings } = this.#options;
    const match = routes.match(method, path);
    if (match.kind === 'none') return errorReply(404, ERROR_MESSAGES.notFound);
    if (match.kind === 'wrong-method') return errorReply(405, ERROR_MESSAGES.methodNotAllowed);
    const { scope } = match.route;
    if (scope !== null && !credentials.isAllowed(principal, scope, isWriteRoute(match.route))) return errorReply(403, ERROR_MESSAGES.forbidden);
    try {
      return match.route.handle({
        state, principal, settings, body,
        params: match.params,
        rest: match.rest,
        query: url.searchParams,
        uri: `${url.pathname}${url.search}`,
        now: microsFromMs(this.#options.clock.now()),
      });
    } catch (error) {
      this.#internalErrors.push(error instanceof Error ? error : new Error(String(error)));
      return errorReply(500, ERROR_MESSAGES.serverError);
    }
  }

  /** One bucket per account for API keys, one per OAuth app (3 [C]: the limits differ by auth kind) [I]. */
  #bucketFor(principal: Principal): LeakyBucket {
    const { buckets } = this.#options;
    let bucket = this.#buckets.get(principal.bucketKey);
    if (!bucket) {
      bucket = new LeakyBucket(principal.mode === 'api-key' ? buckets.apiKey : buckets.oauth);
      this.#buckets.set(principal.bucketKey, bucket);
    }
    return bucket;
  }

  /** Answers that admit nothing still carry the header (3 [C]: "on all responses"), from the API-key bucket [I]. */
  #peekHeader(isFull: boolean): string {
    const { buckets, clock } = this.#options;
    const { capacity } = buckets.apiKey;
    if (isFull) return formatCallLimit({ used: capacity, limit: capacity });
    const bucket = this.#buckets.get('api-key');
    return formatCallLimit(bucket ? bucket.peek(clock.monotonicMs()) : { used: 0, limit: capacity });
  }

  async #delay(): Promise<void> {
    const latencyMs = this.#options.faults.latencyMs();
    if (latencyMs <= 0 || this.#isClosed) return;
    await new Promise<void>((resolve) => {
      const release = (): void => {
        this.#waits.delete(release);
        timer.cancel();
        resolve();
      };
      const timer = this.#options.clock.setTimeout(release, latencyMs);
      this.#waits.add(release);
    });
  }
}

type RawBody = { text: string | undefined; isTooLarge: boolean };

async function readBody(request: IncomingMessage, maxBytes: number): Promise<RawBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  let isTooLarge = false;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) isTooLarge = true;
    else chunks.push(buffer);
  }
  if (isTooLarge) return { text: undefined, isTooLarge };
  return { text: size === 0 ? undefined : Buffer.concat(chunks).toString('utf8'), isTooLarge };
}

/** JSON only (1 [C]): other bodies are refused with a 400 [I]; oversized ones with 413 (5 [C]). */
function parseJsonBody(request: IncomingMessage, raw: RawBody): { ok: true; body: unknown } | { ok: false; reply: ApiReply } {
  if (raw.isTooLarge) return { ok: false, reply: errorReply(413, ERROR_MESSAGES.payloadTooLarge) };
  if (raw.text === undefined) return { ok: true, body: undefined };
  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  if (!contentType.startsWith('application/json')) {
    return { ok: false, reply: errorReply(400, 'Only application/json request bodies are accepted.') };
  }
  try {
    return { ok: true, body: JSON.parse(raw.text) };
  } catch {
    return { ok: false, reply: errorReply(400, 'The request body is not valid JSON.') };
  }
}

/** What a request carried, for inspection only: JSON when it parses, else the raw text. */
function readJsonLeniently(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function withHeader(reply: ApiReply, callLimit: string): ApiReply {
  return { ...reply, headers: { ...reply.headers, [CALL_LIMIT_HEADER]: callLimit } };
}

function write(response: ServerResponse, reply: ApiReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Uint8Array | undefined;
  if (reply.body instanceof Uint8Array) {
    payload = reply.body;
  } else if (reply.body !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
    headers['content-type'] ??= 'application/json';
  }
  headers['content-length'] = String(payload?.length ?? 0);
  response.writeHead(reply.status, headers);
  response.end(payload);
}
