// The Gorgias twin: a strict local stand-in for one account's REST API on 127.0.0.1, built from
// contracts/gorgias-rest-api.md only. Owns the server, scripting hooks and inspection; never imports src/helpdesk.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { randomIds, type IdSource } from '../../shared/ids.ts';
import { accountRoutes } from './account-routes.ts';
import { customFieldRoutes } from './custom-field-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { eventRoutes } from './event-routes.ts';
import { FaultPlan, type InjectedFailureStatus } from './fault-plan.ts';
import { integrationRoutes } from './integration-routes.ts';
import { API_KEY_BUCKET, assertBucketConfig, OAUTH_BUCKET, type BucketConfig } from './leaky-bucket.ts';
import { messageRoutes } from './message-routes.ts';
import { notEmulatedRoutes } from './not-emulated-routes.ts';
import { RequestPipeline, type TwinRequestRecord } from './request-pipeline.ts';
import { RouteTable } from './route-table.ts';
import { searchRoutes } from './search-routes.ts';
import { tagRoutes } from './tag-routes.ts';
import { ticketRoutes } from './ticket-routes.ts';
import { TwinCredentials, type ApiKeyGrant, type OAuthClient } from './twin-credentials.ts';
import { TwinSeeds, type SeedCustomerInput } from './twin-seeds.ts';
import { TwinState, type Delivery } from './twin-state.ts';
import { microsFromMs } from './wire-datetime.ts';
import type { UserRole } from './twin-records.ts';
import type { CustomFieldDataType, CustomFieldObjectType, OAuthScope } from './wire-enums.ts';
import {
  viewCustomer, viewEvent, viewIntegration, viewMessage, viewTag, viewTicket, viewUser,
  type CustomerView, type CustomFieldView, type EventView, type IntegrationView, type MessageView, type TagView, type TicketView, type UserView,
} from './wire-views.ts';
import { WebhookDispatcher, type WebhookDelivery } from './webhook-dispatcher.ts';

export type GorgiasTwinOptions = {
  clock?: Clock;
  /** Source of OAuth codes and tokens. */
  ids?: IdSource;
  /** The account subdomain reported by `GET /api/account`. */
  domain?: string;
  apiKeys?: readonly { email: string; apiKey: string; name?: string; role?: ApiKeyGrant['role'] }[];
  oauthClients?: readonly OAuthClient[];
  accessTokenTtlSeconds?: number;
  isRotatingRefreshTokens?: boolean;
  /** Bucket sizes; defaults are the documented 40/20 s (API key) and 80/20 s (OAuth). */
  rateLimit?: { apiKey?: BucketConfig; oauth?: BucketConfig };
  /** `via` on tickets and messages: S3/S5 say required, S2 optional (6.1 [!]); strict by default. */
  isViaRequired?: boolean;
  /** Serve `GET /twin` and `GET /twin/tickets` (sandbox mode). */
  hasSandboxPages?: boolean;
  maxBodyBytes?: number;
};

export type GorgiasTwin = {
  /** What to give the client as `GORGIAS_API_URL`: `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** The account host; OAuth lives at `${origin}/oauth/authorize` and `${origin}/oauth/token`. */
  readonly origin: string;
  readonly domain: string;
  readonly credentials: { email: string; apiKey: string };
  readonly oauthClient: { clientId: string; clientSecret: string; redirectUri: string };
  readonly agentUserId: number;
  readonly botUserId: number;
  readonly teamId: number;

  /** Seeds write pre-existing account data straight into the twin: no events, no rate limit. */
  seedCustomer(input: SeedCustomerInput): CustomerView;
  seedUser(input: { email: string; name: string; role?: UserRole }): UserView;
  seedTeam(input: { name: string }): { id: number; name: string };
  seedTag(input: { name: string; color?: string; description?: string }): TagView;
  seedCustomField(input: { label: string; dataType: CustomFieldDataType; objectType?: CustomFieldObjectType; isArchived?: boolean }): CustomFieldView;
  /** Serves the bytes at `GET /api/{fileType}/download/{path}`; returns that path. */
  seedFile(input: { fileType: 'attachments' | 'files'; path: string; contentType: string; content: string | Uint8Array }): { path: string };

  failNext(count: number, options: { status: InjectedFailureStatus; retryAfterSeconds?: number }): void;
  /** Holds every response back by `ms` after the request is processed; 0 removes it. */
  addLatency(ms: number): void;
  acceptThenDrop(count: number): void;
  issueOAuthTokens(input: { scopes: readonly OAuthScope[]; clientId?: string }): { accessToken: string; refreshToken: string | null };
  expireAccessTokens(): void;

  tickets(): TicketView[];
  ticket(id: number): TicketView | undefined;
  customers(): CustomerView[];
  messages(ticketId: number): MessageView[];
  events(): EventView[];
  tags(): TagView[];
  users(): UserView[];
  integrations(): IntegrationView[];
  requests(): TwinRequestRecord[];
  /** Outgoing public messages created without `sent_datetime`, which Gorgias would have sent to the customer. */
  deliveries(): Delivery[];
  webhookDeliveries(): WebhookDelivery[];
  /** Throws if scripted faults were never consumed or a route crashed. */
  assertNoLeftovers(): void;
  close(): Promise<void>;
};

const DEFAULT_API_KEY = { email: 'agent@twin-account.example', apiKey: 'twin-api-key', name: 'Twin Agent', role: 'admin' } as const;
const DEFAULT_OAUTH_CLIENT: OAuthClient = { clientId: 'twin-oauth-client', clientSecret: 'twin-oauth-secret', redirectUris: ['http://127.0.0.1/oauth/callback'] };

