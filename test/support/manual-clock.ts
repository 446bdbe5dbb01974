// A clock tests move by hand: timers fire in order when time is advanced, never on their own.
import type { Clock, TimerHandle } from '../../src/shared/clock.ts';

type Timer = { id: number; atMs: number; intervalMs: number | null; callback: () => void };

export class ManualClock implements Clock {
  #nowMs: number;
  #monotonicMs = 0;
  #nextId = 0;
  readonly #timers = new Map<number, Timer>();

  constructor(startIso = '2026-11-19T15:00:00Z') {
    this.#nowMs = Date.parse(startIso);
  }

  now(): number {
    return this.#nowMs;
  }

  monotonicMs(): number {
    return this.#monotonicMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.#add(callback, delayMs, null);
  }

  setInterval(callback: () => void, intervalMs: number): TimerHandle {
    return this.#add(callback, intervalMs, intervalMs);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward, firing due timers in time order; awaits microtasks between them. */
  async advance(ms: number): Promise<void> {
    const target = this.#monotonicMs + ms;
    for (;;) {
      const next = [...this.#timers.values()].filter((timer) => timer.atMs <= target).sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (!next) break;
      this.#move(next.atMs - this.#monotonicMs);
      if (next.intervalMs === null) this.#timers.delete(next.id);
      else next.atMs += next.intervalMs;
      next.callback();
      await flushMicrotasks();
    }
    this.#move(target - this.#monotonicMs);
    await flushMicrotasks();
  }

  #move(ms: number): void {
    this.#monotonicMs += ms;
    this.#nowMs += ms;
  }

  #add(callback: () => void, delayMs: number, intervalMs: number | null): TimerHandle {
    const id = ++this.#nextId;
    this.#timers.set(id, { id, atMs: this.#monotonicMs + Math.max(0, delayMs), intervalMs, callback });
    return { cancel: () => void this.#timers.delete(id) };
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}
