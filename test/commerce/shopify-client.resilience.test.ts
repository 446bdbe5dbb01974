import { describe, expect, it, onTestFinished } from 'vitest';
import { createAdminFetch } from '../../src/commerce/shopify-admin-link.ts';
import { createShopifyOrderLookup, type RequestPolicy } from '../../src/commerce/shopify-client.ts';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { startShopifyTwin, type ShopifyTwin, type ShopifyTwinOptions } from '../../src/twins/shopify/shopify-twin.ts';
import { captureLog } from '../support/log-capture.ts';
import { JumpingClock } from '../twins/shopify/jumping-clock.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const CLIENT = { clientId: 'bridge-client', clientSecret: 'bridge-secret' };
const JANE = '+14155550100';
const ORDER_1001 = 'gid://shopify/Order/5001';

type Setup = {
  twin?: ShopifyTwinOptions;
  twinClock?: Clock;
  clock?: Clock;
  policy?: Partial<RequestPolicy>;
  credentials?: { adminToken: string } | { clientId: string; clientSecret: string };
};

async function connect(setup: Setup = {}) {
  const twinClock = setup.twinClock ?? setup.clock ?? systemClock;
  const twin: ShopifyTwin = await startShopifyTwin({ now: NOW, clock: twinClock, clientCredentials: [CLIENT], ...setup.twin });
  onTestFinished(() => twin.close());
  const capture = captureLog();
  // Failures after retries are warnings by design; anything else at warn or above is a fault.
  onTestFinished(() => expect(capture.problems(['shopify.request.failed'])).toEqual([]));
  const lookup = createShopifyOrderLookup(
    { shop: twin.shopDomain, apiVersion: '2026-10', adminApiUrl: twin.url, ...(setup.credentials ?? { adminToken: twin.adminToken }) },
    { clock: setup.clock ?? systemClock, log: capture.log, ...(setup.policy ? { policy: setup.policy } : {}) },
  );
  return { twin, lookup, capture };
}

const statuses = (twin: ShopifyTwin) => twin.requests().map((request) => `${request.path.includes('oauth') ? 'grant' : (request.operationName ?? 'graphql')} ${request.status}${request.isThrottled ? ' THROTTLED' : ''}`);

describe('throttling (THROTTLED is HTTP 200 and the library never retries it, B4)', () => {
  it('waits for the bucket to refill, then gets the answer', async () => {
    const clock = new JumpingClock();
    const { twin, lookup, capture } = await connect({ clock });
    twin.failNext(1, 'throttle');
    expect(await lookup.findCustomerByPhone(JANE)).toMatchObject({ ok: true, value: { firstName: 'Jane' } });
    // 3 points at 100 per second is 30 ms; the floor is 50 ms.
    expect(clock.waits).toEqual([50]);
    expect(statuses(twin)).toEqual(['CustomerByPhone 200 THROTTLED', 'CustomerByPhone 200']);
    expect(capture.events('shopify.request.throttled')).toMatchObject([{ operation: 'CustomerByPhone', waitMs: 50 }]);
    twin.assertNoPendingFaults();
  });

  it('waits as long as the restore rate needs for an expensive query when that fits the budget', async () => {
    const clock = new JumpingClock();
    const { twin, lookup } = await connect({ clock, twin: { bucket: { maximumAvailable: 4000, restoreRate: 200 } } });
    twin.failNext(1, 'throttle');
    expect(await lookup.getOrder(ORDER_1001)).toMatchObject({ ok: true, value: { name: '#1001' } });
    expect(clock.waits).toEqual([800]);
  });

  it('gives up with throttled, without sleeping, when the wait would exceed the budget', async () => {
    const clock = new JumpingClock();
    const { twin, lookup, capture } = await connect({ clock });
    twin.failNext(1, 'throttle');
    expect(await lookup.getOrder(ORDER_1001)).toMatchObject({ ok: false, error: { code: 'throttled' } });
    expect(clock.waits).toEqual([]);
    expect(statuses(twin)).toEqual(['OrderDetail 200 THROTTLED']);
    expect(capture.problems(['shopify.request.failed'])).toEqual([]);
  });

  it('fails fast without a request when the last bucket it saw cannot cover a query it knows', async () => {
    const clock = new JumpingClock();
    const { twin, lookup } = await connect({ clock });
    expect((await lookup.getOrder(ORDER_1001)).ok).toBe(true);
    twin.failNext(1, 'throttle');
    expect((await lookup.findCustomerByPhone(JANE)).ok).toBe(true);
    expect(await lookup.getOrder(ORDER_1001)).toMatchObject({ ok: false, error: { code: 'throttled' } });
    expect(statuses(twin)).toEqual(['OrderDetail 200', 'CustomerByPhone 200 THROTTLED', 'CustomerByPhone 200']);
  });
});

