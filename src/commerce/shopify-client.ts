// OrderLookup over Shopify's Admin GraphQL: builds the variables, runs each request under a timeout and a bounded
// backoff (THROTTLED is HTTP 200 and the library never retries it, B4), and maps answers to our types.
import { assertNever } from '../shared/assert-never.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { parseOrderNumber } from './order-number.ts';
import type {
  CommerceError,
  CommerceResult,
  Customer,
  Order,
  OrderLookup,
  OrderSummary,
  ReturnableItem,
  ReturnItemRequest,
  ReturnReason,
  ReturnReceipt,
  ReturnRequest,
} from './order-lookup.ts';
import { isE164 } from './phone.ts';
import { createAdminGraphqlLink, type AdminGraphqlLink, type LinkOutcome, type ShopifyAuth } from './shopify-admin-link.ts';
import {
  mapCustomerByPhone,
  mapOrderByName,
  mapOrderDetail,
  mapRecentOrders,
  mapReturnableItems,
  mapReturnReasonDefinitions,
  mapReturnRequest,
  type Mapped,
  type ReturnReasonDefinition,
} from './shopify-mapper.ts';
import {
  CUSTOMER_BY_PHONE,
  ORDER_BY_NAME,
  ORDER_DETAIL,
  RECENT_ORDERS,
  RETURN_REASON_DEFINITIONS,
  RETURN_REQUEST,
  RETURNABLE_ITEMS,
  searchValue,
} from './shopify-queries.ts';
import { throttledWaitMs, waitForCapacityMs, type BucketSnapshot } from './throttle-budget.ts';

export type RequestPolicy = {
  /** Each HTTP attempt is aborted after this long. */
  attemptTimeoutMs: number;
  /** Total time one lookup may spend waiting for Shopify's bucket, so a phone turn never hangs. */
  throttleBudgetMs: number;
  /** Pause before the single quick retry after a 5xx or network failure. */
  retryDelayMs: number;
  /** Shortest pause after THROTTLED, whatever the bucket says. */
  minThrottleWaitMs: number;
  /** How long the shop's return reason definitions are reused. */
  reasonCacheTtlMs: number;
};

export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  attemptTimeoutMs: 2000,
  throttleBudgetMs: 1500,
  retryDelayMs: 150,
  minThrottleWaitMs: 50,
  reasonCacheTtlMs: 60 * 60_000,
};

export type ShopifyOrderLookupDeps = { link: AdminGraphqlLink; clock: Clock; log: Logger; policy?: Partial<RequestPolicy> };

/** Shopify's limit on `customerNote` (B3). */
const CUSTOMER_NOTE_MAX_CHARS = 300;
const RECENT_ORDERS_MAX = 10;

/** Reason definition handles to look for, best first; Shopify's standard handles are unconfirmed beyond the contract's examples. */
const REASON_HANDLES: Record<ReturnReason, { handles: string[]; legacy: string }> = {
  damaged_or_defective: { handles: ['damaged-or-defective', 'defective', 'damaged'], legacy: 'DEFECTIVE' },
  wrong_item: { handles: ['wrong-item', 'received-wrong-item'], legacy: 'WRONG_ITEM' },
  not_as_described: { handles: ['not-as-described', 'item-not-as-described'], legacy: 'NOT_AS_DESCRIBED' },
  size_too_small: { handles: ['size-too-small', 'too-small', 'too-tight'], legacy: 'SIZE_TOO_SMALL' },
  size_too_large: { handles: ['size-too-large', 'too-large', 'too-loose'], legacy: 'SIZE_TOO_LARGE' },
  unwanted: { handles: ['unwanted', 'changed-mind', 'customer-changed-their-mind', 'no-longer-needed'], legacy: 'UNWANTED' },
  style: { handles: ['style'], legacy: 'STYLE' },
  color: { handles: ['color', 'colour'], legacy: 'COLOR' },
  arrived_late: { handles: ['arrived-late'], legacy: 'OTHER' },
  other: { handles: ['other'], legacy: 'OTHER' },
};

function gidPattern(type: string): RegExp {
  return new RegExp(`^gid://shopify/${type}/\\d+$`);
}

function notFound(message: string): Result<never, CommerceError> {
  return err({ code: 'not_found', message });
}

type Operation<T> = { name: string; document: string; variables: Record<string, unknown>; map: (data: unknown) => Mapped<T>; isIdempotent: boolean };

export class ShopifyOrderLookup implements OrderLookup {
  #link: AdminGraphqlLink;
  #clock: Clock;
  #log: Logger;
  #policy: RequestPolicy;
  #bucket: BucketSnapshot | undefined;
  #lastCost = new Map<string, number>();
  #reasons: { definitions: ReturnReasonDefinition[]; fetchedAtMs: number } | undefined;

  constructor(deps: ShopifyOrderLookupDeps) {
    this.#link = deps.link;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#policy = { ...DEFAULT_REQUEST_POLICY, ...deps.policy };
  }

