// The adapter for one Twilio Media Streams socket: waits for `start`, checks the stream token, then hands a typed
// TwilioMediaStream to app.ts and relays frames both ways (twilio-and-shopify.md, A2, A3). Holds connection state
// only; never knows what the call is for, and a bad frame or a failing handler never ends the call.
import type { RawData, WebSocket } from 'ws';
import { assertNever } from '../shared/assert-never.ts';
import type { Clock, TimerHandle } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { encodeClear, encodeMark, encodeMedia, parseTwilioFrame, type TwilioInbound, type TwilioStart } from './media-stream-codec.ts';
import { STREAM_TOKEN_PARAMETER, verifyStreamToken } from './stream-token.ts';

export type TwilioAudioFrame = {
  readonly payloadBase64: string;
  /** Presentation time from the start of the stream; gaps mean missing audio (A2). */
  readonly timestampMs: number;
  readonly chunk: number;
};

export interface TwilioMediaStreamHandlers {
  onAudio(frame: TwilioAudioFrame): void;
  /** An echoed mark means played OR cleared (A2). */
  onMark(name: string): void;
  onDtmf(digit: string): void;
  /** Twilio stopped the stream: the caller hung up, or a REST redirect replaced the TwiML (A4). */
  onStop(): void;
  onClose(info: { code: number; reason: string }): void;
}

export interface TwilioMediaStream {
  readonly callSid: string;
  readonly streamSid: string;
  readonly accountSid: string;
  /** The `<Parameter>` values from the TwiML, without the stream token. */
  readonly customParameters: Readonly<Record<string, string>>;
  /** Events that arrive before this is called are buffered and delivered here, in order. */
  setHandlers(handlers: TwilioMediaStreamHandlers): void;
  sendAudio(payloadBase64: string): void;
  sendMark(name: string): void;
  clearAudio(): void;
  /** Closes the socket: with `<Connect><Stream>` this ends the call, or runs `<Connect action>` (A1). */
  close(): void;
  readonly isOpen: boolean;
}

export type AcceptMediaStreamDeps = {
  readonly streamTokenSecret: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** How long a validated socket may stay open without a `start`. */
  readonly startTimeoutMs: number;
  /** Called synchronously on a verified `start`; set handlers inside it. */
  readonly onStream: (stream: TwilioMediaStream) => void;
};

/** 20 s of caller audio at 50 frames per second; beyond this, unhandled audio is dropped and counted. */
export const MAX_BUFFERED_AUDIO_FRAMES = 1000;

/** RFC 6455: 1008 policy violation for a stream we refuse, 1011 when our own callback failed. */
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_INTERNAL_ERROR = 1011;
const CLOSE_NORMAL = 1000;

type PendingEvent =
  | { readonly kind: 'audio'; readonly frame: TwilioAudioFrame }
  | { readonly kind: 'mark'; readonly name: string }
  | { readonly kind: 'dtmf'; readonly digit: string }
  | { readonly kind: 'stop' }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string };

/** Per-socket counts of frames we dropped; each kind is logged once at warn, then only counted. */
class FrameProblems {
  malformed = 0;
  wrongStream = 0;
  droppedAudio = 0;
  handlerFailures = 0;

  summary(): Record<string, number> {
    return {
      malformedFrames: this.malformed,
      wrongStreamFrames: this.wrongStream,
      droppedAudioFrames: this.droppedAudio,
      handlerFailures: this.handlerFailures,
    };
  }
}

function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

class LiveTwilioMediaStream implements TwilioMediaStream {
  readonly callSid: string;
  readonly streamSid: string;
  readonly accountSid: string;
  readonly customParameters: Readonly<Record<string, string>>;
  readonly #socket: WebSocket;
  readonly #log: Logger;
  readonly #problems: FrameProblems;
  #handlers: TwilioMediaStreamHandlers | undefined;
  #pending: PendingEvent[] = [];
  #pendingAudioFrames = 0;