describe('outages and timeouts', () => {
  it('retries a 5xx once, quickly, and succeeds', async () => {
    const clock = new JumpingClock();
    const { twin, lookup } = await connect({ clock });
    twin.failNext(1, { status: 503 });
    expect((await lookup.getOrder(ORDER_1001)).ok).toBe(true);
    expect(clock.waits).toEqual([150]);
    expect(statuses(twin)).toEqual(['OrderDetail 503', 'OrderDetail 200']);
  });

  it.each([[500], [502]] as const)('reports unavailable after HTTP %i twice', async (status) => {
    const clock = new JumpingClock();
    const { twin, lookup, capture } = await connect({ clock });
    twin.failNext(2, { status });
    expect(await lookup.getOrder(ORDER_1001)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(statuses(twin)).toEqual([`OrderDetail ${status}`, `OrderDetail ${status}`]);
    expect(capture.events('shopify.request.failed')).toMatchObject([{ operation: 'OrderDetail', code: 'unavailable' }]);
  });

  it('times each attempt out and reports timeout after the one retry', async () => {
    const { twin, lookup } = await connect({ policy: { attemptTimeoutMs: 80 } });
    twin.failNext(2, { delayMs: 10_000 });
    expect(await lookup.findCustomerByPhone(JANE)).toMatchObject({ ok: false, error: { code: 'timeout' } });
    twin.assertNoPendingFaults();
  });

  it('never repeats a return request after a 5xx, since it may have been applied', async () => {
    const { twin, lookup } = await connect({ clock: new JumpingClock() });
    const request = { orderId: 'gid://shopify/Order/5026', items: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/502600', quantity: 1, reason: 'unwanted' as const }] };
    expect((await lookup.requestReturn(request)).ok).toBe(true);
    twin.failNext(1, { status: 503 });
    expect(await lookup.requestReturn(request)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(statuses(twin).slice(2)).toEqual(['ReturnRequest 503']);
  });
});

describe('access', () => {
  it('reports unauthorized for a token Shopify refuses, without retrying', async () => {
    const { twin, lookup } = await connect({ credentials: { adminToken: 'shpat_revoked' } });
    expect(await lookup.findCustomerByPhone(JANE)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(statuses(twin)).toEqual(['CustomerByPhone 401']);
  });

  it('reports unauthorized when the app lacks a scope (ACCESS_DENIED)', async () => {
    const { lookup } = await connect({ twin: { scopes: ['read_orders'] } });
    expect(await lookup.findCustomerByPhone(JANE)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('takes a client-credentials token first and refreshes it before it expires', async () => {
    // The library stamps `session.expires` from the wall clock, so this clock starts at the real time.
    const clock = new JumpingClock(new Date().toISOString());
    const { twin, lookup, capture } = await connect({ clock, credentials: CLIENT, twin: { tokenTtlSeconds: 600 } });
    expect((await lookup.findCustomerByPhone(JANE)).ok).toBe(true);
    clock.advance(200_000);
    expect((await lookup.findCustomerByPhone(JANE)).ok).toBe(true);
    // 350 s in: within five minutes of the 600 s expiry.
    clock.advance(150_000);
    expect((await lookup.findCustomerByPhone(JANE)).ok).toBe(true);
    expect(statuses(twin)).toEqual(['grant 200', 'CustomerByPhone 200', 'CustomerByPhone 200', 'grant 200', 'CustomerByPhone 200']);
    expect(twin.issuedTokens()).toHaveLength(2);
    expect(capture.events('shopify.token.granted')).toHaveLength(2);
  });

  it('takes a new token once when Shopify refuses one it thought was still valid', async () => {
    const twinClock = new JumpingClock(new Date().toISOString());
    const { twin, lookup } = await connect({ twinClock, clock: systemClock, credentials: CLIENT, twin: { tokenTtlSeconds: 3600 } });
    expect((await lookup.findCustomerByPhone(JANE)).ok).toBe(true);
    twinClock.advance(3_601_000);
    expect((await lookup.findCustomerByPhone(JANE)).ok).toBe(true);
    expect(statuses(twin)).toEqual(['grant 200', 'CustomerByPhone 200', 'CustomerByPhone 401', 'grant 200', 'CustomerByPhone 200']);
  });

  it('reports unauthorized when the grant is refused', async () => {
    const { twin, lookup } = await connect({ credentials: { clientId: CLIENT.clientId, clientSecret: 'wrong' } });
    expect(await lookup.findCustomerByPhone(JANE)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(statuses(twin)).toEqual(['grant 400']);
  });
});

describe('createAdminFetch (pointing the library at SHOPIFY_ADMIN_API_URL, B1)', () => {
  it.each([
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/admin/api/2026-10/graphql.json'],
    ['http://127.0.0.1:4010/shopify/', 'http://127.0.0.1:4010/shopify/admin/api/2026-10/graphql.json'],
    [undefined, 'https://demo.myshopify.com/admin/api/2026-10/graphql.json'],
  ])('sends the library’s https://{shop} request to %s', async (adminApiUrl, expected) => {
    const seen: string[] = [];
    const fetch = createAdminFetch(
      async (input) => {
        seen.push(String(input));
        return new Response('{}');
      },
      adminApiUrl,
      1000,
    );
    await fetch('https://demo.myshopify.com/admin/api/2026-10/graphql.json', { method: 'POST' });
    expect(seen).toEqual([expected]);
  });
});
