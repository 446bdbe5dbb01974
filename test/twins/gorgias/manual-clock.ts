// A Clock driven by hand for twin tests: time moves only on `advance`, and a test can await the next timer.
import type { Clock, TimerHandle } from '../../../src/shared/clock.ts';

type PendingTimer = { id: number; dueMs: number; callback: () => void; intervalMs: number | undefined };

export class ManualClock implements Clock {
  #wallMs: number;
  #monotonicMs = 0;
  #nextId = 1;
  #timers: PendingTimer[] = [];
  #onSchedule: (() => void)[] = [];

  constructor(startIso = '2026-11-21T04:00:00.000Z') {
    this.#wallMs = Date.parse(startIso);
  }

  now(): number {
    return this.#wallMs;
  }

  monotonicMs(): number {
    return this.#monotonicMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.#schedule(callback, delayMs, undefined);
  }

  setInterval(callback: () => void, intervalMs: number): TimerHandle {
    return this.#schedule(callback, intervalMs, intervalMs);
  }

  /** Resolves when the next timer is scheduled (for example, a response held back by latency). */
  nextTimerScheduled(): Promise<void> {
    return new Promise((resolve) => this.#onSchedule.push(resolve));
  }

  pendingTimerCount(): number {
    return this.#timers.length;
  }

  advance(ms: number): void {
    const targetMs = this.#monotonicMs + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => timer.dueMs <= targetMs).sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (!due) break;
      this.#moveTo(due.dueMs);
      if (due.intervalMs === undefined) this.#timers = this.#timers.filter((timer) => timer !== due);
      else due.dueMs += due.intervalMs;
      due.callback();
    }
    this.#moveTo(targetMs);
  }

  #moveTo(monotonicMs: number): void {
    this.#wallMs += monotonicMs - this.#monotonicMs;
    this.#monotonicMs = monotonicMs;
  }

  #schedule(callback: () => void, delayMs: number, intervalMs: number | undefined): TimerHandle {
    const timer: PendingTimer = { id: this.#nextId++, dueMs: this.#monotonicMs + Math.max(0, delayMs), callback, intervalMs };
    this.#timers.push(timer);
    for (const notify of this.#onSchedule.splice(0)) notify();
    return { cancel: () => (this.#timers = this.#timers.filter((candidate) => candidate !== timer)) };
  }
}
