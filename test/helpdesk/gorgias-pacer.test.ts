import { describe, expect, it, onTestFinished } from 'vitest';
import { backoffDelayMs } from '../../src/helpdesk/backoff.ts';
import { estimateLevel, initialBucketState, paceDelayMs, RequestPacer, settleRequest, type BucketState } from '../../src/helpdesk/gorgias-pacer.ts';
import { ManualClock } from '../support/manual-clock.ts';

const settings = { limit: 40, windowMs: 20_000, headroom: 2 };
const at = (state: Partial<BucketState>): BucketState => ({ level: 0, limit: 40, observedAtMs: 0, inFlight: 0, blockedUntilMs: 0, ...state });

describe('request pacing under the leaky bucket (gorgias-rest-api.md, 3)', () => {
  it.each([
    ['an empty bucket', at({}), 0, 0],
    ['room for one more under the headroom', at({ level: 37 }), 0, 0],
    ['the headroom reached', at({ level: 38 }), 0, 500],
    ['a full bucket', at({ level: 40 }), 0, 1_500],
    ['a full bucket after it leaked for a second', at({ level: 40 }), 1_000, 500],
    ['requests in flight count against the room', at({ level: 30, inFlight: 8 }), 0, 500],
    ['a Retry-After block', at({ blockedUntilMs: 4_000 }), 1_000, 3_000],
  ])('waits the right time with %s', (_name, state, nowMs, expectedMs) => {
    expect(paceDelayMs(state, nowMs, settings)).toBe(expectedMs);
  });

  it('leaks limit calls per window and never below zero', () => {
    expect(estimateLevel(at({ level: 40 }), 10_000, 20_000)).toBe(20);
    expect(estimateLevel(at({ level: 40 }), 60_000, 20_000)).toBe(0);
  });

  it('trusts the server count when a header comes, and counts itself when none does', () => {
    const sent = at({ level: 10, inFlight: 2 });
    expect(settleRequest(sent, { used: 25, limit: 80 }, 500, 20_000)).toEqual(at({ level: 25, limit: 80, observedAtMs: 500, inFlight: 1 }));
    // 10 leaked by 2 in one second, plus this request.
    expect(settleRequest(sent, null, 1_000, 20_000)).toEqual(at({ level: 9, observedAtMs: 1_000, inFlight: 1 }));
  });

  it('holds a burst of 45 requests so no more than limit - headroom go out before the bucket leaks', async () => {
    const clock = new ManualClock();
    const pacer = new RequestPacer(settings, clock);
    const sentAtMs: number[] = [];
    const sends = Array.from({ length: 45 }, async () => {
      await pacer.acquire();
      sentAtMs.push(clock.monotonicMs());
      pacer.settle(null);
    });
    await clock.advance(0);
    expect(sentAtMs.length).toBe(38);
    await clock.advance(20_000);
    await Promise.all(sends);
    expect(sentAtMs.length).toBe(45);
    // After the burst, one request per 500 ms: the leak rate of 40 per 20 s.
    expect(sentAtMs.slice(38)).toEqual([500, 1_000, 1_500, 2_000, 2_500, 3_000, 3_500]);
    expect(initialBucketState(settings, 0).level).toBe(0);
    onTestFinished(() => expect(clock.pendingTimers).toBe(0));
  });
});

describe('backoff with jitter', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 8_000 };
  it.each([
    [1, 0, 250],
    [1, 1, 500],
    [2, 0.5, 750],
    [4, 1, 4_000],
    [5, 1, 8_000],
    [12, 0, 4_000],
    [40, 1, 8_000],
  ])('retry %i with random %f waits %i ms', (attempt, random, expectedMs) => {
    expect(backoffDelayMs(attempt, () => random, policy)).toBe(expectedMs);
  });
});
