// The thin adapter that owns one WebSocket to the OpenAI Realtime endpoint (GA): connect, parse, relay, close.
// It never decides anything about the call: error events, reconnects and barge-in belong to the call session.
import WebSocket from 'ws';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { systemClock, type Clock, type TimerHandle } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { err, ok, type Result } from '../shared/result.ts';
import type { RealtimeLinkError } from './errors.ts';
import { parseRealtimeEvent } from './realtime-codec.ts';
import type { RealtimeServerEvent } from './realtime-server-event.ts';

export type RealtimeLinkCloseInfo = {
  readonly code: number;
  readonly reason: string;
  /** True only when our own close() ended the link. */
  readonly isExpected: boolean;
};

export type RealtimeLinkHandlers = {
  onEvent(event: RealtimeServerEvent): void;
  onClose(info: RealtimeLinkCloseInfo): void;
};

export interface RealtimeLink {
  /** Sends an already encoded client event; false when the socket is not open. */
  send(encodedEvent: string): boolean;
  /** Events and a close that arrive before this is called are buffered and delivered here, in order. */
  setHandlers(handlers: RealtimeLinkHandlers): void;
  /** Closes with code 1000; safe to call more than once. */
  close(): void;
  readonly isOpen: boolean;
  readonly sessionId: string;
}

export type ConnectRealtimeOptions = {
  /** The endpoint without query, e.g. wss://api.openai.com/v1/realtime (or a twin's ws:// URL). */
  readonly url: string;
  readonly apiKey: string;
  readonly model: string;
  /** Covers the upgrade and the wait for session.created. */
  readonly connectTimeoutMs: number;
  readonly log: Logger;
  readonly clock?: Clock;
};

/** At most one malformed-frame warning per window; the next one reports how many were suppressed. */
export const MALFORMED_LOG_INTERVAL_MS = 10_000;

const NORMAL_CLOSURE = 1000;

/** Resolves once `session.created` has arrived, the server's first frame (openai-realtime.md, 1). */
export function connectRealtime(options: ConnectRealtimeOptions): Promise<Result<RealtimeLink, RealtimeLinkError>> {
  const clock = options.clock ?? systemClock;
  const url = buildRealtimeUrl(options.url, options.model);
  const log = options.log;
  const startedMs = clock.monotonicMs();
  return new Promise((resolve) => {
    // GA: bearer header only; an OpenAI-Beta header now gets beta_api_shape_disabled (1). No compression on audio.
    const socket = new WebSocket(url, {
      headers: { Authorization: `Bearer ${options.apiKey}` },
      perMessageDeflate: false,
    });
    const earlyEvents: RealtimeServerEvent[] = [];
    let timer: TimerHandle | null = null;

    const fail = (error: RealtimeLinkError): void => {
      detach();
      // Terminating a connecting socket emits one more error; it is expected and must not go unhandled.
      socket.on('error', () => undefined);
      socket.terminate();
      log.info({ code: error.code, httpStatus: error.httpStatus, model: options.model }, 'realtime.link.connect_failed');
      resolve(err(error));
    };
    const onUnexpectedResponse = (request: ClientRequest, response: IncomingMessage): void => {
      const status = response.statusCode ?? 0;
      response.resume();
      request.destroy();
      const isAuth = status === 401 || status === 403;
      fail({
        code: isAuth ? 'unauthorized' : 'refused',
        message: `upgrade rejected with HTTP ${status}`,
        httpStatus: status,
      });
    };
    const onError = (cause: Error): void => {
      fail({ code: 'refused', message: cause.message, httpStatus: null, cause });
    };
    const onClose = (code: number, reason: Buffer): void => {
      fail({
        code: 'closed',
        message: `closed before session.created (${code})`,
        httpStatus: null,
        cause: { code, reason: reason.toString('utf8') },
      });
    };
    const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
      const parsed = isBinary ? null : parseRealtimeEvent(rawDataToText(data));
      if (parsed === null || !parsed.ok) {
        const cause = parsed?.error;
        fail({ code: 'protocol', message: 'unreadable frame before session.created', httpStatus: null, cause });
        return;
      }
      const event = parsed.value;
      if (event.type === 'error') {
        const message = `error before session.created: ${event.code ?? event.errorType}`;
        fail({ code: 'protocol', message, httpStatus: null, cause: event });
        return;
      }
      if (event.type !== 'sessionCreated') {
        earlyEvents.push(event);
        return;
      }
      detach();
      const link = new WsRealtimeLink(socket, event.sessionId, log, clock, earlyEvents);
      log.info(
        { sessionId: event.sessionId, model: event.model, connectMs: Math.round(clock.monotonicMs() - startedMs) },
        'realtime.link.opened',
      );
      resolve(ok(link));
    };
    const detach = (): void => {
      timer?.cancel();
      socket.off('unexpected-response', onUnexpectedResponse);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('message', onMessage);
    };

    socket.on('unexpected-response', onUnexpectedResponse);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('message', onMessage);
    timer = clock.setTimeout(() => {
      fail({ code: 'timeout', message: `no session.created within ${options.connectTimeoutMs} ms`, httpStatus: null });
    }, options.connectTimeoutMs);
  });
}

