// The one place that drives `@shopify/shopify-api` v15: client set-up, access tokens (custom-app token or the
// client-credentials grant, refreshed before expiry), the fetch seam that points it at SHOPIFY_ADMIN_API_URL, and
// turning the library's exceptions into typed outcomes (twilio-and-shopify.md, B1 and B4). It never retries or waits.
import '@shopify/shopify-api/adapters/node';
import {
  ApiVersion,
  GraphqlQueryError,
  HttpRequestError,
  HttpResponseError,
  LogSeverity,
  shopifyApi,
  type GraphqlClient,
  type Session,
} from '@shopify/shopify-api';
import { abstractFetch, setAbstractFetchFunc, type AbstractFetchFunc } from '@shopify/shopify-api/runtime';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { mapQueryCost, type QueryCost } from './shopify-mapper.ts';
import { graphqlErrorsWire } from './shopify-wire.ts';

export type ShopifyAuth =
  | { kind: 'admin_token'; adminToken: string }
  | { kind: 'client_credentials'; clientId: string; clientSecret: string };

export type AdminLinkOptions = {
  /** `brand.myshopify.com`. */
  shop: string;
  apiVersion: string;
  auth: ShopifyAuth;
  /** When set (a twin, a proxy), every request goes to this origin instead of `https://{shop}`. */
  adminApiUrl?: string;
  /** Required by the library even for custom apps; only used in its OAuth redirects, which we never make. */
  hostName?: string;
  clock: Clock;
  log: Logger;
  /** Refresh a client-credentials token this long before it expires. */
  tokenRefreshMarginMs?: number;
  /** The token grant has no caller signal in the library, so the fetch seam bounds it. */
  grantTimeoutMs?: number;
};

export type LinkOutcome =
  | { kind: 'data'; data: unknown; cost: QueryCost | null }
  | { kind: 'throttled'; cost: QueryCost | null; retryAfterMs: number | null }
  | { kind: 'unauthorized'; message: string; isTokenRefused: boolean }
  | { kind: 'unavailable'; message: string; status: number | null; cause?: unknown }
  | { kind: 'timeout'; message: string }
  | { kind: 'rejected'; message: string; codes: string[]; cause?: unknown };

export interface AdminGraphqlLink {
  request(operation: string, document: string, variables: Record<string, unknown>, timeoutMs: number): Promise<LinkOutcome>;
}

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
const DEFAULT_GRANT_TIMEOUT_MS = 3000;

/** The library's enum value for a configured version string; bad config throws at start-up. */
export function toApiVersion(version: string): ApiVersion {
  const known = Object.values(ApiVersion).find((candidate) => candidate === version);
  if (!known) throw new Error(`SHOPIFY_API_VERSION ${version} is not known to @shopify/shopify-api (known: ${Object.values(ApiVersion).join(', ')})`);
  return known;
}

function urlOf(input: Parameters<AbstractFetchFunc>[0]): URL {
  if (typeof input === 'string') return new URL(input);
  if (input instanceof URL) return input;
  return new URL(input.url);
}

/**
 * The library always builds `https://{shop}/admin/...` (B1, "Pointing either client at a local emulator"); this fetch
 * keeps the path and swaps the origin for `adminApiUrl`, and bounds calls that carry no signal of their own.
 */
export function createAdminFetch(base: AbstractFetchFunc, adminApiUrl: string | undefined, defaultTimeoutMs: number): AbstractFetchFunc {
  const target = adminApiUrl ? new URL(adminApiUrl) : undefined;
  return (input, init) => {
    const signal = init?.signal ?? AbortSignal.timeout(defaultTimeoutMs);
    if (!target) return base(input, { ...init, signal });
    const original = urlOf(input);
    const prefix = target.pathname.replace(/\/$/, '');
    return base(new URL(`${prefix}${original.pathname}${original.search}`, target.origin), { ...init, signal });
  };
}