  async findCustomerByPhone(e164: string): CommerceResult<Customer> {
    if (!isE164(e164)) return notFound('not an E.164 phone number');
    const found = await this.#run({ name: 'CustomerByPhone', document: CUSTOMER_BY_PHONE, variables: { phone: e164 }, map: mapCustomerByPhone, isIdempotent: true });
    if (!found.ok) return found;
    return found.value ? ok(found.value) : notFound('no customer has this phone number');
  }

  async recentOrders(customerId: string, limit: number): CommerceResult<OrderSummary[]> {
    if (!gidPattern('Customer').test(customerId)) return notFound('not a customer id');
    const first = Math.min(RECENT_ORDERS_MAX, Math.max(1, Math.floor(limit)));
    const found = await this.#run({ name: 'RecentOrders', document: RECENT_ORDERS, variables: { customerId, first }, map: mapRecentOrders, isIdempotent: true });
    if (!found.ok) return found;
    return found.value ? ok(found.value) : notFound('no such customer');
  }

  async findOrderByNumber(orderNumber: string): CommerceResult<Order> {
    const name = parseOrderNumber(orderNumber);
    if (!name) return notFound('not an order number');
    const found = await this.#run({
      name: 'OrderByName',
      document: ORDER_BY_NAME,
      variables: { query: `name:${searchValue(name)}` },
      map: (data) => mapOrderByName(data, name),
      isIdempotent: true,
    });
    if (!found.ok) return found;
    return found.value ? ok(found.value) : notFound(`no order named ${name}`);
  }

  async getOrder(orderId: string): CommerceResult<Order> {
    if (!gidPattern('Order').test(orderId)) return notFound('not an order id');
    const found = await this.#run({ name: 'OrderDetail', document: ORDER_DETAIL, variables: { id: orderId }, map: mapOrderDetail, isIdempotent: true });
    if (!found.ok) return found;
    return found.value ? ok(found.value) : notFound('no such order');
  }

  async returnableItems(orderId: string): CommerceResult<ReturnableItem[]> {
    if (!gidPattern('Order').test(orderId)) return notFound('not an order id');
    return this.#run({ name: 'ReturnableItems', document: RETURNABLE_ITEMS, variables: { orderId }, map: mapReturnableItems, isIdempotent: true });
  }

  async requestReturn(request: ReturnRequest): CommerceResult<ReturnReceipt> {
    if (!gidPattern('Order').test(request.orderId)) return notFound('not an order id');
    if (request.items.some((item) => !gidPattern('FulfillmentLineItem').test(item.fulfillmentLineItemId))) return notFound('not a fulfillment line item id');
    const reasons = await this.#reasonDefinitions();
    if (!reasons.ok) return reasons;
    const note = request.note?.slice(0, CUSTOMER_NOTE_MAX_CHARS);
    const returnLineItems = request.items.map((item) => ({
      fulfillmentLineItemId: item.fulfillmentLineItemId,
      quantity: item.quantity,
      ...this.#reasonFields(item, reasons.value),
      ...(note ? { customerNote: note } : {}),
    }));
    // A mutation is not repeated after a 5xx or a timeout: it may have been applied (only THROTTLED proves it was not).
    const created = await this.#run({
      name: 'ReturnRequest',
      document: RETURN_REQUEST,
      variables: { input: { orderId: request.orderId, returnLineItems } },
      map: mapReturnRequest,
      isIdempotent: false,
    });
    if (!created.ok) return created;
    if (created.value.kind === 'refused') {
      const { userErrors } = created.value;
      this.#log.info({ codes: userErrors.map((userError) => userError.code) }, 'shopify.return.refused');
      return err({ code: 'user_error', message: userErrors.map((userError) => userError.message).join(' '), userErrors });
    }
    return ok(created.value.receipt);
  }

  // 2026-10 takes `returnReasonDefinitionId`; the deprecated enum stays as the fallback when the shop has no match (B3).
  #reasonFields(item: ReturnItemRequest, definitions: ReturnReasonDefinition[]): Record<string, string> {
    const wanted = REASON_HANDLES[item.reason];
    const definition = wanted.handles.map((handle) => definitions.find((candidate) => candidate.handle === handle)).find((candidate) => candidate !== undefined);
    return definition ? { returnReasonDefinitionId: definition.id } : { returnReason: wanted.legacy };
  }

  async #reasonDefinitions(): Promise<Result<ReturnReasonDefinition[], CommerceError>> {
    const nowMs = this.#clock.monotonicMs();
    if (this.#reasons && nowMs - this.#reasons.fetchedAtMs < this.#policy.reasonCacheTtlMs) return ok(this.#reasons.definitions);
    const fetched = await this.#run({ name: 'ReturnReasonDefinitions', document: RETURN_REASON_DEFINITIONS, variables: {}, map: mapReturnReasonDefinitions, isIdempotent: true });
    if (fetched.ok) this.#reasons = { definitions: fetched.value, fetchedAtMs: nowMs };
    return fetched;
  }

  #sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.#clock.setTimeout(resolve, delayMs));
  }

  #remember(outcome: LinkOutcome, name: string): void {
    const cost = outcome.kind === 'data' || outcome.kind === 'throttled' ? outcome.cost : null;
    if (!cost) return;
    this.#bucket = { ...cost.throttleStatus, atMs: this.#clock.monotonicMs() };
    this.#lastCost.set(name, cost.requestedQueryCost);
  }

  async #run<T>(operation: Operation<T>): Promise<Result<T, CommerceError>> {
    let throttleWaitedMs = 0;
    let hasRetried = false;
    // Wait up front when the last known bucket cannot cover what this operation cost last time (B4).
    const knownCost = this.#lastCost.get(operation.name);
    if (this.#bucket && knownCost !== undefined) {
      const waitMs = waitForCapacityMs(this.#bucket, knownCost, this.#clock.monotonicMs());
      if (waitMs > this.#policy.throttleBudgetMs) return this.#fail(operation, { code: 'throttled', message: 'Shopify rate limit: bucket too low' });
      if (waitMs > 0) {
        await this.#sleep(waitMs);
        throttleWaitedMs += waitMs;
      }
    }
    for (;;) {
      const outcome = await this.#link.request(operation.name, operation.document, operation.variables, this.#policy.attemptTimeoutMs);
      this.#remember(outcome, operation.name);
      switch (outcome.kind) {
        case 'data': {
          const mapped = operation.map(outcome.data);
          if (mapped.ok) return ok(mapped.value);
          this.#log.error({ operation: operation.name, problem: mapped.error.message }, 'shopify.answer.malformed');
          return err({ code: 'unavailable', message: 'Shopify answered in an unexpected shape', cause: mapped.error });
        }
        case 'throttled': {
          const waitMs = this.#throttleWait(outcome, operation.name);
          if (throttleWaitedMs + waitMs > this.#policy.throttleBudgetMs) return this.#fail(operation, { code: 'throttled', message: 'Shopify rate limit' });
          this.#log.info({ operation: operation.name, waitMs }, 'shopify.request.throttled');
          await this.#sleep(waitMs);
          throttleWaitedMs += waitMs;
          continue;
        }
        case 'unavailable':
        case 'timeout': {
          if (operation.isIdempotent && !hasRetried) {
            hasRetried = true;
            if (outcome.kind === 'unavailable') await this.#sleep(this.#policy.retryDelayMs);
            continue;
          }
          const code = outcome.kind === 'timeout' ? 'timeout' : 'unavailable';
          return this.#fail(operation, { code, message: outcome.message, ...(outcome.kind === 'unavailable' ? { cause: outcome.cause } : {}) });
        }
        case 'unauthorized':
          return this.#fail(operation, { code: 'unauthorized', message: outcome.message });
        case 'rejected':
          // Shopify refused the document itself: a bug on our side, never the caller's fault.
          this.#log.error({ operation: operation.name, codes: outcome.codes, problem: outcome.message }, 'shopify.query.rejected');
          return err({ code: 'unavailable', message: outcome.message, cause: outcome.cause });
        default:
          return assertNever(outcome, 'link outcome');
      }
    }
  }

  #throttleWait(outcome: Extract<LinkOutcome, { kind: 'throttled' }>, name: string): number {
    if (outcome.retryAfterMs !== null) return Math.max(this.#policy.minThrottleWaitMs, outcome.retryAfterMs);
    const requested = outcome.cost?.requestedQueryCost ?? this.#lastCost.get(name);
    if (!this.#bucket || requested === undefined) return 1000;
    return throttledWaitMs(requested, this.#bucket, this.#policy.minThrottleWaitMs);
  }

  #fail<T>(operation: Operation<T>, error: CommerceError): Result<T, CommerceError> {
    this.#log.warn({ operation: operation.name, code: error.code, problem: error.message }, 'shopify.request.failed');
    return err(error);
  }
}

export type ShopifySettings = {
  shop: string;
  apiVersion: string;
  adminToken?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  adminApiUrl?: string | undefined;
  hostName?: string | undefined;
};

/** Builds the adapter from config (app.ts); a shop without credentials is a start-up error. */
export function createShopifyOrderLookup(settings: ShopifySettings, deps: { clock: Clock; log: Logger; policy?: Partial<RequestPolicy> }): ShopifyOrderLookup {
  let auth: ShopifyAuth;
  if (settings.clientId && settings.clientSecret) auth = { kind: 'client_credentials', clientId: settings.clientId, clientSecret: settings.clientSecret };
  else if (settings.adminToken) auth = { kind: 'admin_token', adminToken: settings.adminToken };
  else throw new Error('Shopify needs SHOPIFY_ADMIN_TOKEN or SHOPIFY_CLIENT_ID with SHOPIFY_CLIENT_SECRET');
  const link = createAdminGraphqlLink({
    shop: settings.shop,
    apiVersion: settings.apiVersion,
    auth,
    adminApiUrl: settings.adminApiUrl,
    hostName: settings.hostName,
    clock: deps.clock,
    log: deps.log,
  });
  return new ShopifyOrderLookup({ link, clock: deps.clock, log: deps.log, policy: deps.policy });
}
