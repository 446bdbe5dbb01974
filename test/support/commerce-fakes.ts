// Scripted fakes of the agent's commerce and knowledge ports, and a builder of domain orders. The fakes answer in
// the order the test scripted, record every call, and fail on an unexpected one or on leftovers (assertComplete).
import type { CommerceResult, Customer, Order, OrderLookup, OrderSummary, ReturnableItem, ReturnReceipt, ReturnRequest, Shipment } from '../../src/commerce/order-lookup.ts';
import type { KnowledgeHit, KnowledgeSearch } from '../../src/knowledge/kb-search.ts';
import type { SmsSender } from '../../src/agent/ports.ts';
import type { HandoffPolicy } from '../../src/agent/tools/hand-off.ts';
import { ESCALATION_REASON_CODES } from '../../src/agent/policies/escalation-reasons.ts';
import { ok, type Result } from '../../src/shared/result.ts';

/** A Thursday afternoon in New York; the ManualClock's default start. */
export const NOW_ISO = '2026-11-19T15:00:00Z';
const DAY_MS = 86_400_000;

/** `days` before (negative: after) NOW, at `hourUtc`. */
export function daysAgo(days: number, hourUtc = 15): string {
  const date = new Date(Date.parse(NOW_ISO) - days * DAY_MS);
  date.setUTCHours(hourUtc, 0, 0, 0);
  return date.toISOString();
}

export const JANE: Customer = { id: 'gid://shopify/Customer/101', firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com', phone: '+14155550100' };

/** Jane's order #1001: two mugs and a tea sampler in one UPS parcel, in transit, due Saturday. */
export function buildOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: 'gid://shopify/Order/5001',
    name: '#1001',
    createdAt: daysAgo(4, 10),
    processedAt: daysAgo(4, 10),
    customer: JANE,
    email: 'jane.doe@example.com',
    phone: '+14155550100',
    shippingAddress: { zip: '94107', countryCode: 'US', city: 'San Francisco' },
    financialStatus: 'paid',
    fulfillmentStatus: 'fulfilled',
    isOnHold: false,
    holdReason: null,
    cancelledAt: null,
    cancelReason: null,
    lineItems: [
      { id: 'gid://shopify/LineItem/50010', title: 'Ceramic Mug', variantTitle: 'Sage', quantity: 2, currentQuantity: 2, productType: 'Kitchen', tags: [], isFinalSale: false },
      { id: 'gid://shopify/LineItem/50011', title: 'Tea Sampler', variantTitle: null, quantity: 1, currentQuantity: 1, productType: 'Food', tags: ['consumable'], isFinalSale: false },
    ],
    fulfillments: [buildShipment()],
    returns: [],
    returnStatus: 'no_return',
    tags: [],
    ...overrides,
  };
}

