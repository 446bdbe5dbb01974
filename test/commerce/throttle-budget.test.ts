import { describe, expect, it } from 'vitest';
import { estimateAvailable, throttledWaitMs, waitForCapacityMs, type BucketSnapshot } from '../../src/commerce/throttle-budget.ts';

const snapshot: BucketSnapshot = { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50, atMs: 10_000 };

describe('throttle budget (twilio-and-shopify.md, B4)', () => {
  it.each([
    [10_000, 666],
    [11_000, 716],
    [20_000, 1000],
    [5_000, 666],
  ])('estimates the bucket at %i ms as %i points', (nowMs, expected) => {
    expect(estimateAvailable(snapshot, nowMs)).toBe(expected);
  });

  it.each([
    [600, 10_000, 0],
    [752, 10_000, 1720],
    [752, 11_000, 720],
    [1001, 10_000, Number.POSITIVE_INFINITY],
  ])('waits for %i points at %i ms: %f ms', (needed, nowMs, expected) => {
    expect(waitForCapacityMs(snapshot, needed, nowMs)).toBe(expected);
  });

  it('waits after THROTTLED until the requested cost fits, never less than the floor', () => {
    expect(throttledWaitMs(752, snapshot, 50)).toBe(1720);
    expect(throttledWaitMs(10, snapshot, 50)).toBe(50);
  });
});