  constructor(socket: WebSocket, start: TwilioStart, log: Logger, problems: FrameProblems) {
    this.callSid = start.callSid;
    this.streamSid = start.streamSid;
    this.accountSid = start.accountSid;
    this.customParameters = Object.fromEntries(Object.entries(start.customParameters).filter(([name]) => name !== STREAM_TOKEN_PARAMETER));
    this.#socket = socket;
    this.#log = log;
    this.#problems = problems;
  }

  get isOpen(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  setHandlers(handlers: TwilioMediaStreamHandlers): void {
    this.#handlers = handlers;
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingAudioFrames = 0;
    for (const event of pending) this.#deliver(event);
  }

  sendAudio(payloadBase64: string): void {
    if (this.isOpen) this.#socket.send(encodeMedia(this.streamSid, payloadBase64));
  }

  sendMark(name: string): void {
    if (this.isOpen) this.#socket.send(encodeMark(this.streamSid, name));
  }

  clearAudio(): void {
    if (this.isOpen) this.#socket.send(encodeClear(this.streamSid));
  }

  close(): void {
    if (this.#socket.readyState === this.#socket.OPEN || this.#socket.readyState === this.#socket.CONNECTING) {
      this.#socket.close(CLOSE_NORMAL, 'stream ended');
    }
  }

  /** A parsed frame after `start`. Media is the hot path: no allocation beyond the parsed frame itself. */
  receive(message: TwilioInbound): void {
    switch (message.type) {
      case 'media':
        if (message.streamSid !== this.streamSid) return this.#wrongStream(message.type);
        if (this.#handlers) this.#deliverAudio(this.#handlers, message);
        else this.#bufferAudio(message);
        return;
      case 'mark':
        if (message.streamSid !== this.streamSid) return this.#wrongStream(message.type);
        return this.#dispatch({ kind: 'mark', name: message.name });
      case 'dtmf':
        if (message.streamSid !== this.streamSid) return this.#wrongStream(message.type);
        return this.#dispatch({ kind: 'dtmf', digit: message.digit });
      case 'stop':
        if (message.streamSid !== this.streamSid) return this.#wrongStream(message.type);
        this.#log.info('twilio.stream.stopped');
        return this.#dispatch({ kind: 'stop' });
      case 'connected':
      case 'start':
        this.#log.debug({ event: message.type }, 'twilio.frame.unexpected');
        return;
      case 'unknown':
        this.#log.debug({ event: message.event }, 'twilio.frame.unknown');
        return;
      default:
        return assertNever(message, 'Twilio frame');
    }
  }

  closed(code: number, reason: string): void {
    this.#log.info({ code, ...this.#problems.summary() }, 'twilio.stream.closed');
    this.#dispatch({ kind: 'close', code, reason });
  }

  #wrongStream(event: string): void {
    // Twilio's own rule: a message with another stream's SID is invalid (A2, error 31951).
    if (this.#problems.wrongStream++ === 0) this.#log.warn({ event }, 'twilio.frame.wrong_stream');
  }

  #bufferAudio(frame: TwilioAudioFrame): void {
    if (this.#pendingAudioFrames >= MAX_BUFFERED_AUDIO_FRAMES) {
      if (this.#problems.droppedAudio++ === 0) this.#log.warn({ maxFrames: MAX_BUFFERED_AUDIO_FRAMES }, 'twilio.stream.buffer_full');
      return;
    }
    this.#pendingAudioFrames++;
    this.#pending.push({ kind: 'audio', frame });
  }

  #dispatch(event: PendingEvent): void {
    if (this.#handlers) this.#deliver(event);
    else this.#pending.push(event);
  }

  #deliverAudio(handlers: TwilioMediaStreamHandlers, frame: TwilioAudioFrame): void {
    try {
      handlers.onAudio(frame);
    } catch (error) {
      this.#handlerFailed('onAudio', error);
    }
  }

  #deliver(event: PendingEvent): void {
    const handlers = this.#handlers;
    if (!handlers) return;
    try {
      switch (event.kind) {
        case 'audio':
          return handlers.onAudio(event.frame);
        case 'mark':
          return handlers.onMark(event.name);
        case 'dtmf':
          return handlers.onDtmf(event.digit);
        case 'stop':
          return handlers.onStop();
        case 'close':
          return handlers.onClose({ code: event.code, reason: event.reason });
        default:
          return assertNever(event, 'media stream event');
      }
    } catch (error) {
      this.#handlerFailed(event.kind, error);
    }
  }

