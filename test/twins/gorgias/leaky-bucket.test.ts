import { describe, expect, it } from 'vitest';
import { API_KEY_BUCKET, formatCallLimit, LeakyBucket, OAUTH_BUCKET } from '../../../src/twins/gorgias/leaky-bucket.ts';

describe('LeakyBucket', () => {
  it('admits 40 API-key requests at once and refuses the 41st with Retry-After 1 s', () => {
    const bucket = new LeakyBucket(API_KEY_BUCKET);
    const decisions = Array.from({ length: 41 }, () => bucket.take(0));
    expect(decisions.slice(0, 40).every((decision) => decision.isAllowed)).toBe(true);
    expect(decisions[39]).toEqual({ isAllowed: true, used: 40, limit: 40 });
    expect(decisions[40]).toEqual({ isAllowed: false, used: 40, limit: 40, retryAfterSeconds: 1 });
  });

  it('counts used calls one by one', () => {
    const bucket = new LeakyBucket(API_KEY_BUCKET);
    expect(formatCallLimit(bucket.take(0))).toBe('1/40');
    expect(formatCallLimit(bucket.take(0))).toBe('2/40');
    expect(formatCallLimit(bucket.peek(0))).toBe('2/40');
  });

  it('drains two calls per second, so a full bucket admits one more after 500 ms', () => {
    const bucket = new LeakyBucket(API_KEY_BUCKET);
    for (let index = 0; index < 40; index += 1) bucket.take(0);
    expect(bucket.take(499).isAllowed).toBe(false);
    expect(bucket.take(500).isAllowed).toBe(true);
    expect(bucket.peek(20_500)).toEqual({ used: 0, limit: 40 });
  });

  it('gives OAuth apps 80 per window', () => {
    const bucket = new LeakyBucket(OAUTH_BUCKET);
    const admitted = Array.from({ length: 81 }, () => bucket.take(0)).filter((decision) => decision.isAllowed);
    expect(admitted).toHaveLength(80);
  });

  it.each([
    [{ capacity: 3, windowMs: 3000 }, 3, 1],
    [{ capacity: 1, windowMs: 10_000 }, 1, 10],
    [{ capacity: 2, windowMs: 5000 }, 2, 3],
  ])('tells how long to wait for a %j bucket', (config, fill, retryAfterSeconds) => {
    const bucket = new LeakyBucket(config);
    for (let index = 0; index < fill; index += 1) bucket.take(0);
    expect(bucket.take(0)).toMatchObject({ isAllowed: false, retryAfterSeconds });
  });

  it('rejects a bucket that could never admit anything', () => {
    expect(() => new LeakyBucket({ capacity: 0, windowMs: 1000 })).toThrow(/capacity/);
  });
});
