// The caller twin's pending expectations: "resolve when this much agent audio was heard" and "resolve after this
// much silence". Pure bookkeeping; the caller twin checks them on every tick with the current heard total.

type AudioWaiter = {
  readonly targetHeardMs: number;
  /** Runs synchronously when the target is reached, so a barge-in lands in the very next frame. */
  readonly onReached: (() => void) | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
};

type SilenceWaiter = { readonly silenceMs: number; readonly resolve: () => void };

export type PlayoutState = {
  readonly nowMs: number;
  readonly heardMs: number;
  /** Undefined while agent audio is playing; otherwise when the caller last heard (or expected) any. */
  readonly silentSinceMs: number | undefined;
};

export class CallerWaiters {
  #audio: AudioWaiter[] = [];
  #silence: SilenceWaiter[] = [];

  waitForAudio(targetHeardMs: number, onReached?: () => void): Promise<void> {
    return new Promise((resolve, reject) => this.#audio.push({ targetHeardMs, onReached, resolve, reject }));
  }

  waitForSilence(silenceMs: number): Promise<void> {
    return new Promise((resolve) => this.#silence.push({ silenceMs, resolve }));
  }

  pendingCount(): number {
    return this.#audio.length + this.#silence.length;
  }

  /** Settles every waiter whose condition holds at `state`. */
  check(state: PlayoutState): void {
    if (this.#audio.length > 0) {
      const waiting: AudioWaiter[] = [];
      for (const waiter of this.#audio) {
        if (state.heardMs + 1e-9 >= waiter.targetHeardMs) {
          waiter.onReached?.();
          waiter.resolve();
        } else {
          waiting.push(waiter);
        }
      }
      this.#audio = waiting;
    }
    if (this.#silence.length > 0 && state.silentSinceMs !== undefined) {
      const silentForMs = state.nowMs - state.silentSinceMs;
      const waiting = this.#silence.filter((waiter) => silentForMs + 1e-9 < waiter.silenceMs);
      for (const waiter of this.#silence) if (!waiting.includes(waiter)) waiter.resolve();
      this.#silence = waiting;
    }
  }

  /** When the earliest silence waiter falls due, given playout went quiet at `silentSinceMs`. */
  nextSilenceDueMs(silentSinceMs: number | undefined): number | undefined {
    if (silentSinceMs === undefined || this.#silence.length === 0) return undefined;
    return silentSinceMs + Math.min(...this.#silence.map((waiter) => waiter.silenceMs));
  }

  /** The call ended: nothing more will be heard, so silence holds and audio never comes. */
  settleAtCallEnd(): void {
    for (const waiter of this.#silence) waiter.resolve();
    for (const waiter of this.#audio) waiter.reject(new Error('the call ended before the caller heard the expected agent audio'));
    this.#silence = [];
    this.#audio = [];
  }
}
