// Turns the marks Twilio echoes into what the caller actually heard, per assistant item, and the truncation
// points a barge-in needs. Pure state: no sockets, no clock; the session feeds it and acts on its answers.
import { MULAW_BYTES_PER_MS } from '../shared/mulaw.ts';

/** How far past the last acknowledged mark the caller is assumed to have heard (voice-peers.md, 2: played + 50 ms). */
export const HEARD_SLACK_MS = 50;

/** Where to cut an item, and how much of its audio had been generated (sent) before the cut. */
export type Truncation = { itemId: string; contentIndex: number; audioEndMs: number; generatedMs: number };

type ItemPlayback = {
  itemId: string;
  responseId: string;
  contentIndex: number;
  sentMs: number;
  heardMs: number;
  firstHeardAtMs: number | null;
  isAudioDone: boolean;
};

type PendingMark = { itemId: string; sentMs: number; isStart: boolean };

export type MarkAck =
  | { kind: 'stale' }
  | { kind: 'unknown' }
  | { kind: 'heard'; itemId: string; responseId: string; heardMs: number; isFirstAudio: boolean };

export class PlaybackTracker {
  #generation = 0;
  #markSeq = 0;
  readonly #items = new Map<string, ItemPlayback>();
  readonly #order: string[] = [];
  readonly #pending = new Map<string, PendingMark>();

  /**
   * Records audio about to be sent for an item and returns the names of the marks to send: a start mark before
   * the item's first audio (it echoes when playout of this item begins) and a mark after the audio.
   */
  recordAudio(responseId: string, itemId: string, contentIndex: number, byteLength: number): { startMark: string | null; endMark: string } {
    let item = this.#items.get(itemId);
    let startMark: string | null = null;
    if (!item) {
      item = { itemId, responseId, contentIndex, sentMs: 0, heardMs: 0, firstHeardAtMs: null, isAudioDone: false };
      this.#items.set(itemId, item);
      this.#order.push(itemId);
      startMark = this.#newMark({ itemId, sentMs: 0, isStart: true });
    }
    item.sentMs += byteLength / MULAW_BYTES_PER_MS;
    return { startMark, endMark: this.#newMark({ itemId, sentMs: item.sentMs, isStart: false }) };
  }

  /**
   * An echoed mark means played or cleared; after a clear, echoes of the old generation must not advance the
   * heard position (twilio-and-shopify.md, A2).
   */
  acknowledge(name: string, atMs: number): MarkAck {
    const mark = this.#pending.get(name);
    if (!mark) return name.startsWith(`g${this.#generation}:`) ? { kind: 'unknown' } : { kind: 'stale' };
    this.#pending.delete(name);
    const item = this.#items.get(mark.itemId);
    if (!item) return { kind: 'stale' };
    item.heardMs = Math.max(item.heardMs, mark.sentMs);
    const isFirstAudio = mark.isStart && item.firstHeardAtMs === null;
    if (isFirstAudio) item.firstHeardAtMs = atMs;
    const ack = { kind: 'heard' as const, itemId: item.itemId, responseId: item.responseId, heardMs: item.heardMs, isFirstAudio };
    this.#forgetHeardItems();
    return ack;
  }

  /** True while audio has been sent that the caller has not finished hearing. */
  get hasUnheardAudio(): boolean {
    return this.#pending.size > 0;
  }

  /** Items still tracked; stays small however long the call runs. */
  get trackedItemCount(): number {
    return this.#items.size;
  }

  heardMs(itemId: string): number {
    return this.#items.get(itemId)?.heardMs ?? 0;
  }

  sentMs(itemId: string): number {
    return this.#items.get(itemId)?.sentMs ?? 0;
  }

  /**
   * A barge-in: every item still playing is cut where the caller stopped hearing it, the first at
   * min(sent, heard + 50 ms) and any later queued item at 0; marks of this generation become stale.
   */
  interrupt(): Truncation[] {
    const truncations: Truncation[] = [];
    let isFirstUnheard = true;
    for (const itemId of this.#order) {
      const item = this.#items.get(itemId);
      if (!item || item.heardMs >= item.sentMs) continue;
      const audioEndMs = isFirstUnheard ? Math.min(item.sentMs, item.heardMs + HEARD_SLACK_MS) : 0;
      truncations.push({ itemId, contentIndex: item.contentIndex, audioEndMs: Math.floor(audioEndMs), generatedMs: item.sentMs });
      item.sentMs = audioEndMs;
      item.heardMs = audioEndMs;
      isFirstUnheard = false;
    }
    this.#generation++;
    this.#pending.clear();
    this.#items.clear();
    this.#order.length = 0;
    return truncations;
  }

  /** The model finished an item's audio; once it is all heard, its bookkeeping is dropped. */
  markAudioDone(itemId: string): void {
    const item = this.#items.get(itemId);
    if (item) item.isAudioDone = true;
    this.#forgetHeardItems();
  }

  /** Items finished and fully heard are forgotten, so a long call keeps constant state. */
  #forgetHeardItems(): void {
    if (this.#pending.size > 0 || this.#order.length === 0) return;
    for (const itemId of this.#order) {
      const item = this.#items.get(itemId);
      if (item?.isAudioDone) this.#items.delete(itemId);
    }
    this.#order.splice(0, this.#order.length, ...this.#order.filter((itemId) => this.#items.has(itemId)));
  }

  #newMark(mark: PendingMark): string {
    const name = `g${this.#generation}:${++this.#markSeq}`;
    this.#pending.set(name, mark);
    return name;
  }
}
