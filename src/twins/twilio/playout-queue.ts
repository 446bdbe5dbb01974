// What the caller hears: the playout queue that drains the service's audio at 8 bytes per ms of the caller's clock,
// echoes marks when playout reaches them, and the timeline of audio actually played. Pure: time is always an argument.
import { MULAW_BYTES_PER_MS } from '../../shared/mulaw.ts';

export type HeardSegment = {
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
  /** The µ-law bytes played, when the timeline keeps audio. */
  readonly audio?: Buffer;
};

export type MarkEcho = {
  readonly name: string;
  readonly queuedAtMs: number;
  readonly echoedAtMs: number;
  /** True when the mark was echoed because of a `clear`, not because playout reached it (A2). */
  readonly wasCleared: boolean;
};

const CONTIGUOUS_EPSILON_MS = 1e-6;

type MutableSegment = { startMs: number; endMs: number; bytes: number; chunks: Buffer[] };

/** Every span of agent audio the caller heard, across all streams of one call. */
export class HeardTimeline {
  readonly #keepsAudio: boolean;
  readonly #segments: MutableSegment[] = [];
  #totalBytes = 0;

  constructor(options: { keepsAudio: boolean }) {
    this.#keepsAudio = options.keepsAudio;
  }

  record(startMs: number, audio: Buffer): void {
    if (audio.length === 0) return;
    const endMs = startMs + audio.length / MULAW_BYTES_PER_MS;
    this.#totalBytes += audio.length;
    const last = this.#segments.at(-1);
    if (last && Math.abs(last.endMs - startMs) < CONTIGUOUS_EPSILON_MS) {
      last.endMs = endMs;
      last.bytes += audio.length;
      if (this.#keepsAudio) last.chunks.push(audio);
      return;
    }
    this.#segments.push({ startMs, endMs, bytes: audio.length, chunks: this.#keepsAudio ? [audio] : [] });
  }

  totalMs(): number {
    return this.#totalBytes / MULAW_BYTES_PER_MS;
  }

  /** Contiguous spans of heard audio, oldest first. */
  segments(): HeardSegment[] {
    return this.#segments.map((segment) => ({
      startMs: segment.startMs,
      endMs: segment.endMs,
      bytes: segment.bytes,
      ...(this.#keepsAudio ? { audio: Buffer.concat(segment.chunks) } : {}),
    }));
  }

  /** Milliseconds of audio heard after `atMs` (a segment straddling it counts only its later part). */
  heardAfterMs(atMs: number): number {
    let total = 0;
    for (const segment of this.#segments) {
      if (segment.endMs > atMs) total += segment.endMs - Math.max(atMs, segment.startMs);
    }
    return total;
  }

  /** Milliseconds heard in [fromMs, toMs). */
  heardBetweenMs(fromMs: number, toMs: number): number {
    let total = 0;
    for (const segment of this.#segments) {
      const start = Math.max(fromMs, segment.startMs);
      const end = Math.min(toMs, segment.endMs);
      if (end > start) total += end - start;
    }
    return total;
  }
}

type QueuedAudio = { kind: 'audio'; audio: Buffer; startMs: number; playedBytes: number };
type QueuedMark = { kind: 'mark'; name: string; dueMs: number; queuedAtMs: number };

/** Twilio's buffer ceiling: more than 10 minutes of queued audio is discarded (31931, A2). */
export const MAX_BUFFERED_MS = 10 * 60 * 1000;

/** One stream's playout buffer. Always call with non-decreasing `nowMs`. */
export class PlayoutQueue {
  readonly #timeline: HeardTimeline;
  #items: (QueuedAudio | QueuedMark)[] = [];
  #head = 0;
  #queueEndMs: number;
  #pendingMarks = 0;

  constructor(timeline: HeardTimeline, startedAtMs: number) {
    this.#timeline = timeline;
    this.#queueEndMs = startedAtMs;
  }

