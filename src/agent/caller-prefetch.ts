// Looks up the caller's customer record and recent orders by caller ID while the call rings, so the first "where is
// my order" needs no lookup wait (issue 3). Holds one entry per call, dropped when it expires; never decides access.
// Best effort: under a burst of calls it stands aside, and the tools look up what they need themselves.
import type { CommerceError, Customer, Order, OrderLookup, OrderSummary } from '../commerce/order-lookup.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { maskPhone } from '../shared/redact.ts';
import { err, ok, type Result } from '../shared/result.ts';

export type CallerOrder = { summary: OrderSummary; detail: Order | null };

/** The customer whose phone is the caller ID (null when the shop knows none) and their newest orders. */
export type CallerOrders = { customer: Customer | null; orders: readonly CallerOrder[] };

export type CallerOrdersResult = Result<CallerOrders, CommerceError>;

export type CallerPrefetchSettings = {
  /** An entry is reused for this long after its lookup started. */
  ttlMs: number;
  /** How many of the newest orders are listed. */
  recentOrders: number;
  /** How many of those are fetched in full (shipments, items); each costs about 160 points of Shopify's bucket (B4). */
  detailedOrders: number;
  /** Lookups under way at once; a call that rings beyond this is not prefetched. */
  maxInFlight: number;
};

export const DEFAULT_PREFETCH_SETTINGS: CallerPrefetchSettings = { ttlMs: 15 * 60_000, recentOrders: 5, detailedOrders: 2, maxInFlight: 8 };

type Entry = { callerNumber: string; startedAtMs: number; result: Promise<CallerOrdersResult> };

export class CallerPrefetch {
  readonly #orders: OrderLookup;
  readonly #prefetchOrders: OrderLookup;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #settings: CallerPrefetchSettings;
  readonly #entries = new Map<string, Entry>();
  #inFlight = 0;

  /**
   * `orders` serves the tools; `prefetchOrders` (default `orders`) serves the ringing hook, and may be one that never
   * waits for the shop's rate limit, so prefetching yields to live lookups.
   */
  constructor(deps: { orders: OrderLookup; prefetchOrders?: OrderLookup; clock: Clock; log: Logger; settings?: Partial<CallerPrefetchSettings> }) {
    this.#orders = deps.orders;
    this.#prefetchOrders = deps.prefetchOrders ?? deps.orders;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#settings = { ...DEFAULT_PREFETCH_SETTINGS, ...deps.settings };
  }

  /** Entries held now, expired ones included until the next access drops them. */
  get size(): number {
    return this.#entries.size;
  }

  /** The ringing hook: starts the lookup and returns at once. A withheld caller ID has nothing to look up. */
  start(call: { callId: string; callerNumber: string | null }): void {
    this.#dropExpired();
    if (call.callerNumber === null || this.#entries.has(call.callId)) return;
    if (this.#inFlight >= this.#settings.maxInFlight) {
      this.#log.info({ callId: call.callId, inFlight: this.#inFlight }, 'prefetch.caller_orders.skipped');
      return;
    }
    this.#begin(call.callId, call.callerNumber, this.#prefetchOrders);
  }

  /** The caller's orders: the prefetched answer while fresh, else a new lookup that the call's later tools reuse. */
  async ordersFor(callId: string, callerNumber: string): Promise<CallerOrdersResult> {
    const entry = this.#fresh(callId, callerNumber);
    if (entry) {
      const result = await entry.result;
      if (result.ok) return result;
    }
    return this.#begin(callId, callerNumber, this.#orders).result;
  }

  /** What was prefetched for this call, awaited if still under way; null when nothing was or it failed. Never looks anything up. */
  async prefetched(callId: string, callerNumber: string | null): Promise<CallerOrders | null> {
    if (callerNumber === null) return null;
    const entry = this.#fresh(callId, callerNumber);
    if (!entry) return null;
    const result = await entry.result;
    return result.ok ? result.value : null;
  }

  #begin(callId: string, callerNumber: string, orders: OrderLookup): Entry {
    const entry: Entry = { callerNumber, startedAtMs: this.#clock.monotonicMs(), result: this.#load(orders, callerNumber) };
    this.#entries.set(callId, entry);
    this.#inFlight++;
    void entry.result.then((result) => {
      this.#inFlight--;
      // A failed lookup is not kept: the next tool asks the shop again.
      if (!result.ok && this.#entries.get(callId) === entry) this.#entries.delete(callId);
      this.#log.info({ callId, caller: maskPhone(callerNumber), ok: result.ok, orders: result.ok ? result.value.orders.length : 0 }, 'prefetch.caller_orders.finished');
    });
    return entry;
  }

  #fresh(callId: string, callerNumber: string): Entry | null {
    this.#dropExpired();
    const entry = this.#entries.get(callId);
    return entry && entry.callerNumber === callerNumber ? entry : null;
  }

  #dropExpired(): void {
    const nowMs = this.#clock.monotonicMs();
    for (const [callId, entry] of this.#entries) {
      if (nowMs - entry.startedAtMs >= this.#settings.ttlMs) this.#entries.delete(callId);
    }
  }

  async #load(orders: OrderLookup, callerNumber: string): Promise<CallerOrdersResult> {
    try {
      return await loadCallerOrders(orders, callerNumber, this.#settings);
    } catch (error) {
      return err({ code: 'unavailable', message: 'caller lookup failed unexpectedly', cause: error });
    }
  }
}

/** Customer by caller ID, then the newest orders, then the newest few in full (in parallel; a missing one stays null). */
export async function loadCallerOrders(
  orders: OrderLookup,
  callerNumber: string,
  settings: Pick<CallerPrefetchSettings, 'recentOrders' | 'detailedOrders'>,
): Promise<CallerOrdersResult> {
  const customer = await orders.findCustomerByPhone(callerNumber);
  if (!customer.ok) return customer.error.code === 'not_found' ? ok({ customer: null, orders: [] }) : customer;
  const recent = await orders.recentOrders(customer.value.id, settings.recentOrders);
  if (!recent.ok) return recent.error.code === 'not_found' ? ok({ customer: customer.value, orders: [] }) : recent;
  const details = await Promise.all(recent.value.slice(0, settings.detailedOrders).map((summary) => orders.getOrder(summary.id)));
  return ok({
    customer: customer.value,
    orders: recent.value.map((summary, index) => {
      const detail = details[index];
      return { summary, detail: detail?.ok ? detail.value : null };
    }),
  });
}
