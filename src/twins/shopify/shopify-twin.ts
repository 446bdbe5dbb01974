// A local Shopify Admin API on 127.0.0.1: GraphQL (validated against the real 2026-10 schema), the client-credentials
// grant, access tokens, cost and THROTTLED (twilio-and-shopify.md, Part B). Built from the contract, never from src/commerce.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { loadAdminSchema, ADMIN_SCHEMA_PATH } from './admin-schema.ts';
import { seedDemoStore, shopifyDateTime } from './demo-store.ts';
import { GraphqlEndpoint, MISSING_QUERY_BODY } from './graphql-endpoint.ts';
import { LeakyBucket, STANDARD_BUCKET, type BucketSettings, type ThrottleStatus } from './leaky-bucket.ts';
import type { TwinReturn, TwinStoreData } from './store-data.ts';
import { createTwinRoots } from './twin-root.ts';
import { TwinStore } from './twin-store.ts';

export const TWIN_ADMIN_TOKEN = 'shpat_twin_admin_token_0000000000';

/** Scopes our bridge asks for: orders, customers, returns, plus products (type, tags) and fulfillment holds (B1). */
export const TWIN_DEFAULT_SCOPES = [
  'read_orders',
  'read_customers',
  'read_returns',
  'write_returns',
  'read_products',
  'read_merchant_managed_fulfillment_orders',
] as const;

/** [F] Client-credentials tokens live 24 hours: `expires_in: 86399` (B1). */
export const CLIENT_CREDENTIALS_TTL_SECONDS = 86_399;

const UNAUTHORIZED_BODY = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
const NOT_FOUND_BODY = { errors: 'Not Found' };
const MAX_BODY_BYTES = 1_000_000;

export type TwinFault = { status: 500 | 502 | 503 } | 'throttle' | { delayMs: number };

export type ShopifyTwinOptions = {
  /** "Today" for the seeded demo shop; ignored when `store` is given. */
  now?: Date;
  store?: TwinStoreData;
  /** Drives the cost bucket and token expiry. */
  clock?: Clock;
  adminTokens?: readonly string[];
  scopes?: readonly string[];
  clientCredentials?: readonly { clientId: string; clientSecret: string }[];
  tokenTtlSeconds?: number;
  bucket?: BucketSettings;
  apiVersion?: string;
  schemaPath?: string;
};

export type RecordedRequest = {
  method: string;
  path: string;
  status: number;
  hasToken: boolean;
  operationName: string | null;
  query: string | null;
  variables: unknown;
  requestedQueryCost: number | null;
  isThrottled: boolean;
  fault: TwinFault | null;
};

export type IssuedToken = { accessToken: string; scope: string; expiresAtMs: number };

export type ShopifyTwin = {
  /** Origin to put in SHOPIFY_ADMIN_API_URL, e.g. `http://127.0.0.1:53124`. */
  url: string;
  shopDomain: string;
  apiVersion: string;
  adminToken: string;
  store: TwinStore;
  requests(): RecordedRequest[];
  /** Returns created through the `returnRequest` mutation, oldest first. */
  returnRequests(): TwinReturn[];
  issuedTokens(): IssuedToken[];
  throttleStatus(): ThrottleStatus;
  /** The next `count` Admin API requests (GraphQL or token grant) meet `fault` instead of a normal answer. */
  failNext(count: number, fault: TwinFault): void;
  /** Throws when scripted faults were never consumed (a test expected calls that did not happen). */
  assertNoPendingFaults(): void;
  close(): Promise<void>;
};

const bodyWithQuerySchema = z.object({ query: z.unknown() }).passthrough();
const grantSchema = z.object({ grant_type: z.string(), client_id: z.string(), client_secret: z.string() });

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.destroyed || response.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'x-request-id': randomUUID(),
    ...headers,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Operation name, query and variables of a GraphQL body, as far as they can be read. */