  /** Queues audio behind what is already buffered; false when the 10-minute ceiling discards it. */
  appendAudio(audio: Buffer, nowMs: number): { echoes: MarkEcho[]; isAccepted: boolean } {
    const echoes = this.advance(nowMs);
    if (audio.length === 0) return { echoes, isAccepted: true };
    const startMs = Math.max(nowMs, this.#queueEndMs);
    if (startMs - nowMs > MAX_BUFFERED_MS) return { echoes, isAccepted: false };
    this.#items.push({ kind: 'audio', audio, startMs, playedBytes: 0 });
    this.#queueEndMs = startMs + audio.length / MULAW_BYTES_PER_MS;
    return { echoes, isAccepted: true };
  }

  /** Inserts a mark; it is echoed at once when nothing is buffered (A2). */
  appendMark(name: string, nowMs: number): MarkEcho[] {
    const echoes = this.advance(nowMs);
    if (this.#queueEndMs <= nowMs) {
      echoes.push({ name, queuedAtMs: nowMs, echoedAtMs: nowMs, wasCleared: false });
      return echoes;
    }
    this.#items.push({ kind: 'mark', name, dueMs: this.#queueEndMs, queuedAtMs: nowMs });
    this.#pendingMarks++;
    return echoes;
  }

  /** Drops all buffered audio and echoes every pending mark in order (A2). */
  clear(nowMs: number): { echoes: MarkEcho[]; droppedBytes: number } {
    const echoes = this.advance(nowMs);
    let droppedBytes = 0;
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i];
      if (!item) continue;
      if (item.kind === 'audio') droppedBytes += item.audio.length - item.playedBytes;
      else echoes.push({ name: item.name, queuedAtMs: item.queuedAtMs, echoedAtMs: nowMs, wasCleared: true });
    }
    this.#reset(nowMs);
    return { echoes, droppedBytes };
  }

  /** The stream ended: whatever was still buffered is never played and no mark is echoed. */
  discard(nowMs: number): { droppedBytes: number } {
    this.advance(nowMs);
    let droppedBytes = 0;
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i];
      if (item?.kind === 'audio') droppedBytes += item.audio.length - item.playedBytes;
    }
    this.#reset(nowMs);
    return { droppedBytes };
  }

  /** Plays out everything due by `nowMs` into the timeline and returns the marks playout reached. */
  advance(nowMs: number): MarkEcho[] {
    const echoes: MarkEcho[] = [];
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head];
      if (!item) break;
      if (item.kind === 'mark') {
        if (item.dueMs > nowMs) break;
        echoes.push({ name: item.name, queuedAtMs: item.queuedAtMs, echoedAtMs: item.dueMs, wasCleared: false });
        this.#pendingMarks--;
        this.#head++;
        continue;
      }
      if (item.startMs >= nowMs) break;
      const playable = Math.min(item.audio.length, Math.floor((nowMs - item.startMs) * MULAW_BYTES_PER_MS + 1e-9));
      if (playable > item.playedBytes) {
        this.#timeline.record(item.startMs + item.playedBytes / MULAW_BYTES_PER_MS, item.audio.subarray(item.playedBytes, playable));
        item.playedBytes = playable;
      }
      if (item.playedBytes < item.audio.length) break;
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return echoes;
  }

  /** When the next pending mark falls due, so a ticker can echo it on time. */
  nextMarkDueMs(): number | undefined {
    if (this.#pendingMarks === 0) return undefined;
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i];
      if (item?.kind === 'mark') return item.dueMs;
    }
    return undefined;
  }

  isPlaying(nowMs: number): boolean {
    return this.#queueEndMs > nowMs;
  }

  /** The moment the buffer last ran dry (or will, if audio is still playing). */
  idleSinceMs(): number {
    return this.#queueEndMs;
  }

  bufferedMs(nowMs: number): number {
    return Math.max(0, this.#queueEndMs - nowMs);
  }

  #reset(nowMs: number): void {
    this.#items = [];
    this.#head = 0;
    this.#pendingMarks = 0;
    this.#queueEndMs = nowMs;
  }
}
