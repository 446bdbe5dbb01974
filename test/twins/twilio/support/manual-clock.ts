// A hand-driven Clock for the Twilio twin tests: time moves only when a test calls advance(), timers fire in order.
import type { Clock, TimerHandle } from '../../../../src/shared/clock.ts';

type Timer = { id: number; dueMs: number; callback: () => void; intervalMs: number | undefined };

export class ManualClock implements Clock {
  readonly #epochMs: number;
  #nowMs = 1000;
  #nextId = 1;
  #timers: Timer[] = [];

  constructor(epochMs = Date.UTC(2026, 10, 20, 12, 0, 0)) {
    this.#epochMs = epochMs;
  }

  now(): number {
    return this.#epochMs + this.#nowMs;
  }

  monotonicMs(): number {
    return this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.#add(callback, delayMs, undefined);
  }

  setInterval(callback: () => void, intervalMs: number): TimerHandle {
    return this.#add(callback, intervalMs, intervalMs);
  }

  pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward, firing every timer due on the way at its own due time. */
  advance(ms: number): void {
    const targetMs = this.#nowMs + ms;
    for (;;) {
      const next = this.#timers.reduce<Timer | undefined>((best, timer) => (!best || timer.dueMs < best.dueMs || (timer.dueMs === best.dueMs && timer.id < best.id) ? timer : best), undefined);
      if (!next || next.dueMs > targetMs) break;
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      if (next.intervalMs === undefined) this.#timers = this.#timers.filter((timer) => timer !== next);
      else next.dueMs += Math.max(1, next.intervalMs);
      next.callback();
    }
    this.#nowMs = targetMs;
  }

  #add(callback: () => void, delayMs: number, intervalMs: number | undefined): TimerHandle {
    const timer: Timer = { id: this.#nextId++, dueMs: this.#nowMs + Math.max(0, delayMs), callback, intervalMs };
    this.#timers.push(timer);
    return { cancel: () => (this.#timers = this.#timers.filter((candidate) => candidate !== timer)) };
  }
}
