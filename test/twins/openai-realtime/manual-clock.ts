// A Clock driven by hand, so response pacing and the session cap run without sleeping.
import type { Clock, TimerHandle } from '../../../src/shared/clock.ts';

type Timer = { atMs: number; order: number; callback: () => void; intervalMs: number | null };

export type ManualClock = Clock & {
  /** Runs every timer due within `ms`, in time order, including timers scheduled while advancing. */
  advance(ms: number): void;
  pendingTimers(): number;
};

export function createManualClock(startMs = 1_767_225_600_000): ManualClock {
  let nowMs = startMs;
  let order = 0;
  const timers = new Set<Timer>();
  const add = (callback: () => void, delayMs: number, intervalMs: number | null): TimerHandle => {
    const timer: Timer = { atMs: nowMs + Math.max(0, delayMs), order: order++, callback, intervalMs };
    timers.add(timer);
    return { cancel: () => timers.delete(timer) };
  };
  return {
    now: () => nowMs,
    monotonicMs: () => nowMs - startMs,
    setTimeout: (callback, delayMs) => add(callback, delayMs, null),
    setInterval: (callback, intervalMs) => add(callback, intervalMs, intervalMs),
    pendingTimers: () => timers.size,
    advance(ms) {
      const targetMs = nowMs + ms;
      for (;;) {
        const due = [...timers].filter((timer) => timer.atMs <= targetMs).sort((a, b) => a.atMs - b.atMs || a.order - b.order)[0];
        if (!due) break;
        timers.delete(due);
        nowMs = due.atMs;
        if (due.intervalMs !== null) timers.add({ ...due, atMs: due.atMs + due.intervalMs, order: order++ });
        due.callback();
      }
      nowMs = targetMs;
    },
  };
}