  #handlerFailed(handler: string, error: unknown): void {
    if (this.#problems.handlerFailures++ === 0) this.#log.error({ handler, err: error }, 'twilio.stream.handler_failed');
  }
}

function isExpectedMediaFormat(start: TwilioStart): boolean {
  const format = start.mediaFormat;
  return format.encoding === 'audio/x-mulaw' && format.sampleRateHz === 8000 && format.channels === 1;
}

/**
 * Takes over a socket whose upgrade signature was already checked. On `start`, verifies the stream token against
 * `start.callSid` before anything else happens: a rejected stream is closed with 1008 and onStream is never called,
 * so no model session opens (A3).
 */
export function acceptTwilioMediaStream(socket: WebSocket, deps: AcceptMediaStreamDeps): void {
  const problems = new FrameProblems();
  let log = deps.log;
  let stream: LiveTwilioMediaStream | undefined;
  let isRejected = false;
  const startTimer: TimerHandle = deps.clock.setTimeout(() => reject('no_start'), deps.startTimeoutMs);

  function reject(reason: string, callSid?: string): void {
    isRejected = true;
    startTimer.cancel();
    log.warn({ reason, callSid }, 'twilio.stream.rejected');
    socket.close(CLOSE_POLICY_VIOLATION, 'policy violation');
  }

  function begin(start: TwilioStart): void {
    startTimer.cancel();
    const verdict = verifyStreamToken({
      secret: deps.streamTokenSecret,
      callSid: start.callSid,
      token: start.customParameters[STREAM_TOKEN_PARAMETER],
      nowMs: deps.clock.now(),
    });
    if (!verdict.ok) return reject(verdict.error, start.callSid);
    log = deps.log.child({ callSid: start.callSid, streamSid: start.streamSid });
    if (!isExpectedMediaFormat(start)) {
      // The doc says µ-law 8 kHz mono "always" (A2); say so loudly if that ever changes, but keep the call.
      const { encoding, sampleRateHz, channels } = start.mediaFormat;
      log.warn({ encoding, sampleRateHz, channels }, 'twilio.stream.unexpected_format');
    }
    log.info({ tracks: start.tracks }, 'twilio.stream.started');
    stream = new LiveTwilioMediaStream(socket, start, log, problems);
    try {
      deps.onStream(stream);
    } catch (error) {
      log.error({ err: error }, 'twilio.stream.on_stream_failed');
      socket.close(CLOSE_INTERNAL_ERROR, 'internal error');
    }
  }

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isRejected) return;
    const parsed = isBinary ? undefined : parseTwilioFrame(frameText(data));
    if (!parsed?.ok) {
      // Twilio ignores an invalid message and keeps the call (A2, error 31951); so do we.
      if (problems.malformed++ === 0) {
        const problem = parsed ? { reason: parsed.error.reason, event: parsed.error.event, detail: parsed.error.detail } : { reason: 'binary_frame' };
        log.warn(problem, 'twilio.frame.malformed');
      }
      return;
    }
    if (stream) return stream.receive(parsed.value);
    switch (parsed.value.type) {
      case 'connected':
        return log.debug({ protocol: parsed.value.protocol, version: parsed.value.version }, 'twilio.stream.connected');
      case 'start':
        return begin(parsed.value);
      default:
        return log.debug({ event: parsed.value.type }, 'twilio.frame.before_start');
    }
  });

  socket.on('close', (code: number, reason: Buffer) => {
    startTimer.cancel();
    if (stream) stream.closed(code, reason.toString('utf8'));
    else log.debug({ code, ...problems.summary() }, 'twilio.stream.closed_before_start');
  });

  socket.on('error', (error: Error) => {
    log.warn({ err: error }, 'twilio.stream.socket_error');
  });
}
