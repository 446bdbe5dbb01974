import { describe, expect, it, onTestFinished } from 'vitest';
import { startShopifyTwin, type ShopifyTwin, type ShopifyTwinOptions } from '../../../src/twins/shopify/shopify-twin.ts';
import { postGraphql } from './admin-request.ts';
import { JumpingClock } from './jumping-clock.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

function hasUsedFaults(twin: ShopifyTwin): boolean {
  try {
    twin.assertNoPendingFaults();
    return true;
  } catch {
    return false;
  }
}

async function twinFor(options: ShopifyTwinOptions = {}) {
  const twin = await startShopifyTwin({ now: NOW, ...options });
  onTestFinished(() => twin.close());
  return twin;
}

// Requested 2 + 20 × (1 + 2 + 10 × 1) = 262 points; actual is far less for one order.
const HEAVY = `query Heavy($query: String!) { orders(first: 20, query: $query) { nodes { id lineItems(first: 10) { nodes { id } } } } }`;

describe('Shopify twin: cost and throttling', () => {
  it('takes the requested cost before running and refunds the unused part afterwards', async () => {
    const clock = new JumpingClock();
    const twin = await twinFor({ clock, bucket: { maximumAvailable: 1000, restoreRate: 50 } });
    const answer = await postGraphql(twin.url, { query: HEAVY, variables: { query: 'name:#1001' } }, { token: twin.adminToken });
    expect(answer.body).toMatchObject({ extensions: { cost: { requestedQueryCost: 262, actualQueryCost: 7, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 993, restoreRate: 50 } } } });
  });

  it('answers THROTTLED on HTTP 200 once the bucket cannot cover the requested cost, then recovers as it refills', async () => {
    const clock = new JumpingClock();
    const twin = await twinFor({ clock, bucket: { maximumAvailable: 300, restoreRate: 50 } });
    const ask = () => postGraphql(twin.url, { query: HEAVY, variables: { query: 'name:#1001' } }, { token: twin.adminToken });
    expect((await ask()).body).toMatchObject({ extensions: { cost: { throttleStatus: { currentlyAvailable: 293 } } } });
    // The scripted throttle empties the bucket, as a burst from another process on the same app would.
    twin.failNext(1, 'throttle');
    const throttled = await ask();
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
      extensions: { cost: { requestedQueryCost: 262, actualQueryCost: null, throttleStatus: { maximumAvailable: 300, currentlyAvailable: 0, restoreRate: 50 } } },
    });
    clock.advance(5000);
    expect((await ask()).body).toMatchObject({ errors: [{ extensions: { code: 'THROTTLED' } }], extensions: { cost: { throttleStatus: { currentlyAvailable: 250 } } } });
    clock.advance(240);
    expect((await ask()).body).toMatchObject({ extensions: { cost: { requestedQueryCost: 262, actualQueryCost: 7, throttleStatus: { currentlyAvailable: 255 } } } });
    clock.advance(100);
    expect((await ask()).body).toMatchObject({ errors: [{ extensions: { code: 'THROTTLED' } }] });
    expect(twin.requests().map((request) => request.isThrottled)).toEqual([false, true, true, false, true]);
    twin.assertNoPendingFaults();
  });

  it('throttles on its own when back-to-back queries drain the bucket', async () => {
    const clock = new JumpingClock();
    const twin = await twinFor({ clock, bucket: { maximumAvailable: 600, restoreRate: 10 } });
    const codes: (string | null)[] = [];
    for (let index = 0; index < 4; index++) {
      // A search matching nothing still pays the requested cost up front; only 2 points are actual.
      const answer = await postGraphql(twin.url, { query: HEAVY, variables: { query: 'name:#9999' } }, { token: twin.adminToken });
      codes.push(answer.body !== null && typeof answer.body === 'object' && 'errors' in answer.body ? 'THROTTLED' : null);
    }
    expect(codes).toEqual([null, null, null, null]);
    expect(twin.throttleStatus().currentlyAvailable).toBe(592);
    const expensive = `{ orders(first: 50) { nodes { id lineItems(first: 9) { nodes { id } } } } }`;
    const first = await postGraphql(twin.url, { query: expensive }, { token: twin.adminToken });
    expect(first.body).toMatchObject({ extensions: { cost: { requestedQueryCost: 602 } }, errors: [{ extensions: { code: 'THROTTLED' } }] });
  });
});

describe('Shopify twin: scripted faults', () => {
  it.each([
    [500, 'application/json'],
    [502, 'text/html'],
    [503, 'application/json'],
  ] as const)('answers the next request with HTTP %i', async (status, contentType) => {
    const twin = await twinFor();
    twin.failNext(1, { status });
    const failed = await fetch(`${twin.url}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': twin.adminToken },
      body: JSON.stringify({ query: '{ shop { name } }' }),
    });
    expect(failed.status).toBe(status);
    expect(failed.headers.get('content-type')).toContain(contentType);
    await failed.text();
    const next = await postGraphql(twin.url, { query: '{ shop { name } }' }, { token: twin.adminToken });
    expect(next.status).toBe(200);
    twin.assertNoPendingFaults();
  });

  it('holds an answer back for the scripted delay', async () => {
    const twin = await twinFor();
    twin.failNext(1, { delayMs: 30 });
    const startedMs = performance.now();
    const answer = await postGraphql(twin.url, { query: '{ shop { name } }' }, { token: twin.adminToken });
    expect(answer.status).toBe(200);
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(25);
  });

  it('reports scripted faults that were never used', async () => {
    const twin = await twinFor();
    twin.failNext(2, { status: 500 });
    expect(() => twin.assertNoPendingFaults()).toThrow(/2 scripted fault/);
    twin.failNext(0, 'throttle');
  });

  it('closes while an answer is still held back', async () => {
    const twin = await startShopifyTwin({ now: NOW });
    twin.failNext(1, { delayMs: 60_000 });
    const pending = postGraphql(twin.url, { query: '{ shop { name } }' }, { token: twin.adminToken }).catch((error: unknown) => error);
    // The scripted fault is taken when the request arrives; wait for that, not for a fixed time.
    while (!hasUsedFaults(twin)) await new Promise((resolve) => setImmediate(resolve));
    await twin.close();
    await twin.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
