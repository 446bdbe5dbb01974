// One bidirectional Media Stream as Twilio runs it (twilio-and-shopify.md, A2 state machine): the signed WebSocket,
// connected/start, media frames, strict reading of the service's messages, playout and mark echoes, stop.
// It never decides what to say or when; the caller twin drives it.
import WebSocket from 'ws';
import { assertNever } from '../../shared/assert-never.ts';
import type { Clock } from '../../shared/clock.ts';
import { MULAW_BYTES_PER_MS } from '../../shared/mulaw.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import {
  encodeConnected,
  encodeDtmf,
  encodeMarkEcho,
  encodeMediaFrame,
  encodeStart,
  encodeStop,
  hasAudioFileHeader,
  parseServiceMessage,
} from './media-stream-wire.ts';
import { PlayoutQueue, type HeardTimeline, type MarkEcho } from './playout-queue.ts';

export type TwinWarning = {
  /** Twilio's error code where Twilio has one (31951, 31931, 3192x), else a twin finding such as `twiml.after-connect`. */
  readonly code: number | string;
  readonly message: string;
  readonly atMs: number;
  readonly streamSid?: string;
};

export type LegEndReason = 'service-closed' | 'stopped';
export type LegEnd = { readonly reason: LegEndReason; readonly atMs: number; readonly closeCode: number; readonly droppedMs: number };

/** Timing data shared by all legs of one call, for latency figures (monotonic ms). */
export type StreamTimings = {
  readonly framesSentAtMs: number[];
  readonly frameTimestampsMs: number[];
  readonly frameBytes: number[];
  readonly mediaReceivedAtMs: number[];
  readonly mediaReceivedBytes: number[];
  readonly marksReceived: { name: string; atMs: number }[];
};

export type LegOptions = {
  /** The address to connect to (loopback). */
  connectUrl: string;
  /** Signature of the stream URL exactly as written in the TwiML, with no parameters (A3). */
  signature: string;
  accountSid: string;
  callSid: string;
  streamSid: string;
  customParameters: Readonly<Record<string, string>>;
  connectTimeoutMs: number;
  clock: Clock;
  timeline: HeardTimeline;
  timings: StreamTimings;
  onWarning(warning: TwinWarning): void;
  onMarkEchoed(echo: MarkEcho): void;
  /** Called when the service's audio or marks changed the playout, so the caller can re-time its tick. */
  onPlayoutChanged(): void;
};

export type LegFailure = { readonly code: number; readonly message: string };

export class MediaStreamLeg {
  readonly streamSid: string;
  readonly ended: Promise<LegEnd>;
  readonly #options: LegOptions;
  readonly #socket: WebSocket;
  readonly #queue: PlayoutQueue;
  #sequenceNumber = 1;
  #chunk = 0;
  #isInvalidReported = false;
  #isHeaderReported = false;
  #isDiscardReported = false;
  #invalidCount = 0;
  #isStopping = false;
  #isOpen = true;
  #resolveEnded: (end: LegEnd) => void = () => {};

