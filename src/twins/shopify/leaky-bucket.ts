// The cost bucket Shopify keeps per app and shop: drained by requested cost, refunded the unused part, refilled per second (B4).
// Time comes from the injected Clock, so tests drive refills by hand.
import type { Clock } from '../../shared/clock.ts';

export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };

export type BucketSettings = { maximumAvailable: number; restoreRate: number };

/** Standard plan: 100 points per second; the bucket size per plan is unconfirmed, so it is a setting (B4). */
export const STANDARD_BUCKET: BucketSettings = { maximumAvailable: 2000, restoreRate: 100 };

export class LeakyBucket {
  #settings: BucketSettings;
  #clock: Clock;
  #available: number;
  #updatedAtMs: number;

  constructor(settings: BucketSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
    this.#available = settings.maximumAvailable;
    this.#updatedAtMs = clock.monotonicMs();
  }

  #refill(): void {
    const nowMs = this.#clock.monotonicMs();
    const elapsedMs = Math.max(0, nowMs - this.#updatedAtMs);
    this.#available = Math.min(this.#settings.maximumAvailable, this.#available + (elapsedMs / 1000) * this.#settings.restoreRate);
    this.#updatedAtMs = nowMs;
  }

  status(): ThrottleStatus {
    this.#refill();
    return {
      maximumAvailable: this.#settings.maximumAvailable,
      currentlyAvailable: Math.floor(this.#available),
      restoreRate: this.#settings.restoreRate,
    };
  }

  /** "Before execution begins, an app's bucket must have enough capacity for the requested cost" (B4). */
  tryTake(points: number): boolean {
    this.#refill();
    if (this.#available < points) return false;
    this.#available -= points;
    return true;
  }

  refund(points: number): void {
    this.#refill();
    this.#available = Math.min(this.#settings.maximumAvailable, this.#available + Math.max(0, points));
  }

  drain(): void {
    this.#refill();
    this.#available = 0;
  }
}