export async function startGorgiasTwin(options: GorgiasTwinOptions = {}): Promise<GorgiasTwin> {
  const clock = options.clock ?? systemClock;
  const state = new TwinState();
  const seed = new TwinSeeds(state, clock);
  const keyInputs = options.apiKeys ?? [DEFAULT_API_KEY];
  if (keyInputs.length === 0) throw new Error('the Gorgias twin needs at least one API key');
  const apiKeys: ApiKeyGrant[] = keyInputs.map((key) => {
    const user = seed.user({ email: key.email, name: key.name ?? key.email, role: key.role ?? 'admin' });
    return { email: key.email, apiKey: key.apiKey, userId: user.id, role: key.role ?? 'admin' };
  });
  const [firstKey] = apiKeys;
  if (!firstKey) throw new Error('the Gorgias twin needs at least one API key');
  const bot = seed.user({ email: 'voice-bot@twin-account.example', name: 'AI Voice Agent', role: 'bot' });
  const team = seed.team({ name: 'Support' });
  const clients = options.oauthClients ?? [DEFAULT_OAUTH_CLIENT];
  const credentials = new TwinCredentials({
    apiKeys,
    clients,
    ids: options.ids ?? randomIds,
    accessTokenTtlMs: (options.accessTokenTtlSeconds ?? 3600) * 1000,
    isRotatingRefreshTokens: options.isRotatingRefreshTokens ?? false,
  });
  const domain = options.domain ?? 'twin-account';
  const routes = new RouteTable().add([
    ...ticketRoutes, ...messageRoutes, ...tagRoutes, ...customerRoutes, ...customFieldRoutes, ...eventRoutes,
    ...searchRoutes, ...integrationRoutes, ...accountRoutes({ domain, createdAt: microsFromMs(clock.now()) }), ...notEmulatedRoutes,
  ]);
  const buckets = { apiKey: options.rateLimit?.apiKey ?? API_KEY_BUCKET, oauth: options.rateLimit?.oauth ?? OAUTH_BUCKET };
  assertBucketConfig(buckets.apiKey);
  assertBucketConfig(buckets.oauth);
  const faults = new FaultPlan();
  const pipeline = new RequestPipeline({
    state, credentials, routes, faults, clock,
    settings: { isViaRequired: options.isViaRequired ?? true },
    buckets,
    oauthUserId: firstKey.userId,
    hasSandboxPages: options.hasSandboxPages ?? false,
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
  });
  const webhooks = new WebhookDispatcher(state, clock);
  const server = createServer((request, response) => {
    pipeline.handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : undefined);
    });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const [firstClient] = clients;
  const byId = <T extends { id: number }>(items: Iterable<T>): T[] => [...items].sort((a, b) => a.id - b.id);
  let isClosed = false;

  return {
    apiUrl: `${origin}/api`,
    origin,
    domain,
    credentials: { email: firstKey.email, apiKey: firstKey.apiKey },
    oauthClient: { clientId: firstClient?.clientId ?? '', clientSecret: firstClient?.clientSecret ?? '', redirectUri: firstClient?.redirectUris[0] ?? '' },
    agentUserId: firstKey.userId,
    botUserId: bot.id,
    teamId: team.id,
    seedCustomer: (input) => seed.customer(input),
    seedUser: (input) => seed.user(input),
    seedTeam: (input) => seed.team(input),
    seedTag: (input) => seed.tag(input),
    seedCustomField: (input) => seed.customField(input),
    seedFile: (input) => seed.file(input),
    failNext: (count, failure) => faults.failNext(count, failure),
    addLatency: (ms) => faults.setLatency(ms),
    acceptThenDrop: (count) => faults.acceptThenDrop(count),
    issueOAuthTokens(input) {
      const clientId = input.clientId ?? firstClient?.clientId ?? '';
      if (!credentials.findClient(clientId)) throw new Error(`unknown OAuth client ${clientId}`);
      const grant = credentials.issueTokens({ clientId, userId: firstKey.userId, scopes: input.scopes }, clock.now());
      return { accessToken: grant.accessToken, refreshToken: grant.refreshToken };
    },
    expireAccessTokens: () => credentials.expireAccessTokens(),
    tickets: () => byId(state.tickets.values()).map((ticket) => viewTicket(state, ticket, { isWithCustomFields: true })),
    ticket(id) {
      const ticket = state.tickets.get(id);
      return ticket ? viewTicket(state, ticket, { isWithCustomFields: true }) : undefined;
    },
    customers: () => byId(state.customers.values()).map(viewCustomer),
    messages(ticketId) {
      const ticket = state.tickets.get(ticketId);
      return ticket ? state.messagesOf(ticket).map((message) => viewMessage(state, message)) : [];
    },
    events: () => byId(state.events.values()).map(viewEvent),
    tags: () => byId(state.tags.values()).map((tag) => viewTag(state, tag)),
    users: () => byId(state.users.values()).map(viewUser),
    integrations: () => byId(state.integrations.values()).map(viewIntegration),
    requests: () => pipeline.requests(),
    deliveries: () => [...state.deliveries],
    webhookDeliveries: () => webhooks.deliveries(),
    assertNoLeftovers() {
      const problems: string[] = [];
      if (faults.pendingCount() > 0) problems.push(`${faults.pendingCount()} scripted fault(s) never triggered`);
      for (const error of pipeline.internalErrors()) problems.push(`route crashed: ${error.message}`);
      if (problems.length > 0) throw new Error(`Gorgias twin leftovers: ${problems.join('; ')}`);
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      pipeline.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await webhooks.close();
    },
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
