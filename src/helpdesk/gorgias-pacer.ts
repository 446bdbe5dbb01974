// Paces Gorgias requests so they stay inside the account's leaky bucket instead of running into 429s.
// Gorgias reports `used/limit` on every response and leaks `limit` calls per window (gorgias-rest-api.md, 3).
import type { Clock } from '../shared/clock.ts';
import type { CallLimit } from './gorgias-codec.ts';

export type BucketSettings = {
  /** Calls per window before the first response tells us: 40 for API keys, 80 for OAuth apps (gorgias-rest-api.md, 3). */
  readonly limit: number;
  /** 20 s, or 10 s for enterprise accounts (gorgias-rest-api.md, 3). */
  readonly windowMs: number;
  /** Calls left unused for other clients of the same account (another worker, the sidebar widget). */
  readonly headroom: number;
};

export type BucketState = {
  /** The bucket's level when last observed: the server's `used`, or our own count when no header came. */
  readonly level: number;
  readonly limit: number;
  readonly observedAtMs: number;
  /** Requests sent whose answers have not come back; they may not be in the last observed level yet. */
  readonly inFlight: number;
  /** A 429's Retry-After: nothing is sent before this instant. */
  readonly blockedUntilMs: number;
};

export function initialBucketState(settings: BucketSettings, nowMs: number): BucketState {
  return { level: 0, limit: settings.limit, observedAtMs: nowMs, inFlight: 0, blockedUntilMs: 0 };
}

/** The level now, after leaking `limit` calls per window since it was observed. */
export function estimateLevel(state: BucketState, nowMs: number, windowMs: number): number {
  const leaked = (Math.max(0, nowMs - state.observedAtMs) * state.limit) / windowMs;
  return Math.max(0, state.level - leaked);
}

/** How long to wait before one more request fits under `limit - headroom`; 0 means send now. */
export function paceDelayMs(state: BucketState, nowMs: number, settings: BucketSettings): number {
  const blockedMs = Math.max(0, state.blockedUntilMs - nowMs);
  const capacity = Math.max(1, state.limit - settings.headroom);
  const excess = estimateLevel(state, nowMs, settings.windowMs) + state.inFlight + 1 - capacity;
  const drainMs = excess > 0 ? Math.ceil((excess * settings.windowMs) / state.limit) : 0;
  return Math.max(blockedMs, drainMs);
}

/** Folds in an answer: the server's count when it sent one, else our own request added to the estimate. */
export function settleRequest(state: BucketState, callLimit: CallLimit | null, nowMs: number, windowMs: number): BucketState {
  const inFlight = Math.max(0, state.inFlight - 1);
  if (callLimit) return { ...state, level: callLimit.used, limit: callLimit.limit, observedAtMs: nowMs, inFlight };
  return { ...state, level: estimateLevel(state, nowMs, windowMs) + 1, observedAtMs: nowMs, inFlight };
}

/** The stateful side: one per client, shared by every request it sends. */
export class RequestPacer {
  readonly #settings: BucketSettings;
  readonly #clock: Clock;
  #state: BucketState;

  constructor(settings: BucketSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
    this.#state = initialBucketState(settings, clock.now());
  }

  /** Resolves when one more request fits; the caller must then `settle` it exactly once. Returns the wait. */
  async acquire(): Promise<number> {
    let waitedMs = 0;
    for (;;) {
      const delayMs = paceDelayMs(this.#state, this.#clock.now(), this.#settings);
      if (delayMs === 0) {
        this.#state = { ...this.#state, inFlight: this.#state.inFlight + 1 };
        return waitedMs;
      }
      waitedMs += delayMs;
      await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, delayMs));
    }
  }

  settle(callLimit: CallLimit | null): void {
    this.#state = settleRequest(this.#state, callLimit, this.#clock.now(), this.#settings.windowMs);
  }

  /** After a 429: hold every request until Retry-After has passed. */
  blockFor(delayMs: number): void {
    this.#state = { ...this.#state, blockedUntilMs: Math.max(this.#state.blockedUntilMs, this.#clock.now() + delayMs) };
  }

  snapshot(): BucketState {
    return this.#state;
  }
}
