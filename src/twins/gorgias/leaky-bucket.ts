// The Gorgias per-account leaky bucket (gorgias-rest-api.md, 3 [C] S1): `capacity` requests drain evenly over
// `windowMs`, so a full bucket empties in one window. Pure: the caller passes the monotonic time.

export type BucketConfig = { capacity: number; windowMs: number };

/** API keys: 40 per 20 s; OAuth2 apps: 80 per 20 s (3 [C]); enterprise accounts use a 10 s window. */
export const API_KEY_BUCKET: BucketConfig = { capacity: 40, windowMs: 20_000 };
export const OAUTH_BUCKET: BucketConfig = { capacity: 80, windowMs: 20_000 };

export type BucketDecision =
  | { isAllowed: true; used: number; limit: number }
  | { isAllowed: false; used: number; limit: number; retryAfterSeconds: number };

// Guards the comparisons against float drift from the fractional leak.
const EPSILON = 1e-9;

export class LeakyBucket {
  #config: BucketConfig;
  #level = 0;
  #lastMs: number | undefined;

  constructor(config: BucketConfig) {
    assertBucketConfig(config);
    this.#config = config;
  }

  /** Admits one request if it fits, else says how many whole seconds until one would (`Retry-After`). */
  take(nowMs: number): BucketDecision {
    this.#leak(nowMs);
    const { capacity } = this.#config;
    if (this.#level + 1 > capacity + EPSILON) {
      const waitMs = (this.#level + 1 - capacity) / this.#leakPerMs();
      return { isAllowed: false, used: capacity, limit: capacity, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000 - EPSILON)) };
    }
    this.#level += 1;
    return { isAllowed: true, used: this.#used(), limit: capacity };
  }

  /** The header value without admitting anything: `<used>/<limit>` (3 [C]). */
  peek(nowMs: number): { used: number; limit: number } {
    this.#leak(nowMs);
    return { used: this.#used(), limit: this.#config.capacity };
  }

  #used(): number {
    return Math.min(this.#config.capacity, Math.max(0, Math.ceil(this.#level - EPSILON)));
  }

  #leakPerMs(): number {
    return this.#config.capacity / this.#config.windowMs;
  }

  #leak(nowMs: number): void {
    if (this.#lastMs !== undefined && nowMs > this.#lastMs) {
      this.#level = Math.max(0, this.#level - (nowMs - this.#lastMs) * this.#leakPerMs());
    }
    if (this.#lastMs === undefined || nowMs > this.#lastMs) this.#lastMs = nowMs;
  }
}

/** Bad bucket sizes are a programmer error, thrown at start-up. */
export function assertBucketConfig(config: BucketConfig): void {
  if (!(config.capacity >= 1) || !(config.windowMs > 0)) {
    throw new Error(`bucket needs capacity >= 1 and windowMs > 0, got ${JSON.stringify(config)}`);
  }
}

export function formatCallLimit(state: { used: number; limit: number }): string {
  return `${state.used}/${state.limit}`;
}
