import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { OAuthTokens } from '../../src/helpdesk/gorgias-codec.ts';
import { buildAuthorizeUrl, createOAuthTokenClient, ESCALATION_OAUTH_SCOPES, gorgiasAccountUrl } from '../../src/helpdesk/gorgias-oauth.ts';
import { startHarness } from './support/gorgias-harness.ts';
import type { SkippingClock } from './support/skipping-clock.ts';

describe('Gorgias OAuth2 (gorgias-rest-api.md, 2.2)', () => {
  it('builds the authorize URL on the account host with offline access', () => {
    const url = new URL(buildAuthorizeUrl({ accountUrl: 'https://acme.gorgias.com', clientId: 'app', redirectUri: 'https://voice.example.com/oauth/callback', scopes: ESCALATION_OAUTH_SCOPES, state: 's1' }));
    expect(url.origin + url.pathname).toBe('https://acme.gorgias.com/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'app',
      redirect_uri: 'https://voice.example.com/oauth/callback',
      scope: 'openid offline tickets:read tickets:write customers:read customers:write custom_fields:read custom_fields:write',
      state: 's1',
    });
  });

  it.each([
    [{ domain: 'acme' }, 'https://acme.gorgias.com'],
    [{ apiUrl: 'http://127.0.0.1:4010/api' }, 'http://127.0.0.1:4010'],
    [{ domain: 'acme', apiUrl: 'http://127.0.0.1:4010/api/' }, 'http://127.0.0.1:4010'],
  ])('derives the account host from %j', (target, expected) => {
    expect(gorgiasAccountUrl(target)).toBe(expected);
  });

  it('exchanges an authorization code for tokens, and refuses a reused code', async () => {
    const { twin, clock } = await startHarness();
    const authorize = buildAuthorizeUrl({ accountUrl: twin.origin, clientId: twin.oauthClient.clientId, redirectUri: twin.oauthClient.redirectUri, scopes: ESCALATION_OAUTH_SCOPES, state: 'xyz' });
    const consent = await request(authorize);
    await consent.body.dump();
    const callback = new URL(String(consent.headers.location));
    expect(callback.searchParams.get('state')).toBe('xyz');
    const code = callback.searchParams.get('code') ?? '';
    const tokens = createOAuthTokenClient({ app: { accountUrl: twin.origin, clientId: twin.oauthClient.clientId, clientSecret: twin.oauthClient.clientSecret }, clock });
    const exchanged = await tokens.exchangeCode(code, twin.oauthClient.redirectUri);
    expect(exchanged).toMatchObject({ ok: true, value: { accessToken: expect.any(String), refreshToken: expect.any(String) } });
    expect(await tokens.exchangeCode(code, twin.oauthClient.redirectUri)).toMatchObject({ ok: false, error: { code: 'unauthorized', status: 400 } });
  });

  it('refreshes before the first call, after a 401, and ahead of expiry', async () => {
    const { twin, newClient, clock } = await startHarness();
    const issued = twin.issueOAuthTokens({ scopes: ['offline', 'account:read', 'tickets:read', 'tickets:write', 'customers:read', 'customers:write'] });
    const refreshed: OAuthTokens[] = [];
    const client = newClient({
      credentials: { kind: 'oauth', ...twin.oauthClient, refreshToken: issued.refreshToken ?? '', onTokens: (tokens) => refreshed.push(tokens), refreshMarginMs: 60_000 },
    });
    expect(await client.getAccount()).toMatchObject({ ok: true });
    expect(refreshed).toHaveLength(1);
    expect(twin.requests().at(-1)?.authMode).toBe('oauth');

    twin.expireAccessTokens();
    expect(await client.getAccount()).toMatchObject({ ok: true });
    expect(refreshed).toHaveLength(2);
    expect(twin.requests().slice(-2).map((entry) => entry.status)).toEqual([401, 200]);

    (clock as SkippingClock).advance(3_600_000 - 30_000);
    expect(await client.getAccount()).toMatchObject({ ok: true });
    expect(refreshed).toHaveLength(3);
    expect(twin.requests().at(-1)?.status).toBe(200);
    expect(client.bucketState().limit).toBe(80);
  });

  it('reports a revoked refresh token as unauthorized without calling the API', async () => {
    const { twin, newClient } = await startHarness();
    const client = newClient({ credentials: { kind: 'oauth', ...twin.oauthClient, refreshToken: 'revoked' } });
    expect(await client.getAccount()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(twin.requests()).toEqual([]);
  });
});
