// A clock whose timers fire at once, moving time forward by their delay: waits happen instantly and in order,
// and a twin sharing the clock sees its bucket refill by exactly the time waited.
import type { Clock, TimerHandle } from '../../../src/shared/clock.ts';

export class JumpingClock implements Clock {
  #nowMs: number;
  #monotonicMs = 0;
  readonly waits: number[] = [];

  constructor(startIso = '2026-11-20T12:00:00Z') {
    this.#nowMs = Date.parse(startIso);
  }

  now(): number {
    return this.#nowMs;
  }

  monotonicMs(): number {
    return this.#monotonicMs;
  }

  advance(ms: number): void {
    this.#nowMs += ms;
    this.#monotonicMs += ms;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    let isCancelled = false;
    this.waits.push(delayMs);
    this.advance(delayMs);
    queueMicrotask(() => {
      if (!isCancelled) callback();
    });
    return { cancel: () => void (isCancelled = true) };
  }

  setInterval(): TimerHandle {
    throw new Error('JumpingClock has no intervals');
  }
}