// The library reads its fetch from a module-level slot: GraphqlClient copies it when constructed, and the token grant
// calls it before its first await. Swapping it around those synchronous calls gives each link its own fetch.
function withLibraryFetch<T>(fetch: AbstractFetchFunc, run: () => T): T {
  const previous = abstractFetch;
  setAbstractFetchFunc(fetch);
  try {
    return run();
  } finally {
    setAbstractFetchFunc(previous);
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

// GraphqlQueryError.body is `{ data?, errors: { graphQLErrors }, extensions }` (B1).
function errorCodes(body: unknown): { codes: string[]; message: string } {
  const parsed = graphqlErrorsWire.safeParse(field(field(body, 'errors'), 'graphQLErrors'));
  if (!parsed.success) return { codes: [], message: 'GraphQL error' };
  return {
    codes: parsed.data.map((error) => error.extensions?.code ?? '').filter((code) => code.length > 0),
    message: parsed.data.map((error) => error.message).join('; '),
  };
}

export function createAdminGraphqlLink(options: AdminLinkOptions): AdminGraphqlLink {
  const { clock, log, auth } = options;
  const fetch = createAdminFetch(abstractFetch, options.adminApiUrl, options.grantTimeoutMs ?? DEFAULT_GRANT_TIMEOUT_MS);
  const refreshMarginMs = options.tokenRefreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const shopify = shopifyApi({
    apiVersion: toApiVersion(options.apiVersion),
    hostName: options.hostName ?? 'localhost',
    isEmbeddedApp: false,
    // Custom store app: the secret only signs webhooks, which this service does not receive.
    ...(auth.kind === 'admin_token'
      ? { isCustomStoreApp: true, adminApiAccessToken: auth.adminToken, apiSecretKey: 'unused-webhook-secret' }
      : { isCustomStoreApp: false, apiKey: auth.clientId, apiSecretKey: auth.clientSecret }),
    logger: {
      level: LogSeverity.Warning,
      log: (severity, message) => {
        if (severity === LogSeverity.Error) log.error({ detail: message }, 'shopify.library.error');
        else log.debug({ detail: message, severity }, 'shopify.library.log');
      },
    },
  });

  let current: { client: GraphqlClient; expiresAtMs: number | null } | undefined;
  let refreshing: Promise<LinkOutcome | undefined> | undefined;

  // The library stamps `session.expires` from the wall clock; Clock.now() is epoch time too, so they compare directly.
  const expiryOf = (session: Session): number | null => (session.expires ? session.expires.getTime() : null);

  const grantToken = async (): Promise<LinkOutcome | undefined> => {
    if (auth.kind !== 'client_credentials') return undefined;
    try {
      const { session } = await withLibraryFetch(fetch, () => shopify.auth.clientCredentials({ shop: options.shop }));
      current = { client: withLibraryFetch(fetch, () => new shopify.clients.Graphql({ session })), expiresAtMs: expiryOf(session) };
      log.info({ expiresInMs: current.expiresAtMs === null ? null : current.expiresAtMs - clock.now() }, 'shopify.token.granted');
      return undefined;
    } catch (error) {
      // The grant answers bad credentials with a 4xx: that is our configuration, not a shop outage.
      if (error instanceof HttpResponseError && error.response.code >= 400 && error.response.code < 500) {
        return { kind: 'unauthorized', message: `token grant refused (HTTP ${error.response.code})`, isTokenRefused: false };
      }
      return classify(error, undefined);
    }
  };

  const ensureClient = async (): Promise<GraphqlClient | LinkOutcome> => {
    if (auth.kind === 'admin_token') {
      current ??= { client: withLibraryFetch(fetch, () => new shopify.clients.Graphql({ session: shopify.session.customAppSession(options.shop) })), expiresAtMs: null };
      return current.client;
    }
    const isFresh = current && (current.expiresAtMs === null || clock.now() < current.expiresAtMs - refreshMarginMs);
    if (current && isFresh) return current.client;
    refreshing ??= grantToken().finally(() => {
      refreshing = undefined;
    });
    const failure = await refreshing;
    if (failure) return failure;
    return current ? current.client : { kind: 'unauthorized', message: 'no access token', isTokenRefused: false };
  };

  const classify = (error: unknown, signal: AbortSignal | undefined): LinkOutcome => {
    if (error instanceof GraphqlQueryError) {
      const { codes, message } = errorCodes(error.body);
      const cost = mapQueryCost(field(error.body, 'extensions'));
      if (codes.includes('THROTTLED')) return { kind: 'throttled', cost, retryAfterMs: null };
      if (codes.includes('ACCESS_DENIED')) return { kind: 'unauthorized', message, isTokenRefused: false };
      if (codes.includes('INTERNAL_SERVER_ERROR')) return { kind: 'unavailable', message, status: 200, cause: error };
      return { kind: 'rejected', message, codes, cause: error };
    }
    if (error instanceof HttpResponseError) {
      const status = error.response.code;
      if (status === 401 || status === 403) return { kind: 'unauthorized', message: `HTTP ${status}`, isTokenRefused: status === 401 };
      if (status === 429) {
        const retryAfter = error.response.retryAfter;
        return { kind: 'throttled', cost: null, retryAfterMs: typeof retryAfter === 'number' ? retryAfter * 1000 : null };
      }
      return { kind: 'unavailable', message: `HTTP ${status}`, status, cause: error };
    }
    if (signal?.aborted || (error instanceof Error && error.name === 'TimeoutError')) return { kind: 'timeout', message: 'Shopify did not answer in time' };
    if (error instanceof HttpRequestError && /abort|timeout/i.test(error.message)) return { kind: 'timeout', message: 'Shopify did not answer in time' };
    return { kind: 'unavailable', message: error instanceof Error ? error.message : String(error), status: null, cause: error };
  };

  const send = async (document: string, variables: Record<string, unknown>, timeoutMs: number): Promise<LinkOutcome> => {
    const client = await ensureClient();
    if (!('request' in client)) return client;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await client.request(document, { variables, signal });
      return { kind: 'data', data: response.data, cost: mapQueryCost(response.extensions) };
    } catch (error) {
      return classify(error, signal);
    }
  };

  return {
    async request(operation, document, variables, timeoutMs) {
      const startedMs = clock.monotonicMs();
      let outcome = await send(document, variables, timeoutMs);
      if (outcome.kind === 'unauthorized' && outcome.isTokenRefused && auth.kind === 'client_credentials' && current) {
        // A revoked or early-expired token: take a fresh one once, then give up (B1).
        current = undefined;
        outcome = await send(document, variables, timeoutMs);
      }
      const cost = outcome.kind === 'data' || outcome.kind === 'throttled' ? outcome.cost : null;
      log.debug(
        {
          operation,
          outcome: outcome.kind,
          durationMs: Math.round(clock.monotonicMs() - startedMs),
          requestedQueryCost: cost?.requestedQueryCost,
          actualQueryCost: cost?.actualQueryCost,
          currentlyAvailable: cost?.throttleStatus.currentlyAvailable,
        },
        'shopify.request.finished',
      );
      return outcome;
    },
  };
}
