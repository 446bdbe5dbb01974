// Gorgias OAuth2 for public apps: the authorize URL, the code exchange, and access tokens refreshed before expiry.
// Client credentials go as HTTP Basic on the token endpoint (gorgias-rest-api.md, 2.2); tokens are never logged.
import { request, type Dispatcher } from 'undici';
import { ConfigError } from '../config/config.ts';
import type { Clock } from '../shared/clock.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { gorgiasError, gorgiasErrorCodeForStatus, type GorgiasError } from './errors.ts';
import { decodeOAuthTokens, type OAuthTokens } from './gorgias-codec.ts';

/** What the escalation needs; `offline` asks for a refresh token (gorgias-rest-api.md, 2.2). */
export const ESCALATION_OAUTH_SCOPES = [
  'openid',
  'offline',
  'tickets:read',
  'tickets:write',
  'customers:read',
  'customers:write',
  'custom_fields:read',
  'custom_fields:write',
] as const;

/** `https://{domain}.gorgias.com`, or an explicit API URL without its `/api` suffix (a twin). */
export function gorgiasAccountUrl(target: { domain?: string; apiUrl?: string }): string {
  if (target.apiUrl) return target.apiUrl.replace(/\/+$/, '').replace(/\/api$/, '');
  if (target.domain) return `https://${target.domain}.gorgias.com`;
  throw new ConfigError('GORGIAS_DOMAIN: Gorgias needs an account domain or GORGIAS_API_URL');
}

export type AuthorizeRequest = {
  accountUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  /** Anti-CSRF value the callback must echo. */
  state: string;
};

export function buildAuthorizeUrl(input: AuthorizeRequest): string {
  const url = new URL('/oauth/authorize', input.accountUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('scope', [...new Set(input.scopes)].join(' '));
  url.searchParams.set('state', input.state);
  return url.toString();
}

export type OAuthAppCredentials = { accountUrl: string; clientId: string; clientSecret: string };

export type OAuthTokenClient = {
  exchangeCode(code: string, redirectUri: string): Promise<Result<OAuthTokens, GorgiasError>>;
  refresh(refreshToken: string): Promise<Result<OAuthTokens, GorgiasError>>;
};

export function createOAuthTokenClient(options: {
  app: OAuthAppCredentials;
  clock: Clock;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
}): OAuthTokenClient {
  const { app, clock } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');

  // A token POST is never replayed: a code is single-use and a refresh may rotate the refresh token.
  async function postToken(form: Record<string, string>): Promise<Result<OAuthTokens, GorgiasError>> {
    try {
      const response = await request(new URL('/oauth/token', app.accountUrl), {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(timeoutMs),
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) {
        const code = response.statusCode === 400 ? 'unauthorized' : gorgiasErrorCodeForStatus(response.statusCode);
        return err(gorgiasError(code, `Gorgias token endpoint answered ${response.statusCode}`, { status: response.statusCode }));
      }
      return decodeOAuthTokens(parseJson(text), clock.now());
    } catch (cause) {
      return err(gorgiasError('network', 'Gorgias token endpoint could not be reached', { cause }));
    }
  }

  return {
    exchangeCode: (code, redirectUri) => postToken({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
    refresh: (refreshToken) => postToken({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Hands out a valid access token: refreshes `refreshMarginMs` before expiry, once for all concurrent callers,
 * keeps a rotated refresh token, and reports new tokens through `onTokens` so they can be persisted.
 */
export class OAuthTokenSource {
  readonly #client: OAuthTokenClient;
  readonly #clock: Clock;
  readonly #refreshMarginMs: number;
  readonly #onTokens: ((tokens: OAuthTokens) => void) | undefined;
  #tokens: OAuthTokens | null;
  #refreshToken: string;
  #refreshing: Promise<Result<string, GorgiasError>> | null = null;

  constructor(options: {
    client: OAuthTokenClient;
    clock: Clock;
    refreshToken: string;
    /** An access token already held, with its expiry; without one the first request refreshes. */
    current?: { accessToken: string; expiresAtMs: number | null };
    refreshMarginMs?: number;
    onTokens?: (tokens: OAuthTokens) => void;
  }) {
    this.#client = options.client;
    this.#clock = options.clock;
    this.#refreshToken = options.refreshToken;
    this.#refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.#onTokens = options.onTokens;
    this.#tokens = options.current ? { ...options.current, refreshToken: options.refreshToken, scope: null } : null;
  }

  async accessToken(): Promise<Result<string, GorgiasError>> {
    const tokens = this.#tokens;
    if (tokens && (tokens.expiresAtMs === null || this.#clock.now() < tokens.expiresAtMs - this.#refreshMarginMs)) {
      return ok(tokens.accessToken);
    }
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** After a 401: the token was revoked or expired early, so the next call refreshes. */
  invalidate(): void {
    this.#tokens = null;
  }

  async #refresh(): Promise<Result<string, GorgiasError>> {
    const refreshed = await this.#client.refresh(this.#refreshToken);
    if (!refreshed.ok) return refreshed;
    const tokens = { ...refreshed.value, refreshToken: refreshed.value.refreshToken ?? this.#refreshToken };
    this.#refreshToken = tokens.refreshToken;
    this.#tokens = tokens;
    this.#onTokens?.(tokens);
    return ok(tokens.accessToken);
  }
}
