// Who may call the twin: API keys over HTTP Basic and OAuth2 Bearer tokens (gorgias-rest-api.md, 2 [C]).
// Owns keys, OAuth clients, codes and tokens; never sees HTTP. Time comes in as `nowMs`.
import { timingSafeEqual } from 'node:crypto';
import type { IdSource } from '../../shared/ids.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { UserRole } from './twin-records.ts';
import type { ApiScope, OAuthScope } from './wire-enums.ts';

export type ApiKeyGrant = { email: string; apiKey: string; userId: number; role: Exclude<UserRole, 'bot'> };
export type OAuthClient = { clientId: string; clientSecret: string; redirectUris: readonly string[] };

export type Principal =
  | { mode: 'api-key'; userId: number; role: ApiKeyGrant['role']; bucketKey: string }
  | { mode: 'oauth'; userId: number; clientId: string; scopes: readonly OAuthScope[]; bucketKey: string };

export type TokenGrant = {
  accessToken: string;
  refreshToken: string | null;
  expiresInSeconds: number;
  scopes: readonly OAuthScope[];
};

/** RFC 6749 error codes: Gorgias is a standard OAuth2/OpenID provider (2.2) [I]. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';

type AccessToken = { clientId: string; userId: number; scopes: readonly OAuthScope[]; expiresAtMs: number };
type RefreshToken = { clientId: string; userId: number; scopes: readonly OAuthScope[] };
type AuthorizationCode = { clientId: string; userId: number; redirectUri: string; scopes: readonly OAuthScope[]; expiresAtMs: number };

/** Codes live ten minutes and are single-use, as RFC 6749 4.1.2 recommends [I]. */
const CODE_TTL_MS = 10 * 60_000;

export class TwinCredentials {
  #apiKeys: readonly ApiKeyGrant[];
  #clients: readonly OAuthClient[];
  #ids: IdSource;
  #accessTokenTtlMs: number;
  #isRotatingRefreshTokens: boolean;
  #codes = new Map<string, AuthorizationCode>();
  #accessTokens = new Map<string, AccessToken>();
  #refreshTokens = new Map<string, RefreshToken>();

  constructor(options: {
    apiKeys: readonly ApiKeyGrant[];
    clients: readonly OAuthClient[];
    ids: IdSource;
    accessTokenTtlMs: number;
    isRotatingRefreshTokens: boolean;
  }) {
    this.#apiKeys = options.apiKeys;
    this.#clients = options.clients;
    this.#ids = options.ids;
    this.#accessTokenTtlMs = options.accessTokenTtlMs;
    this.#isRotatingRefreshTokens = options.isRotatingRefreshTokens;
  }

  /** `Authorization: Basic base64(email:apikey)` or `Authorization: Bearer <token>`; anything else is anonymous. */
  authenticate(header: string | undefined, nowMs: number): Principal | undefined {
    if (!header) return undefined;
    const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return undefined;
      const email = decoded.slice(0, colon).toLowerCase();
      const key = decoded.slice(colon + 1);
      const grant = this.#apiKeys.find((candidate) => candidate.email.toLowerCase() === email && isSameSecret(candidate.apiKey, key));
      return grant ? { mode: 'api-key', userId: grant.userId, role: grant.role, bucketKey: 'api-key' } : undefined;
    }
    if (scheme.toLowerCase() === 'bearer') {
      const token = this.#accessTokens.get(value);
      if (!token || token.expiresAtMs <= nowMs) return undefined;
      return { mode: 'oauth', userId: token.userId, clientId: token.clientId, scopes: token.scopes, bucketKey: `oauth:${token.clientId}` };
    }
    return undefined;
  }

  /** An observer key only reads (2.1 [C]); a token needs the route's scope or the legacy `write:all` (2.2 [C]). */
  isAllowed(principal: Principal, scope: ApiScope, isWrite: boolean): boolean {
    if (principal.mode === 'api-key') return !(isWrite && principal.role === 'observer');
    return principal.scopes.includes(scope) || principal.scopes.includes('write:all');
  }

  findClient(clientId: string): OAuthClient | undefined {
    return this.#clients.find((client) => client.clientId === clientId);
  }

  checkClientSecret(clientId: string, clientSecret: string): OAuthClient | undefined {
    const client = this.findClient(clientId);
    return client && isSameSecret(client.clientSecret, clientSecret) ? client : undefined;
  }

  issueCode(input: { clientId: string; userId: number; redirectUri: string; scopes: readonly OAuthScope[] }, nowMs: number): string {
    const code = this.#ids.next('gcode');
    this.#codes.set(code, { ...input, expiresAtMs: nowMs + CODE_TTL_MS });
    return code;
  }

  redeemCode(input: { code: string; clientId: string; redirectUri: string | undefined }, nowMs: number): Result<TokenGrant, OAuthErrorCode> {
    const stored = this.#codes.get(input.code);
    this.#codes.delete(input.code);
    if (!stored || stored.expiresAtMs <= nowMs || stored.clientId !== input.clientId) return err('invalid_grant');
    if (input.redirectUri !== stored.redirectUri) return err('invalid_grant');
    return ok(this.issueTokens({ clientId: stored.clientId, userId: stored.userId, scopes: stored.scopes }, nowMs));
  }

  refresh(input: { refreshToken: string; clientId: string }, nowMs: number): Result<TokenGrant, OAuthErrorCode> {
    const stored = this.#refreshTokens.get(input.refreshToken);
    if (!stored || stored.clientId !== input.clientId) return err('invalid_grant');
    if (this.#isRotatingRefreshTokens) this.#refreshTokens.delete(input.refreshToken);
    const grant = this.#issueAccessToken(stored, nowMs);
    const refreshToken = this.#isRotatingRefreshTokens ? this.#issueRefreshToken(stored) : input.refreshToken;
    return ok({ ...grant, refreshToken });
  }

  /** A refresh token only comes with the `offline` scope (2.2 [C] S1). */
  issueTokens(input: { clientId: string; userId: number; scopes: readonly OAuthScope[] }, nowMs: number): TokenGrant {
    const grant = this.#issueAccessToken(input, nowMs);
    return { ...grant, refreshToken: input.scopes.includes('offline') ? this.#issueRefreshToken(input) : null };
  }

  expireAccessTokens(): void {
    for (const token of this.#accessTokens.values()) token.expiresAtMs = Number.NEGATIVE_INFINITY;
  }

  #issueAccessToken(input: RefreshToken, nowMs: number): TokenGrant {
    const accessToken = this.#ids.next('gat');
    this.#accessTokens.set(accessToken, { ...input, expiresAtMs: nowMs + this.#accessTokenTtlMs });
    return { accessToken, refreshToken: null, expiresInSeconds: Math.round(this.#accessTokenTtlMs / 1000), scopes: input.scopes };
  }

  #issueRefreshToken(input: RefreshToken): string {
    const refreshToken = this.#ids.next('grt');
    this.#refreshTokens.set(refreshToken, { clientId: input.clientId, userId: input.userId, scopes: input.scopes });
    return refreshToken;
  }
}

function isSameSecret(expected: string, given: string): boolean {
  const left = Buffer.from(expected, 'utf8');
  const right = Buffer.from(given, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
