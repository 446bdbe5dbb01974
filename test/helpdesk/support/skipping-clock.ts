// A clock whose waits end at once while its time jumps ahead by the wait, for real-socket tests of retries and
// backoff: sockets run in real time, the waits a client chooses cost no wall time and are recorded.
import type { Clock, TimerHandle } from '../../../src/shared/clock.ts';

export class SkippingClock implements Clock {
  #skippedMs = 0;
  readonly waitsMs: number[] = [];

  now(): number {
    return Date.now() + this.#skippedMs;
  }

  monotonicMs(): number {
    return performance.now() + this.#skippedMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    let isCancelled = false;
    this.waitsMs.push(delayMs);
    setImmediate(() => {
      if (isCancelled) return;
      this.#skippedMs += Math.max(0, delayMs);
      callback();
    });
    return { cancel: () => void (isCancelled = true) };
  }

  /** Intervals (lease heartbeats) never fire: skipped time would make them fire in a burst. */
  setInterval(): TimerHandle {
    return { cancel: () => undefined };
  }

  /** Moves time forward without waiting, e.g. past a lease or a next attempt. */
  advance(ms: number): void {
    this.#skippedMs += ms;
  }
}
