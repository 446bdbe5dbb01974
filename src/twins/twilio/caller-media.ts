// The caller's ears and mouth across every stream of one call: drift-free frame pacing on the shared ticker, speech
// and DTMF out, playout heard, marks echoed, waits on what was heard. It never opens sockets or runs TwiML.
import type { Clock } from '../../shared/clock.ts';
import { MULAW_BYTES_PER_MS } from '../../shared/mulaw.ts';
import { CallerWaiters } from './caller-waiters.ts';
import type { FrameTicker, TickTask } from './frame-ticker.ts';
import { InboundAudioSource } from './inbound-audio-source.ts';
import type { LegEnd, LegOptions, MediaStreamLeg, StreamTimings, TwinWarning } from './media-stream-leg.ts';
import { HeardTimeline, type HeardSegment, type MarkEcho } from './playout-queue.ts';

export type TimestampGap = { readonly afterChunk: number; readonly gapMs: number };

export type StreamRecord = {
  readonly streamSid: string;
  readonly url: string;
  readonly customParameters: Readonly<Record<string, string>>;
  readonly startedAtMs: number;
};

export type StreamEnd = LegEnd & { readonly streamSid: string };

export type CallerMediaOptions = {
  clock: Clock;
  ticker: FrameTicker;
  frameMs: number;
  timestampGaps: readonly TimestampGap[];
  keepsHeardAudio: boolean;
  onWarning(warning: TwinWarning): void;
};

/** Coalescing tolerance shared with the ticker: a frame due within 1 ms goes out in this pass. */
const DUE_TOLERANCE_MS = 1;

export class CallerMedia {
  readonly #options: CallerMediaOptions;
  readonly #timeline: HeardTimeline;
  readonly #waiters = new CallerWaiters();
  readonly #audioSource: InboundAudioSource;
  readonly #gaps: ReadonlyMap<number, number>;
  readonly #timings: StreamTimings = { framesSentAtMs: [], frameTimestampsMs: [], frameBytes: [], mediaReceivedAtMs: [], mediaReceivedBytes: [], marksReceived: [] };
  readonly #marks: (MarkEcho & { streamSid: string })[] = [];
  readonly #streams: StreamRecord[] = [];
  readonly #streamEnds: StreamEnd[] = [];
  readonly #streamStartWaiters: ((streamSid: string | undefined) => void)[] = [];
  readonly #streamEndWaiters: ((end: StreamEnd | undefined) => void)[] = [];
  readonly #task: TickTask = { run: (nowMs) => this.#tick(nowMs) };
  #leg: MediaStreamLeg | undefined;
  #legStartMs = 0;
  #chunk = 0;
  #timestampMs = 0;
  #nextFrameDueMs = Number.POSITIVE_INFINITY;
  #isClosed = false;

  constructor(options: CallerMediaOptions) {
    if (!Number.isInteger(options.frameMs) || options.frameMs < 1) throw new Error('frameMs must be a positive integer');
    this.#options = options;
    this.#timeline = new HeardTimeline({ keepsAudio: options.keepsHeardAudio });
    this.#audioSource = new InboundAudioSource(options.frameMs * MULAW_BYTES_PER_MS);
    this.#gaps = new Map(options.timestampGaps.map((gap) => [gap.afterChunk, gap.gapMs]));
  }

  /** The parts of a leg's options this object owns: the heard timeline, timings and playout hooks. */
  legHooks(streamSid: string): Pick<LegOptions, 'clock' | 'timeline' | 'timings' | 'onWarning' | 'onMarkEchoed' | 'onPlayoutChanged'> {
    return {
      clock: this.#options.clock,
      timeline: this.#timeline,
      timings: this.#timings,
      onWarning: (warning) => this.#options.onWarning(warning),
      onMarkEchoed: (echo) => this.#marks.push({ ...echo, streamSid }),
      onPlayoutChanged: () => this.#reschedule(),
    };
  }