/** `${url}?model=…`; a URL that is not ws(s) is a configuration error. */
export function buildRealtimeUrl(baseUrl: string, model: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`Realtime URL must be ws:// or wss://, got ${url.protocol}`);
  }
  url.searchParams.set('model', model);
  return url.toString();
}

type Pending = { kind: 'event'; event: RealtimeServerEvent } | { kind: 'close'; info: RealtimeLinkCloseInfo };

class WsRealtimeLink implements RealtimeLink {
  readonly sessionId: string;
  readonly #socket: WebSocket;
  readonly #log: Logger;
  readonly #clock: Clock;
  #handlers: RealtimeLinkHandlers | null = null;
  #pending: Pending[] = [];
  #isCloseRequested = false;
  #malformedWindowStartMs = Number.NEGATIVE_INFINITY;
  #malformedSuppressed = 0;

  constructor(
    socket: WebSocket,
    sessionId: string,
    log: Logger,
    clock: Clock,
    earlyEvents: readonly RealtimeServerEvent[],
  ) {
    this.sessionId = sessionId;
    this.#socket = socket;
    this.#log = log;
    this.#clock = clock;
    for (const event of earlyEvents) this.#pending.push({ kind: 'event', event });
    socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    socket.on('error', (cause) => this.#log.warn({ sessionId, message: cause.message }, 'realtime.link.socket_error'));
    socket.once('close', (code, reason) => this.#closed(code, reason.toString('utf8')));
  }

  get isOpen(): boolean {
    return !this.#isCloseRequested && this.#socket.readyState === WebSocket.OPEN;
  }

  send(encodedEvent: string): boolean {
    if (!this.isOpen) return false;
    this.#socket.send(encodedEvent);
    return true;
  }

  setHandlers(handlers: RealtimeLinkHandlers): void {
    this.#handlers = handlers;
    for (const pending of this.#pending.splice(0)) this.#deliver(pending);
  }

  close(): void {
    if (this.#isCloseRequested) return;
    this.#isCloseRequested = true;
    this.#socket.close(NORMAL_CLOSURE);
  }

  #receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) {
      this.#warnMalformed('binary_frame', null, 'binary frames are not part of the protocol');
      return;
    }
    const parsed = parseRealtimeEvent(rawDataToText(data));
    if (!parsed.ok) {
      this.#warnMalformed(parsed.error.code, parsed.error.rawType, parsed.error.message);
      return;
    }
    if (parsed.value.type === 'unknown') {
      this.#log.debug({ sessionId: this.sessionId, rawType: parsed.value.rawType }, 'realtime.event.unknown');
    }
    this.#route({ kind: 'event', event: parsed.value });
  }

  #closed(code: number, reason: string): void {
    const info = { code, reason, isExpected: this.#isCloseRequested };
    this.#log.info({ sessionId: this.sessionId, ...info }, 'realtime.link.closed');
    this.#route({ kind: 'close', info });
  }

  #route(pending: Pending): void {
    if (this.#handlers === null) this.#pending.push(pending);
    else this.#deliver(pending);
  }

  #deliver(pending: Pending): void {
    const handlers = this.#handlers;
    if (handlers === null) return;
    // A throwing handler is a bug in the session; it must not take the socket (and the call) down with it.
    try {
      if (pending.kind === 'event') handlers.onEvent(pending.event);
      else handlers.onClose(pending.info);
    } catch (cause) {
      this.#log.error({ sessionId: this.sessionId, err: cause, kind: pending.kind }, 'realtime.handler.failed');
    }
  }

  #warnMalformed(code: string, rawType: string | null, message: string): void {
    const nowMs = this.#clock.monotonicMs();
    if (nowMs - this.#malformedWindowStartMs < MALFORMED_LOG_INTERVAL_MS) {
      this.#malformedSuppressed += 1;
      return;
    }
    this.#log.warn(
      { sessionId: this.sessionId, code, rawType, message, suppressedCount: this.#malformedSuppressed },
      'realtime.event.malformed',
    );
    this.#malformedWindowStartMs = nowMs;
    this.#malformedSuppressed = 0;
  }
}

function rawDataToText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
