// How long to wait for Shopify's cost bucket, from the last `throttleStatus` it reported (twilio-and-shopify.md, B4).
// Pure: callers pass the time in; nothing here sleeps.

export type BucketSnapshot = {
  maximumAvailable: number;
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
  /** Monotonic milliseconds when Shopify reported it. */
  atMs: number;
};

/** Points the bucket should hold at `nowMs`, refilled at `restoreRate` and capped at `maximumAvailable`. */
export function estimateAvailable(snapshot: BucketSnapshot, nowMs: number): number {
  const elapsedSeconds = Math.max(0, nowMs - snapshot.atMs) / 1000;
  return Math.min(snapshot.maximumAvailable, snapshot.currentlyAvailable + elapsedSeconds * snapshot.restoreRate);
}

/**
 * Milliseconds until the bucket holds `neededPoints` (0 when it already does; Infinity when it never can).
 * "Before execution begins, an app's bucket must have enough capacity for the requested cost of a query" (B4).
 */
export function waitForCapacityMs(snapshot: BucketSnapshot, neededPoints: number, nowMs: number): number {
  if (neededPoints > snapshot.maximumAvailable || snapshot.restoreRate <= 0) return Number.POSITIVE_INFINITY;
  const missing = neededPoints - estimateAvailable(snapshot, nowMs);
  return missing <= 0 ? 0 : Math.ceil((missing / snapshot.restoreRate) * 1000);
}

/** After a THROTTLED answer: wait for the requested cost to fit, never less than `minWaitMs`. */
export function throttledWaitMs(requestedQueryCost: number, snapshot: BucketSnapshot, minWaitMs: number): number {
  return Math.max(minWaitMs, waitForCapacityMs(snapshot, requestedQueryCost, snapshot.atMs));
}
