import { describe, expect, it } from 'vitest';
import { startGorgiasTwin } from '../../../src/twins/gorgias/gorgias-twin.ts';
import { field, startTestTwin } from './twin-http.ts';

describe('Gorgias twin rate limit', () => {
  it('counts calls in X-Gorgias-Account-Api-Call-Limit on every response, errors included', async () => {
    const { api } = await startTestTwin();
    const headers: (string | null)[] = [];
    for (const path of ['/account', '/tickets/1', '/tickets?limit=0']) {
      headers.push((await api.get(path)).headers.get('x-gorgias-account-api-call-limit'));
    }
    expect(headers).toEqual(['1/40', '2/40', '3/40']);
  });

  it('answers the 41st request in the window with 429, Retry-After and an error body', async () => {
    const { twin, api } = await startTestTwin();
    for (let index = 0; index < 40; index += 1) expect((await api.get('/account')).status).toBe(200);
    const limited = await api.get('/account');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-gorgias-account-api-call-limit')).toBe('40/40');
    expect(limited.body).toEqual({ error: { msg: expect.any(String) } });
    expect(twin.requests().at(-1)).toMatchObject({ method: 'GET', path: '/api/account', status: 429, outcome: 'answered' });
  });

  it('stores nothing for a request refused by the bucket', async () => {
    const { twin, api } = await startTestTwin({ rateLimit: { apiKey: { capacity: 1, windowMs: 1000 } } });
    await api.get('/account');
    const refused = await api.post('/customers', { channels: [] });
    expect(refused.status).toBe(429);
    expect(twin.customers()).toEqual([]);
  });

  it('admits again once the bucket has leaked, by the injected clock', async () => {
    const { api, clock } = await startTestTwin({ rateLimit: { apiKey: { capacity: 2, windowMs: 2000 } } });
    await api.get('/account');
    await api.get('/account');
    const limited = await api.get('/account');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
    clock.advance(999);
    expect((await api.get('/account')).status).toBe(429);
    clock.advance(1);
    const again = await api.get('/account');
    expect([again.status, again.headers.get('x-gorgias-account-api-call-limit')]).toEqual([200, '2/2']);
  });

  it('keeps OAuth apps in their own 80-call bucket, apart from API keys', async () => {
    const { twin, api } = await startTestTwin({ rateLimit: { apiKey: { capacity: 1, windowMs: 20_000 }, oauth: { capacity: 2, windowMs: 20_000 } } });
    const app = api.as({ bearer: twin.issueOAuthTokens({ scopes: ['account:read'] }).accessToken });
    expect((await api.get('/account')).status).toBe(200);
    expect((await api.get('/account')).status).toBe(429);
    const first = await app.get('/account');
    expect([first.status, first.headers.get('x-gorgias-account-api-call-limit')]).toEqual([200, '1/2']);
    expect((await app.get('/account')).status).toBe(200);
    expect((await app.get('/account')).status).toBe(429);
  });

  it('uses the documented 80 per 20 s for OAuth by default', async () => {
    const { twin, api } = await startTestTwin();
    const app = api.as({ bearer: twin.issueOAuthTokens({ scopes: ['account:read'] }).accessToken });
    expect((await app.get('/account')).headers.get('x-gorgias-account-api-call-limit')).toBe('1/80');
    expect(field((await app.get('/account')).body, 'domain')).toBe('twin-account');
  });
});

describe('Gorgias twin rate-limit configuration', () => {
  it('refuses to start with a bucket that could never admit a request', async () => {
    await expect(startGorgiasTwin({ rateLimit: { apiKey: { capacity: 0, windowMs: 20_000 } } })).rejects.toThrow(/capacity/);
  });
});
