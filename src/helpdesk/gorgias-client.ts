// The complete Gorgias REST client: one object over one transport, paced under the account's rate limit.
// Every method returns a Result with a stable error code (errors.ts); nothing here throws on what Gorgias answers.
import type { Dispatcher } from 'undici';
import { ConfigError, type Config } from '../config/config.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { OAuthTokens } from './gorgias-codec.ts';
import { createAccountApi, type AccountApi } from './gorgias-account-api.ts';
import { createCustomerApi, type CustomerApi } from './gorgias-customer-api.ts';
import { createOAuthTokenClient, gorgiasAccountUrl, OAuthTokenSource, type OAuthTokenClient } from './gorgias-oauth.ts';
import type { BucketSettings, BucketState } from './gorgias-pacer.ts';
import { createTicketApi, type TicketApi } from './gorgias-ticket-api.ts';
import { GorgiasTransport, type GorgiasAuth, type RetrySettings } from './gorgias-transport.ts';

export type GorgiasCredentials =
  | { kind: 'basic'; email: string; apiKey: string }
  | {
      kind: 'oauth';
      clientId: string;
      clientSecret: string;
      refreshToken: string;
      current?: { accessToken: string; expiresAtMs: number | null };
      /** Called with every new token pair, so a rotated refresh token can be persisted. */
      onTokens?: (tokens: OAuthTokens) => void;
      refreshMarginMs?: number;
    };

export type GorgiasClientOptions = {
  /** The account subdomain: requests go to `https://{domain}.gorgias.com/api` (gorgias-rest-api.md, 1). */
  domain?: string;
  /** An explicit API base such as a twin's `http://127.0.0.1:4010/api`; wins over `domain`. */
  apiUrl?: string;
  credentials: GorgiasCredentials;
  clock: Clock;
  random: () => number;
  log: Logger;
  dispatcher?: Dispatcher;
  /** Per request, for the headers and between body chunks. */
  timeoutMs?: number;
  retry?: Partial<RetrySettings>;
  bucket?: Partial<BucketSettings>;
};

export type GorgiasClient = TicketApi &
  CustomerApi &
  AccountApi & {
    /** The pacer's view of the account's bucket, for metrics and tests. */
    bucketState(): BucketState;
    /** The OAuth2 token client (code exchange, refresh) when the client runs on OAuth2. */
    readonly oauth: OAuthTokenClient | null;
  };

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRateLimitWaits: 5, maxRetryAfterWaitMs: 30_000 };

/** API keys get 40 calls and OAuth2 apps 80 per 20 s window (gorgias-rest-api.md, 3). */
export function defaultBucket(credentials: GorgiasCredentials): BucketSettings {
  return { limit: credentials.kind === 'basic' ? 40 : 80, windowMs: 20_000, headroom: 2 };
}

export function createGorgiasClient(options: GorgiasClientOptions): GorgiasClient {
  const target = { ...(options.domain ? { domain: options.domain } : {}), ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}) };
  const apiUrl = options.apiUrl ?? `${gorgiasAccountUrl(target)}/api`;
  const { auth, oauth } = buildAuth(options, gorgiasAccountUrl(target));
  const http = new GorgiasTransport({
    apiUrl,
    auth,
    clock: options.clock,
    random: options.random,
    log: options.log,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    bucket: { ...defaultBucket(options.credentials), ...options.bucket },
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  return {
    ...createTicketApi(http),
    ...createCustomerApi(http),
    ...createAccountApi(http),
    bucketState: () => http.bucketState(),
    oauth,
  };
}

function buildAuth(options: GorgiasClientOptions, accountUrl: string): { auth: GorgiasAuth; oauth: OAuthTokenClient | null } {
  const { credentials } = options;
  if (credentials.kind === 'basic') return { auth: credentials, oauth: null };
  const oauth = createOAuthTokenClient({
    app: { accountUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret },
    clock: options.clock,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const tokens = new OAuthTokenSource({
    client: oauth,
    clock: options.clock,
    refreshToken: credentials.refreshToken,
    ...(credentials.current ? { current: credentials.current } : {}),
    ...(credentials.onTokens ? { onTokens: credentials.onTokens } : {}),
    ...(credentials.refreshMarginMs === undefined ? {} : { refreshMarginMs: credentials.refreshMarginMs }),
  });
  return { auth: { kind: 'oauth', tokens }, oauth };
}

/** Credentials from config; throws at start-up when Gorgias is configured without a usable pair. */
export function gorgiasCredentialsFromConfig(gorgias: Config['gorgias']): GorgiasCredentials {
  if (gorgias.email && gorgias.apiKey) return { kind: 'basic', email: gorgias.email, apiKey: gorgias.apiKey };
  if (gorgias.oauthClientId && gorgias.oauthClientSecret && gorgias.oauthRefreshToken) {
    return { kind: 'oauth', clientId: gorgias.oauthClientId, clientSecret: gorgias.oauthClientSecret, refreshToken: gorgias.oauthRefreshToken };
  }
  throw new ConfigError('GORGIAS_API_KEY: Gorgias needs GORGIAS_EMAIL + GORGIAS_API_KEY, or GORGIAS_OAUTH_CLIENT_ID + GORGIAS_OAUTH_CLIENT_SECRET + GORGIAS_OAUTH_REFRESH_TOKEN');
}
