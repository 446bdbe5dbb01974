import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../../../src/shared/ids.ts';
import { field, startTestTwin } from './twin-http.ts';

const basicHeader = (email: string, key: string): string => `Basic ${Buffer.from(`${email}:${key}`).toString('base64')}`;

async function tokenRequest(origin: string, form: Record<string, string>, clientAuth?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (clientAuth) headers.authorization = clientAuth;
  const response = await fetch(`${origin}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: response.status, body: await response.json() };
}

describe('Gorgias twin authentication', () => {
  it.each([
    ['no Authorization header', 'none' as const],
    ['a wrong API key', { header: basicHeader('agent@twin-account.example', 'wrong-key') }],
    ['an unknown email', { header: basicHeader('someone@else.example', 'twin-api-key') }],
    ['an unknown bearer token', { bearer: 'not-a-token' }],
    ['an unsupported scheme', { header: 'Token twin-api-key' }],
  ])('answers 401 with the error body for %s', async (_name, auth) => {
    const { api } = await startTestTwin();
    const answer = await api.as(auth).get('/tickets');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: { msg: expect.any(String) } });
    expect(answer.headers.get('x-gorgias-account-api-call-limit')).toBe('0/40');
  });

  it('accepts HTTP Basic with the email and API key, the email in any case', async () => {
    const { twin, api } = await startTestTwin();
    expect((await api.get('/account')).status).toBe(200);
    const shouted = await api.as({ basic: { email: twin.credentials.email.toUpperCase(), apiKey: twin.credentials.apiKey } }).get('/account');
    expect(shouted.status).toBe(200);
  });

  it('runs the authorization-code flow: authorize redirects with a code, the token endpoint exchanges it', async () => {
    const { twin, api } = await startTestTwin({ ids: sequentialIds() });
    const { clientId, clientSecret, redirectUri } = twin.oauthClient;
    const authorize = new URL(`${twin.origin}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'openid offline tickets:read tickets:write', state: 'xyz',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code') ?? '';

    const exchange = await tokenRequest(twin.origin, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, basicHeader(clientId, clientSecret));
    expect(exchange.status).toBe(200);
    expect(exchange.body).toEqual({
      access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer', expires_in: 3600,
      scope: 'openid offline tickets:read tickets:write',
    });
    const accessToken = String(field(exchange.body, 'access_token'));
    const answer = await api.as({ bearer: accessToken }).get('/tickets');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-gorgias-account-api-call-limit')).toBe('1/80');

    const reused = await tokenRequest(twin.origin, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, basicHeader(clientId, clientSecret));
    expect(reused).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } });
  });

  it('refreshes an access token with the refresh token from the offline scope, client credentials in the form', async () => {
    const { twin, api, clock } = await startTestTwin();
    const { refreshToken } = twin.issueOAuthTokens({ scopes: ['offline', 'tickets:read'] });
    clock.advance(3_600_000);
    const refreshed = await tokenRequest(twin.origin, {
      grant_type: 'refresh_token', refresh_token: refreshToken ?? '', client_id: twin.oauthClient.clientId, client_secret: twin.oauthClient.clientSecret,
    });
    expect(refreshed.status).toBe(200);
    expect(field(refreshed.body, 'refresh_token')).toBe(refreshToken);
    expect((await api.as({ bearer: String(field(refreshed.body, 'access_token')) }).get('/tickets')).status).toBe(200);
  });

  it('issues no refresh token without the offline scope', async () => {
    const { twin } = await startTestTwin();
    expect(twin.issueOAuthTokens({ scopes: ['tickets:read'] }).refreshToken).toBeNull();
  });

  it('answers 401 once an access token has expired', async () => {
    const { twin, api, clock } = await startTestTwin({ accessTokenTtlSeconds: 60 });
    const { accessToken } = twin.issueOAuthTokens({ scopes: ['tickets:read'] });
    expect((await api.as({ bearer: accessToken }).get('/tickets')).status).toBe(200);
    clock.advance(60_000);
    expect((await api.as({ bearer: accessToken }).get('/tickets')).status).toBe(401);
  });

  it('answers 403 when the token lacks the scope, and honours the legacy write:all', async () => {
    const { twin, api } = await startTestTwin();
    const reader = api.as({ bearer: twin.issueOAuthTokens({ scopes: ['tickets:read'] }).accessToken });
    expect((await reader.get('/tickets')).status).toBe(200);
    const denied = await reader.post('/customers', { channels: [] });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error: { msg: expect.any(String) } });
    const legacy = api.as({ bearer: twin.issueOAuthTokens({ scopes: ['write:all'] }).accessToken });
    expect((await legacy.post('/customers', { channels: [] })).status).toBe(201);
  });

  it('lets an observer API key read but not write', async () => {
    const { api } = await startTestTwin({
      apiKeys: [{ email: 'admin@acme.example', apiKey: 'k1' }, { email: 'observer@acme.example', apiKey: 'k2', role: 'observer' }],
    });
    const observer = api.as({ basic: { email: 'observer@acme.example', apiKey: 'k2' } });
    expect((await observer.get('/customers')).status).toBe(200);
    expect((await observer.post('/customers', { channels: [] })).status).toBe(403);
  });

  it.each([
    ['a JSON body', { 'content-type': 'application/json' }, JSON.stringify({ grant_type: 'refresh_token' }), 400, 'invalid_request'],
    ['a wrong client secret', { 'content-type': 'application/x-www-form-urlencoded', authorization: basicHeader('twin-oauth-client', 'nope') }, 'grant_type=refresh_token&refresh_token=x', 401, 'invalid_client'],
    ['an unknown grant type', { 'content-type': 'application/x-www-form-urlencoded', authorization: basicHeader('twin-oauth-client', 'twin-oauth-secret') }, 'grant_type=password', 400, 'unsupported_grant_type'],
    ['an unknown refresh token', { 'content-type': 'application/x-www-form-urlencoded', authorization: basicHeader('twin-oauth-client', 'twin-oauth-secret') }, 'grant_type=refresh_token&refresh_token=x', 400, 'invalid_grant'],
  ])('refuses a token request with %s', async (_name, headers, body, status, error) => {
    const { twin } = await startTestTwin();
    const response = await fetch(`${twin.origin}/oauth/token`, { method: 'POST', headers, body });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error });
  });

  it('redirects an unknown scope back with invalid_scope and refuses an unregistered redirect URI', async () => {
    const { twin } = await startTestTwin();
    const base = { response_type: 'code', client_id: twin.oauthClient.clientId, state: 's' };
    const badScope = await fetch(`${twin.origin}/oauth/authorize?${new URLSearchParams({ ...base, redirect_uri: twin.oauthClient.redirectUri, scope: 'tickets.read' })}`, { redirect: 'manual' });
    expect(new URL(badScope.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_scope');
    const badRedirect = await fetch(`${twin.origin}/oauth/authorize?${new URLSearchParams({ ...base, redirect_uri: 'https://evil.example/cb', scope: 'tickets:read' })}`, { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
  });
});
