// The caller's microphone: queued speech cut into fixed frames, silence when nobody speaks. It never touches a
// socket or a clock; the caller twin pulls one frame per tick. Whole frames of speech are sent without copying.
import { MULAW_SILENCE_BYTE } from '../../shared/mulaw.ts';

type Utterance = { audio: Buffer; offset: number; resolve: () => void; reject: (error: Error) => void };

export type InboundFrame = {
  readonly payloadBase64: string;
  /** Settles the `say` promises whose last byte is in this frame; call after the frame is sent. */
  readonly finished: readonly (() => void)[];
};

export class InboundAudioSource {
  readonly #frameBytes: number;
  readonly #silenceBase64: string;
  readonly #scratch: Buffer;
  #utterances: Utterance[] = [];

  constructor(frameBytes: number) {
    this.#frameBytes = frameBytes;
    this.#silenceBase64 = Buffer.alloc(frameBytes, MULAW_SILENCE_BYTE).toString('base64');
    this.#scratch = Buffer.alloc(frameBytes);
  }

  /** Queues µ-law audio behind anything already queued; resolves once its last byte has been sent. */
  enqueue(audio: Buffer): Promise<void> {
    if (audio.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#utterances.push({ audio, offset: 0, resolve, reject }));
  }

  isSpeaking(): boolean {
    return this.#utterances.length > 0;
  }

  pendingBytes(): number {
    let total = 0;
    for (const utterance of this.#utterances) total += utterance.audio.length - utterance.offset;
    return total;
  }

  nextFrame(): InboundFrame {
    const first = this.#utterances[0];
    if (!first) return { payloadBase64: this.#silenceBase64, finished: [] };
    if (first.audio.length - first.offset > this.#frameBytes) {
      const payloadBase64 = first.audio.toString('base64', first.offset, first.offset + this.#frameBytes);
      first.offset += this.#frameBytes;
      return { payloadBase64, finished: [] };
    }
    const finished: (() => void)[] = [];
    let filled = 0;
    while (filled < this.#frameBytes) {
      const utterance = this.#utterances[0];
      if (!utterance) break;
      const take = Math.min(this.#frameBytes - filled, utterance.audio.length - utterance.offset);
      utterance.audio.copy(this.#scratch, filled, utterance.offset, utterance.offset + take);
      utterance.offset += take;
      filled += take;
      if (utterance.offset >= utterance.audio.length) {
        this.#utterances.shift();
        finished.push(utterance.resolve);
      }
    }
    this.#scratch.fill(MULAW_SILENCE_BYTE, filled);
    return { payloadBase64: this.#scratch.toString('base64'), finished };
  }

  /** The call ended: speech that was never sent fails its `say`. */
  rejectPending(error: Error): void {
    const pending = this.#utterances;
    this.#utterances = [];
    for (const utterance of pending) utterance.reject(error);
  }
}
