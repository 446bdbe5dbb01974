// `GET /oauth/authorize` and `POST /oauth/token` on the account host, outside `/api` (gorgias-rest-api.md, 2.2 [C]).
// The twin consents at once for the merchant; it never renders a login page.
import type { ApiReply } from './api-reply.ts';
import type { OAuthErrorCode, TokenGrant, TwinCredentials } from './twin-credentials.ts';
import { isOneOf, OAUTH_SCOPES, type OAuthScope } from './wire-enums.ts';

export type OAuthRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  contentType: string | undefined;
  rawBody: string;
};

export function handleOAuthRequest(request: OAuthRequest, credentials: TwinCredentials, userId: number, nowMs: number): ApiReply {
  if (request.path === '/oauth/authorize') {
    return request.method === 'GET' ? authorize(request.query, credentials, userId, nowMs) : oauthError(405, 'invalid_request', 'Use GET.');
  }
  if (request.path === '/oauth/token') {
    return request.method === 'POST' ? exchangeToken(request, credentials, nowMs) : oauthError(405, 'invalid_request', 'Use POST.');
  }
  return oauthError(404, 'invalid_request', 'Unknown OAuth endpoint.');
}

/** Standard parameters `response_type=code`, `client_id`, `redirect_uri`, `scope`, `state` (2.2 [S]). */
function authorize(query: URLSearchParams, credentials: TwinCredentials, userId: number, nowMs: number): ApiReply {
  const client = credentials.findClient(query.get('client_id') ?? '');
  if (!client) return oauthError(400, 'invalid_client', 'Unknown client_id.');
  const redirectUri = query.get('redirect_uri');
  // A redirect URI that is not registered must not be redirected to (RFC 6749 4.1.2.1).
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) return oauthError(400, 'invalid_request', 'redirect_uri is not registered for this client.');
  const state = query.get('state');
  const back = (params: Record<string, string>): ApiReply => {
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, headers: { location: target.toString() } };
  };
  if (query.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
  const scopes = parseScopes(query.get('scope'));
  if (!scopes) return back({ error: 'invalid_scope' });
  return back({ code: credentials.issueCode({ clientId: client.clientId, userId, redirectUri, scopes }, nowMs) });
}

/** Form-encoded grants; the client authenticates with Basic `client_id:client_secret` or form fields (2.2 [C]/[S]). */
function exchangeToken(request: OAuthRequest, credentials: TwinCredentials, nowMs: number): ApiReply {
  if (!request.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'The token request must be application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(request.rawBody);
  const clientAuth = readClientAuth(request.authorization, form);
  if (!clientAuth) return oauthError(401, 'invalid_client', 'Client authentication failed.');
  const client = credentials.checkClientSecret(clientAuth.clientId, clientAuth.clientSecret);
  if (!client) return oauthError(401, 'invalid_client', 'Client authentication failed.');
  const grantType = form.get('grant_type');
  if (grantType === 'authorization_code') {
    const code = form.get('code');
    if (!code) return oauthError(400, 'invalid_request', 'code is required.');
    return tokenReply(credentials.redeemCode({ code, clientId: client.clientId, redirectUri: form.get('redirect_uri') ?? undefined }, nowMs));
  }
  if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return oauthError(400, 'invalid_request', 'refresh_token is required.');
    return tokenReply(credentials.refresh({ refreshToken, clientId: client.clientId }, nowMs));
  }
  return oauthError(400, grantType ? 'unsupported_grant_type' : 'invalid_request', 'grant_type must be authorization_code or refresh_token.');
}

function readClientAuth(authorization: string | undefined, form: URLSearchParams): { clientId: string; clientSecret: string } | undefined {
  const [scheme = '', value = ''] = (authorization ?? '').trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

function parseScopes(text: string | null): OAuthScope[] | undefined {
  const names = (text ?? '').split(/\s+/).filter((name) => name.length > 0);
  if (names.length === 0) return undefined;
  const scopes = names.filter((name): name is OAuthScope => isOneOf(OAUTH_SCOPES, name));
  return scopes.length === names.length ? scopes : undefined;
}

/** `access_token` and `refresh_token` [C] S6; `token_type`, `expires_in`, `scope` [I]; no `id_token` is issued. */
function tokenReply(result: { ok: true; value: TokenGrant } | { ok: false; error: OAuthErrorCode }): ApiReply {
  if (!result.ok) return oauthError(400, result.error, 'The grant is invalid, expired, used or issued to another client.');
  const grant = result.value;
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      access_token: grant.accessToken,
      token_type: 'Bearer',
      expires_in: grant.expiresInSeconds,
      scope: grant.scopes.join(' '),
      ...(grant.refreshToken === null ? {} : { refresh_token: grant.refreshToken }),
    },
  };
}

function oauthError(status: number, error: OAuthErrorCode | 'unsupported_response_type', description: string): ApiReply {
  return { status, body: { error, error_description: description } };
}
