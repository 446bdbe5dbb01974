// Time as an input: sessions, workers and policies take a Clock so tests can drive time by hand.

export type TimerHandle = { cancel(): void };

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Monotonic milliseconds, for measuring durations. */
  monotonicMs(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  setInterval(callback: () => void, intervalMs: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicMs: () => performance.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
  setInterval(callback, intervalMs) {
    const handle = setInterval(callback, intervalMs);
    return { cancel: () => clearInterval(handle) };
  },
};