export function buildShipment(overrides: Partial<Shipment> = {}): Shipment {
  return {
    id: 'gid://shopify/Fulfillment/50010',
    status: 'in_transit',
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456784',
    trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    shippedAt: daysAgo(3, 9),
    estimatedDeliveryAt: daysAgo(-2, 20),
    inTransitAt: daysAgo(3, 18),
    deliveredAt: null,
    lineItems: [
      { fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500100', lineItemId: 'gid://shopify/LineItem/50010', quantity: 2 },
      { fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500101', lineItemId: 'gid://shopify/LineItem/50011', quantity: 1 },
    ],
    ...overrides,
  };
}

/** #1001 delivered five days ago: every item returnable. */
export function buildDeliveredOrder(): Order {
  return buildOrder({ fulfillments: [buildShipment({ status: 'delivered', deliveredAt: daysAgo(5), estimatedDeliveryAt: daysAgo(5, 20) })] });
}

export function returnableOf(order: Order): ReturnableItem[] {
  return order.fulfillments.flatMap((shipment) =>
    shipment.lineItems.map((line) => ({
      fulfillmentId: shipment.id,
      fulfillmentLineItemId: line.fulfillmentLineItemId,
      lineItemId: line.lineItemId,
      title: order.lineItems.find((item) => item.id === line.lineItemId)?.title ?? 'Item',
      returnableQuantity: line.quantity,
      deliveredAt: shipment.deliveredAt,
    })),
  );
}

export function summaryOf(order: Order): OrderSummary {
  return { id: order.id, name: order.name, createdAt: order.createdAt, financialStatus: order.financialStatus, fulfillmentStatus: order.fulfillmentStatus, cancelledAt: order.cancelledAt };
}

type Method = keyof OrderLookup;
type Answer = Awaited<CommerceResult<unknown>> | Promise<Awaited<CommerceResult<unknown>>>;
export type LookupCall = { method: Method; args: unknown[] };

export class ScriptedOrderLookup implements OrderLookup {
  readonly calls: LookupCall[] = [];
  readonly #expected: Array<{ method: Method; answer: Answer }> = [];
  readonly #problems: string[] = [];

  /** The next call must be `method`; it gets `answer` (a pending promise models a shop that does not answer). */
  expect(method: 'findCustomerByPhone', answer: Awaited<CommerceResult<Customer>> | Promise<never>): this;
  expect(method: 'recentOrders', answer: Awaited<CommerceResult<OrderSummary[]>> | Promise<never>): this;
  expect(method: 'findOrderByNumber' | 'getOrder', answer: Awaited<CommerceResult<Order>> | Promise<never>): this;
  expect(method: 'returnableItems', answer: Awaited<CommerceResult<ReturnableItem[]>> | Promise<never>): this;
  expect(method: 'requestReturn', answer: Awaited<CommerceResult<ReturnReceipt>> | Promise<never>): this;
  expect(method: Method, answer: Answer): this {
    this.#expected.push({ method, answer });
    return this;
  }

  findCustomerByPhone(e164: string): CommerceResult<Customer> {
    return this.#answer('findCustomerByPhone', [e164]);
  }

  recentOrders(customerId: string, limit: number): CommerceResult<OrderSummary[]> {
    return this.#answer('recentOrders', [customerId, limit]);
  }

  findOrderByNumber(orderNumber: string): CommerceResult<Order> {
    return this.#answer('findOrderByNumber', [orderNumber]);
  }

  getOrder(orderId: string): CommerceResult<Order> {
    return this.#answer('getOrder', [orderId]);
  }

  returnableItems(orderId: string): CommerceResult<ReturnableItem[]> {
    return this.#answer('returnableItems', [orderId]);
  }

  requestReturn(request: ReturnRequest): CommerceResult<ReturnReceipt> {
    return this.#answer('requestReturn', [request]);
  }

  methods(): Method[] {
    return this.calls.map((call) => call.method);
  }

  assertComplete(): void {
    const leftovers = this.#expected.map((entry) => `expected ${entry.method} was never called`);
    const problems = [...this.#problems, ...leftovers];
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }

  #answer<T>(method: Method, args: unknown[]): CommerceResult<T> {
    this.calls.push({ method, args });
    const next = this.#expected.shift();
    if (!next || next.method !== method) {
      this.#problems.push(`unexpected ${method}(${JSON.stringify(args)})${next ? `; expected ${next.method}` : ''}`);
      throw new Error(`unexpected ${method}`);
    }
    // The overloads of expect() tie each answer to its method's result type.
    return Promise.resolve(next.answer) as CommerceResult<T>;
  }
}

export class ScriptedKnowledge implements KnowledgeSearch {
  readonly queries: string[] = [];
  readonly #hits: (query: string) => KnowledgeHit[];

  constructor(hits: (query: string) => KnowledgeHit[]) {
    this.#hits = hits;
  }

  searchKnowledge(query: string): KnowledgeHit[] {
    this.queries.push(query);
    return this.#hits(query);
  }
}

export const RETURN_STEPS_HIT: KnowledgeHit = {
  source: 'returns.md#how-to-start-a-return',
  title: 'How to start a return',
  text: 'Once the return is approved, we email and text you a prepaid return label. Drop the parcel at any UPS location.',
  score: 70,
};

export class RecordingSms implements SmsSender {
  readonly sent: Array<{ to: string; body: string }> = [];
  #answer: Result<{ sid: string }, { code: string }> = ok({ sid: 'SM00000000000000000000000000000001' });

  failWith(code: string): void {
    this.#answer = { ok: false, error: { code } };
  }

  async send(message: { to: string; body: string }): Promise<Result<{ sid: string }, { code: string }>> {
    this.sent.push(message);
    return this.#answer;
  }
}

/** Nobody can take a transfer: every escalation is a promised follow-up. */
export const FOLLOW_UP_HANDOFF: HandoffPolicy = {
  reasons: ESCALATION_REASON_CODES as [string, ...string[]],
  canTransferNow: () => false,
  followUpPhrase: () => 'tomorrow after 9 AM',
};