function describeOperation(text: string): Pick<RecordedRequest, 'operationName' | 'query' | 'variables'> {
  const body = parseJson(text);
  const query = typeof body === 'object' && body !== null ? Reflect.get(body, 'query') : text;
  const variables: unknown = typeof body === 'object' && body !== null ? (Reflect.get(body, 'variables') ?? null) : null;
  const named = typeof body === 'object' && body !== null ? Reflect.get(body, 'operationName') : undefined;
  const declared = typeof query === 'string' ? /\b(?:query|mutation)\s+([A-Za-z_]\w*)/.exec(query)?.[1] : undefined;
  return {
    operationName: typeof named === 'string' ? named : (declared ?? null),
    query: typeof query === 'string' ? query : null,
    variables,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startShopifyTwin(options: ShopifyTwinOptions = {}): Promise<ShopifyTwin> {
  const clock = options.clock ?? systemClock;
  const apiVersion = options.apiVersion ?? '2026-10';
  const admin = loadAdminSchema(options.schemaPath ?? ADMIN_SCHEMA_PATH);
  const store = new TwinStore(options.store ?? seedDemoStore(options.now ?? new Date(clock.now())));
  const bucket = new LeakyBucket(options.bucket ?? STANDARD_BUCKET, clock);
  const endpoint = new GraphqlEndpoint(admin, createTwinRoots(store, () => shopifyDateTime(new Date(clock.now()))), bucket);
  const scopes = new Set(options.scopes ?? TWIN_DEFAULT_SCOPES);
  const adminTokens = new Set(options.adminTokens ?? [TWIN_ADMIN_TOKEN]);
  const clients = options.clientCredentials ?? [];
  const tokenTtlSeconds = options.tokenTtlSeconds ?? CLIENT_CREDENTIALS_TTL_SECONDS;
  const issued: IssuedToken[] = [];
  const recorded: RecordedRequest[] = [];
  const seededReturnIds = new Set(store.allReturns().map((seeded) => seeded.id));
  const faults: TwinFault[] = [];
  const sockets = new Set<Socket>();
  // Pending delayed answers; close() ends them so no timer outlives the twin.
  const delays = new Map<NodeJS.Timeout, () => void>();
  const graphqlPath = new RegExp(`^/admin/api/([^/]+)/graphql\\.json$`);

  const isValidToken = (token: string | undefined): boolean => {
    if (!token) return false;
    if (adminTokens.has(token)) return true;
    const grant = issued.find((candidate) => candidate.accessToken === token);
    return grant !== undefined && grant.expiresAtMs > clock.now();
  };

  const record = (entry: Omit<RecordedRequest, 'operationName' | 'query' | 'variables' | 'requestedQueryCost' | 'isThrottled'> & Partial<RecordedRequest>): void => {
    recorded.push({ operationName: null, query: null, variables: null, requestedQueryCost: null, isThrottled: false, ...entry });
  };

  type RequestBase = Pick<RecordedRequest, 'method' | 'path' | 'hasToken' | 'fault'> & Partial<Pick<RecordedRequest, 'operationName' | 'query' | 'variables'>>;

  const answerGrant = (text: string, contentType: string, response: ServerResponse, base: RequestBase): void => {
    const fields: unknown = contentType.includes('application/json') ? parseJson(text) : Object.fromEntries(new URLSearchParams(text));
    const grant = grantSchema.safeParse(fields);
    let status = 200;
    let body: unknown;
    if (!grant.success) {
      status = 400;
      body = { error: 'invalid_request', error_description: 'grant_type, client_id and client_secret are required' };
    } else if (grant.data.grant_type !== 'client_credentials') {
      status = 400;
      body = { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported here' };
    } else if (!clients.some((client) => client.clientId === grant.data.client_id && client.clientSecret === grant.data.client_secret)) {
      status = 400;
      body = { error: 'invalid_client', error_description: 'Client authentication failed' };
    } else {
      const token: IssuedToken = {
        accessToken: `shpat_cc_${randomBytes(16).toString('hex')}`,
        scope: [...scopes].join(','),
        expiresAtMs: clock.now() + tokenTtlSeconds * 1000,
      };
      issued.push(token);
      body = { access_token: token.accessToken, scope: token.scope, expires_in: tokenTtlSeconds };
    }
    record({ ...base, status });
    send(response, status, body);
  };

  const answerGraphql = (text: string, contentType: string, response: ServerResponse, base: RequestBase): void => {
    // Shopify takes `application/graphql` (the raw document) as well as JSON.
    const raw: unknown = contentType.includes('application/graphql') ? { query: text } : parseJson(text);
    const withQuery = bodyWithQuerySchema.safeParse(raw);
    if (!withQuery.success) {
      record({ ...base, status: 400 });
      send(response, 400, MISSING_QUERY_BODY);
      return;
    }
    const answer = endpoint.answer(raw, scopes, { isForcedThrottle: base.fault === 'throttle' });
    record({
      ...base,
      status: answer.status,
      operationName: answer.operationName ?? base.operationName ?? null,
      query: typeof withQuery.data.query === 'string' ? withQuery.data.query : null,
      requestedQueryCost: answer.requestedQueryCost,
      isThrottled: answer.isThrottled,
    });
    send(response, answer.status, answer.body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const token = request.headers['x-shopify-access-token'];
    const tokenValue = Array.isArray(token) ? token[0] : token;
    const isGrant = path === '/admin/oauth/access_token';
    const graphqlMatch = graphqlPath.exec(path);
    const hasToken = tokenValue !== undefined;
    if (method !== 'POST' || (!isGrant && (!graphqlMatch || graphqlMatch[1] !== apiVersion))) {
      record({ method, path, hasToken, fault: null, status: 404 });
      send(response, 404, NOT_FOUND_BODY);
      return;
    }
    const text = await readBody(request);
    if (text === null) {
      record({ method, path, hasToken, fault: null, status: 413 });
      send(response, 413, { errors: 'Request body too large' });
      return;
    }
    const fault = faults.shift() ?? null;
    // Faulted requests are recorded with their operation too, so tests can see what was refused.
    const base = { method, path, hasToken, fault, ...(isGrant ? {} : describeOperation(text)) };
    if (fault !== null && typeof fault === 'object' && 'delayMs' in fault) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          delays.delete(timer);
          resolve();
        }, fault.delayMs);
        delays.set(timer, resolve);
      });
      if (response.destroyed || request.socket.destroyed) {
        record({ ...base, status: 499 });
        return;
      }
    } else if (fault !== null && typeof fault === 'object') {
      record({ ...base, status: fault.status });
      if (fault.status === 502) send(response, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
      else send(response, fault.status, { errors: fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error' });
      return;
    }
    const contentType = String(request.headers['content-type'] ?? '');
    if (isGrant) {
      answerGrant(text, contentType, response, base);
      return;
    }
    if (!isValidToken(tokenValue)) {
      record({ ...base, status: 401 });
      send(response, 401, UNAUTHORIZED_BODY);
      return;
    }
    answerGraphql(text, contentType, response, base);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, 500, { errors: [{ message: error instanceof Error ? error.message : String(error), extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Shopify twin: server has no TCP address');
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${address.port}`,
    shopDomain: store.shopDomain,
    apiVersion,
    adminToken: [...adminTokens][0] ?? TWIN_ADMIN_TOKEN,
    store,
    requests: () => [...recorded],
    returnRequests: () => store.allReturns().filter((created) => !seededReturnIds.has(created.id)),
    issuedTokens: () => [...issued],
    throttleStatus: () => bucket.status(),
    failNext(count, fault) {
      for (let index = 0; index < count; index++) faults.push(fault);
    },
    assertNoPendingFaults() {
      if (faults.length > 0) throw new Error(`Shopify twin: ${faults.length} scripted fault(s) were never used: ${JSON.stringify(faults)}`);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const [timer, resolve] of delays) {
          clearTimeout(timer);
          resolve();
        }
        delays.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