  /** Starts pacing frames on an open leg; resolves with how the stream ended. */
  async run(leg: MediaStreamLeg, url: string, customParameters: Readonly<Record<string, string>>): Promise<StreamEnd> {
    const nowMs = this.#options.clock.monotonicMs();
    this.#leg = leg;
    this.#legStartMs = nowMs;
    this.#chunk = 0;
    this.#timestampMs = 0;
    this.#nextFrameDueMs = nowMs;
    this.#streams.push({ streamSid: leg.streamSid, url, customParameters, startedAtMs: nowMs });
    this.#options.ticker.schedule(this.#task, nowMs);
    for (const resolve of this.#streamStartWaiters.splice(0)) resolve(leg.streamSid);
    const end: StreamEnd = { ...(await leg.ended), streamSid: leg.streamSid };
    if (this.#leg === leg) this.#leg = undefined;
    this.#options.ticker.remove(this.#task);
    this.#streamEnds.push(end);
    for (const resolve of this.#streamEndWaiters.splice(0)) resolve(end);
    this.#checkWaiters(this.#options.clock.monotonicMs());
    return end;
  }

  openLeg(): MediaStreamLeg | undefined {
    return this.#leg?.isOpen() ? this.#leg : undefined;
  }

  say(audio: Buffer): Promise<void> {
    if (this.#isClosed) return Promise.reject(new Error('the call has ended'));
    return this.#audioSource.enqueue(audio);
  }

  waitForAgentAudio(minMs: number): Promise<void> {
    if (this.#isClosed) return Promise.reject(new Error('the call has ended'));
    const promise = this.#waiters.waitForAudio(this.heardAudioMs() + minMs);
    this.#checkWaiters(this.#options.clock.monotonicMs());
    return promise;
  }

  waitForAgentSilence(silenceMs: number): Promise<void> {
    if (this.#isClosed) return Promise.resolve();
    const promise = this.#waiters.waitForSilence(silenceMs);
    this.#checkWaiters(this.#options.clock.monotonicMs());
    this.#reschedule();
    return promise;
  }

  async bargeIn(audio: Buffer, afterHeardMs: number): Promise<{ startedAtMs: number; heardBeforeMs: number }> {
    if (this.#isClosed) throw new Error('the call has ended');
    let sent: Promise<void> = Promise.resolve();
    let startedAtMs = 0;
    let heardBeforeMs = 0;
    await this.#waiters.waitForAudio(this.heardAudioMs() + afterHeardMs, () => {
      startedAtMs = this.#options.clock.monotonicMs();
      heardBeforeMs = this.#timeline.totalMs();
      sent = this.#audioSource.enqueue(audio);
    });
    await sent;
    return { startedAtMs, heardBeforeMs };
  }

  pressDigits(digits: string): void {
    if (!/^[0-9*#]+$/.test(digits)) throw new Error(`not DTMF digits: ${digits}`);
    const leg = this.openLeg();
    if (!leg) throw new Error('no open stream to send DTMF on');
    for (const digit of digits) leg.sendDtmf(digit);
  }

  waitForStreamStart(): Promise<string | undefined> {
    const leg = this.openLeg();
    if (leg) return Promise.resolve(leg.streamSid);
    if (this.#isClosed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#streamStartWaiters.push(resolve));
  }

  waitForStreamEnd(): Promise<StreamEnd | undefined> {
    const last = this.#streamEnds.at(-1);
    if (!this.#leg && (last || this.#isClosed)) return Promise.resolve(last);
    return new Promise((resolve) => this.#streamEndWaiters.push(resolve));
  }

  /** Leftovers for `assertNoPendingExpectations`. */
  leftovers(): string[] {
    const problems: string[] = [];
    if (this.#waiters.pendingCount() > 0) problems.push(`${this.#waiters.pendingCount()} pending wait(s)`);
    if (this.#audioSource.isSpeaking()) problems.push(`${this.#audioSource.pendingBytes() / MULAW_BYTES_PER_MS} ms of speech not yet sent`);
    return problems;
  }

  heardAudioMs(): number {
    this.#advance();
    return this.#timeline.totalMs();
  }

  heardSegments(): HeardSegment[] {
    this.#advance();
    return this.#timeline.segments();
  }

  heardAfterMs(atMs: number): number {
    this.#advance();
    return this.#timeline.heardAfterMs(atMs);
  }

  heardBetweenMs(fromMs: number, toMs: number): number {
    this.#advance();
    return this.#timeline.heardBetweenMs(fromMs, toMs);
  }

  receivedAfter(atMs: number): { messages: number; bytes: number } {
    let messages = 0;
    let bytes = 0;
    const { mediaReceivedAtMs, mediaReceivedBytes } = this.#timings;
    for (let i = 0; i < mediaReceivedAtMs.length; i++) {
      if ((mediaReceivedAtMs[i] ?? 0) > atMs) {
        messages++;
        bytes += mediaReceivedBytes[i] ?? 0;
      }
    }
    return { messages, bytes };
  }

  timings(): StreamTimings {
    return this.#timings;
  }

  marksEchoed(): readonly (MarkEcho & { streamSid: string })[] {
    return this.#marks;
  }

  streams(): readonly StreamRecord[] {
    return this.#streams;
  }

  streamEnds(): readonly StreamEnd[] {
    return this.#streamEnds;
  }

  streamSid(): string | undefined {
    return this.#leg?.streamSid ?? this.#streams.at(-1)?.streamSid;
  }

  /** The call ended: stop pacing, settle waits, fail unsent speech. */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#options.ticker.remove(this.#task);
    this.#waiters.settleAtCallEnd();
    this.#audioSource.rejectPending(new Error('the call ended before this speech was sent'));
    for (const resolve of this.#streamStartWaiters.splice(0)) resolve(undefined);
    for (const resolve of this.#streamEndWaiters.splice(0)) resolve(this.#streamEnds.at(-1));
  }

  #advance(): void {
    this.#leg?.advance(this.#options.clock.monotonicMs());
  }

  // Frames go out on a schedule computed from the stream start, so timer lateness never accumulates (A2 pacing).
  #tick(nowMs: number): number | undefined {
    const leg = this.#leg;
    if (!leg?.isOpen()) return undefined;
    leg.advance(nowMs);
    const frameBytes = this.#options.frameMs * MULAW_BYTES_PER_MS;
    while (this.#nextFrameDueMs <= nowMs + DUE_TOLERANCE_MS && leg.isOpen()) {
      this.#checkWaiters(nowMs);
      const frame = this.#audioSource.nextFrame();
      leg.sendFrame(frame.payloadBase64, frameBytes, this.#timestampMs);
      this.#chunk++;
      this.#timestampMs += this.#options.frameMs + (this.#gaps.get(this.#chunk) ?? 0);
      this.#nextFrameDueMs = this.#legStartMs + this.#timestampMs;
      for (const finished of frame.finished) finished();
    }
    this.#checkWaiters(nowMs);
    return this.#nextDueMs(leg, nowMs);
  }

  #nextDueMs(leg: MediaStreamLeg, nowMs: number): number {
    let due = this.#nextFrameDueMs;
    const markDue = leg.nextMarkDueMs();
    if (markDue !== undefined && markDue < due) due = markDue;
    const silenceDue = this.#waiters.nextSilenceDueMs(leg.isPlaying(nowMs) ? undefined : leg.idleSinceMs());
    if (silenceDue !== undefined && silenceDue < due) due = silenceDue;
    return due;
  }

  #reschedule(): void {
    const leg = this.openLeg();
    if (leg) this.#options.ticker.schedule(this.#task, this.#nextDueMs(leg, this.#options.clock.monotonicMs()));
  }

  #checkWaiters(nowMs: number): void {
    const leg = this.#leg;
    const isPlaying = leg?.isPlaying(nowMs) ?? false;
    const silentSinceMs = isPlaying ? undefined : (leg?.idleSinceMs() ?? this.#streamEnds.at(-1)?.atMs ?? nowMs);
    this.#waiters.check({ nowMs, heardMs: this.#timeline.totalMs(), silentSinceMs });
  }
}