  private constructor(options: LegOptions, socket: WebSocket) {
    this.#options = options;
    this.#socket = socket;
    this.streamSid = options.streamSid;
    this.#queue = new PlayoutQueue(options.timeline, options.clock.monotonicMs());
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    socket.on('close', (code) => this.#closed(code));
    socket.on('error', () => {});
  }

  /** Opens the WebSocket; handshake failures come back as Twilio's 3190x/3192x codes. */
  static open(options: LegOptions): Promise<Result<MediaStreamLeg, LegFailure>> {
    return new Promise((resolve) => {
      let isSettled = false;
      const settle = (result: Result<MediaStreamLeg, LegFailure>): void => {
        if (isSettled) return;
        isSettled = true;
        resolve(result);
      };
      const socket = new WebSocket(options.connectUrl, {
        headers: { 'x-twilio-signature': options.signature },
        handshakeTimeout: options.connectTimeoutMs,
        perMessageDeflate: false,
      });
      socket.on('unexpected-response', (request, response) => {
        settle(err({ code: 31920, message: `handshake answered HTTP ${String(response.statusCode)}, not 101` }));
        response.resume();
        request.destroy();
      });
      socket.on('error', (error: Error & { code?: string }) => {
        if (error.code === 'ECONNREFUSED') settle(err({ code: 31902, message: 'connection refused' }));
        else if (/timed out/i.test(error.message)) settle(err({ code: 31901, message: 'connection timed out' }));
        else settle(err({ code: 31921, message: `WebSocket closed without handshake: ${error.message}` }));
      });
      socket.on('close', () => settle(err({ code: 31921, message: 'WebSocket closed without handshake' })));
      socket.once('open', () => {
        socket.removeAllListeners('error');
        socket.removeAllListeners('close');
        socket.removeAllListeners('unexpected-response');
        const leg = new MediaStreamLeg(options, socket);
        socket.send(encodeConnected());
        socket.send(
          encodeStart({
            accountSid: options.accountSid,
            callSid: options.callSid,
            streamSid: options.streamSid,
            customParameters: options.customParameters,
          }),
        );
        settle(ok(leg));
      });
    });
  }

  isOpen(): boolean {
    return this.#isOpen && !this.#isStopping;
  }

  /** Sends one inbound frame: chunk counts from 1, and sequence numbers continue from `start` (A2). */
  sendFrame(payloadBase64: string, byteLength: number, timestampMs: number): void {
    if (!this.isOpen()) return;
    this.#chunk++;
    this.#sequenceNumber++;
    this.#socket.send(encodeMediaFrame(this.#sequenceNumber, this.#chunk, timestampMs, payloadBase64, this.streamSid));
    const timings = this.#options.timings;
    timings.framesSentAtMs.push(this.#options.clock.monotonicMs());
    timings.frameTimestampsMs.push(timestampMs);
    timings.frameBytes.push(byteLength);
  }

  sendDtmf(digit: string): void {
    if (!this.isOpen()) return;
    this.#sequenceNumber++;
    this.#socket.send(encodeDtmf(this.#sequenceNumber, this.streamSid, digit));
  }

  /** Plays out up to now and echoes the marks playout reached. */
  advance(nowMs: number): void {
    if (!this.#isOpen) return;
    this.#echo(this.#queue.advance(nowMs));
  }

  nextMarkDueMs(): number | undefined {
    return this.#queue.nextMarkDueMs();
  }

  isPlaying(nowMs: number): boolean {
    return this.#queue.isPlaying(nowMs);
  }

  idleSinceMs(): number {
    return this.#queue.idleSinceMs();
  }

  bufferedMs(nowMs: number): number {
    return this.#queue.bufferedMs(nowMs);
  }

  invalidMessageCount(): number {
    return this.#invalidCount;
  }

  /** Twilio's side ends the stream: `stop`, then close (hang-up or redirect, A2 step 8 and A4). */
  stop(): Promise<LegEnd> {
    if (this.#isOpen && !this.#isStopping) {
      this.#isStopping = true;
      this.#sequenceNumber++;
      this.#socket.send(encodeStop(this.#sequenceNumber, this.streamSid, this.#options.accountSid, this.#options.callSid));
      this.#socket.close(1000);
    }
    return this.ended;
  }

  /** Drops the socket without protocol (twin shutdown). */
  terminate(): void {
    this.#isStopping = true;
    this.#socket.terminate();
  }

  #receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (!this.isOpen()) return;
    const nowMs = this.#options.clock.monotonicMs();
    if (isBinary) {
      this.#invalid('binary frame (all frames are JSON text)', nowMs);
      return;
    }
    const parsed = parseServiceMessage(rawText(data), this.streamSid);
    if (!parsed.ok) {
      this.#invalid(parsed.error, nowMs);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'media': {
        this.#options.timings.mediaReceivedAtMs.push(nowMs);
        this.#options.timings.mediaReceivedBytes.push(message.payload.length);
        if (!this.#isHeaderReported && hasAudioFileHeader(message.payload)) {
          this.#isHeaderReported = true;
          this.#warn('media.audio-file-header', 'media payload starts with a RIFF/WAVE header (A2)', nowMs);
        }
        const appended = this.#queue.appendAudio(message.payload, nowMs);
        this.#echo(appended.echoes);
        if (!appended.isAccepted && !this.#isDiscardReported) {
          this.#isDiscardReported = true;
          this.#warn(31931, 'Media Discarded: more than 10 minutes of audio buffered', nowMs);
        }
        break;
      }
      case 'mark':
        this.#options.timings.marksReceived.push({ name: message.name, atMs: nowMs });
        this.#echo(this.#queue.appendMark(message.name, nowMs));
        break;
      case 'clear':
        this.#echo(this.#queue.clear(nowMs).echoes);
        break;
      default:
        assertNever(message, 'service message');
    }
    this.#options.onPlayoutChanged();
  }

  #echo(echoes: readonly MarkEcho[]): void {
    for (const echo of echoes) {
      this.#sequenceNumber++;
      this.#socket.send(encodeMarkEcho(this.#sequenceNumber, this.streamSid, echo.name));
      this.#options.onMarkEchoed(echo);
    }
  }

  // Twilio reports 31951 once per stream and ignores the message; the call goes on (A2, error table).
  #invalid(reason: string, nowMs: number): void {
    this.#invalidCount++;
    if (this.#isInvalidReported) return;
    this.#isInvalidReported = true;
    this.#warn(31951, `Stream - Protocol - Invalid Message: ${reason}`, nowMs);
  }

  #warn(code: number | string, message: string, atMs: number): void {
    this.#options.onWarning({ code, message, atMs, streamSid: this.streamSid });
  }

  #closed(code: number): void {
    if (!this.#isOpen) return;
    const nowMs = this.#options.clock.monotonicMs();
    this.#isOpen = false;
    // Audio that finished before the close was heard; marks can no longer be echoed on a closed socket.
    const { droppedBytes } = this.#queue.discard(nowMs);
    this.#resolveEnded({
      reason: this.#isStopping ? 'stopped' : 'service-closed',
      atMs: nowMs,
      closeCode: code,
      droppedMs: droppedBytes / MULAW_BYTES_PER_MS,
    });
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
