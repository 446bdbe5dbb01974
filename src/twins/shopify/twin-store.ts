// The twin's in-memory shop: lookups the resolvers need, Shopify-style search, returnable quantities and returnRequest.
// Knows nothing of GraphQL or HTTP; user-error texts marked [I] in README.md are our guesses, not Shopify's words.
import { assertNever } from '../../shared/assert-never.ts';
import { matchesSearch, parseSearchQuery, type SearchTerm } from './search-query.ts';
import {
  parseGid,
  type LegacyReturnReason,
  type TwinCustomer,
  type TwinFulfillment,
  type TwinFulfillmentLine,
  type TwinOrder,
  type TwinProduct,
  type TwinReasonDefinition,
  type TwinReturn,
  type TwinStoreData,
} from './store-data.ts';

export type ReturnableLine = { line: TwinFulfillmentLine; returnableQuantity: number };
export type ReturnableFulfillmentRecord = { order: TwinOrder; fulfillment: TwinFulfillment; lines: ReturnableLine[] };

export type ReturnUserError = { field: string[] | null; message: string; code: string | null };

export type ReturnRequestLineInput = {
  fulfillmentLineItemId: string;
  quantity: number;
  returnReasonDefinitionId: string | null;
  returnReason: LegacyReturnReason | null;
  customerNote: string | null;
};

export type ReturnRequestInput = { orderId: string; returnLineItems: ReturnRequestLineInput[] };

export type ReturnRequestOutcome = { ok: true; created: TwinReturn } | { ok: false; userErrors: ReturnUserError[] };

export type OrderSortKey = 'PROCESSED_AT' | 'CREATED_AT' | 'ID' | 'ORDER_NUMBER' | 'UPDATED_AT';

const CUSTOMER_NOTE_MAX_CHARS = 300;
const ARRAY_INPUT_MAX_ITEMS = 250;
const FIRST_RETURN_ID = 7001;
const FIRST_RETURN_LINE_ID = 8001;

function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

function compareText(actual: string, term: SearchTerm): boolean {
  switch (term.comparator) {
    case '=':
      return actual.toLowerCase() === term.value.toLowerCase();
    case '>':
      return actual > term.value;
    case '>=':
      return actual >= term.value;
    case '<':
      return actual < term.value;
    case '<=':
      return actual <= term.value;
    default:
      return assertNever(term.comparator, 'search comparator');
  }
}

export class TwinStore {
  readonly shopName: string;
  readonly shopDomain: string;
  #customers: TwinCustomer[];
  #products: Map<number, TwinProduct>;
  #orders: TwinOrder[];
  #returns: TwinReturn[];
  #reasonDefinitions: TwinReasonDefinition[];
  #nextReturnId: number;
  #nextReturnLineId: number;

  constructor(data: TwinStoreData) {
    this.shopName = data.shopName;
    this.shopDomain = data.shopDomain;
    this.#customers = [...data.customers];
    this.#products = new Map(data.products.map((product) => [product.id, product]));
    this.#orders = [...data.orders];
    this.#returns = [...data.returns];
    this.#reasonDefinitions = [...data.reasonDefinitions];
    this.#nextReturnId = Math.max(FIRST_RETURN_ID, ...this.#returns.map((record) => record.id + 1));
    this.#nextReturnLineId = Math.max(FIRST_RETURN_LINE_ID, ...this.#returns.flatMap((record) => record.lines.map((line) => line.id + 1)));
  }

  customer(id: number): TwinCustomer | undefined {
    return this.#customers.find((customer) => customer.id === id);
  }

  customerByPhone(phone: string): TwinCustomer | undefined {
    const digits = digitsOf(phone);
    return this.#customers.find((customer) => customer.phone !== null && digitsOf(customer.phone) === digits && digits.length > 0);
  }

  customerByEmail(email: string): TwinCustomer | undefined {
    return this.#customers.find((customer) => customer.email?.toLowerCase() === email.toLowerCase());
  }

  searchCustomers(query: string | undefined): TwinCustomer[] {
    const parsed = parseSearchQuery(query ?? '');
    return this.#customers.filter((customer) => matchesSearch(parsed, (term) => this.#customerMatches(customer, term)));
  }

  #customerMatches(customer: TwinCustomer, term: SearchTerm): boolean {
    switch (term.field) {
      case 'phone':
        // `phone:*` asks for customers that have a phone at all (the schema's own example).
        if (term.value === '*') return customer.phone !== null;
        return customer.phone !== null && digitsOf(customer.phone) === digitsOf(term.value) && digitsOf(term.value).length > 0;
      case 'email':
        return customer.email !== null && compareText(customer.email, term);
      case 'first_name':
        return compareText(customer.firstName, term);
      case 'last_name':
        return customer.lastName !== null && compareText(customer.lastName, term);
      case 'tag':
        return customer.tags.some((tag) => tag.toLowerCase() === term.value.toLowerCase());
      case 'id':
        return String(customer.id) === term.value;
      case null: {
        const needle = term.value.toLowerCase();
        return [customer.firstName, customer.lastName ?? '', customer.email ?? ''].some((text) => text.toLowerCase().includes(needle));
      }
      default:
        // Shopify ignores a filter it does not know rather than failing the query.
        return true;
    }
  }

  order(id: number): TwinOrder | undefined {
    return this.#orders.find((order) => order.id === id);
  }

  ordersOfCustomer(customerId: number): TwinOrder[] {
    return this.#orders.filter((order) => order.customerId === customerId);
  }

  searchOrders(query: string | undefined, candidates: readonly TwinOrder[] = this.#orders): TwinOrder[] {
    const parsed = parseSearchQuery(query ?? '');
    return candidates.filter((order) => matchesSearch(parsed, (term) => this.#orderMatches(order, term)));
  }

  #orderMatches(order: TwinOrder, term: SearchTerm): boolean {
    switch (term.field) {
      case 'name': {
        // Both `name:#1001` and `name:1001` find `#1001`; unconfirmed on a live shop (contract open question 5).
        const wanted = term.value.toLowerCase();
        const actual = order.name.toLowerCase();
        return actual === wanted || actual === `#${wanted}` || actual.replace(/^#/, '') === wanted;
      }
      case 'email':
        return order.email !== null && compareText(order.email, term);
      case 'customer_id':
        return order.customerId !== null && String(order.customerId) === term.value;
      case 'confirmation_number':
        return compareText(order.confirmationNumber, term);
      case 'financial_status':
        return order.financialStatus.toLowerCase() === term.value.toLowerCase();
      case 'fulfillment_status':
        return this.#fulfillmentStatusMatches(order, term.value.toLowerCase());
      case 'status':
        return this.#statusMatches(order, term.value.toLowerCase());
      case 'tag':
        return order.tags.some((tag) => tag.toLowerCase() === term.value.toLowerCase());
      case 'created_at':
        return compareText(order.createdAt.slice(0, term.value.length), term);
      case 'processed_at':
        return compareText(order.processedAt.slice(0, term.value.length), term);
      case 'id':
        return String(order.id) === term.value;
      case null: {
        const needle = term.value.toLowerCase();
        return [order.name, order.email ?? '', order.confirmationNumber].some((text) => text.toLowerCase().includes(needle));
      }
      default:
        return true;
    }
  }

  #fulfillmentStatusMatches(order: TwinOrder, value: string): boolean {
    const status = order.fulfillmentStatus;
    if (value === 'shipped' || value === 'fulfilled') return status === 'FULFILLED';
    if (value === 'partial') return status === 'PARTIALLY_FULFILLED';
    if (value === 'unshipped' || value === 'unfulfilled') return status === 'UNFULFILLED';
    if (value === 'on_hold') return status === 'ON_HOLD';
    return status.toLowerCase() === value;
  }

  #statusMatches(order: TwinOrder, value: string): boolean {
    if (value === 'cancelled') return order.cancelledAt !== null;
    if (value === 'closed') return order.closed;
    if (value === 'open') return !order.closed && order.cancelledAt === null;
    return true;
  }

  sortOrders(orders: readonly TwinOrder[], sortKey: OrderSortKey, isReversed: boolean): TwinOrder[] {
    const keyOf = (order: TwinOrder): string | number => {
      switch (sortKey) {
        case 'PROCESSED_AT':
        case 'UPDATED_AT':
          return order.processedAt;
        case 'CREATED_AT':
          return order.createdAt;
        case 'ORDER_NUMBER':
          return Number(order.name.replace(/\D/g, '')) || 0;
        case 'ID':
          return order.id;
        default:
          return assertNever(sortKey, 'order sort key');
      }
    };
    const sorted = [...orders].sort((a, b) => {
      const left = keyOf(a);
      const right = keyOf(b);
      return left < right ? -1 : left > right ? 1 : a.id - b.id;
    });
    return isReversed ? sorted.reverse() : sorted;
  }

  product(id: number): TwinProduct | undefined {
    return this.#products.get(id);
  }

  returnsOf(orderId: number): TwinReturn[] {
    return this.#returns.filter((record) => record.orderId === orderId);
  }

  returnById(id: number): TwinReturn | undefined {
    return this.#returns.find((record) => record.id === id);
  }

  allReturns(): TwinReturn[] {
    return [...this.#returns];
  }

  reasonDefinitions(): TwinReasonDefinition[] {
    return [...this.#reasonDefinitions];
  }

  reasonDefinition(id: number): TwinReasonDefinition | undefined {
    return this.#reasonDefinitions.find((definition) => definition.id === id);
  }

  /** The order, fulfillment and line that own a fulfillment line item. */
  fulfillmentLine(id: number): { order: TwinOrder; fulfillment: TwinFulfillment; line: TwinFulfillmentLine } | undefined {
    for (const order of this.#orders) {
      for (const fulfillment of order.fulfillments) {
        const line = fulfillment.lines.find((candidate) => candidate.id === id);
        if (line) return { order, fulfillment, line };
      }
    }
    return undefined;
  }

  fulfillmentById(id: number): { order: TwinOrder; fulfillment: TwinFulfillment } | undefined {
    for (const order of this.#orders) {
      const fulfillment = order.fulfillments.find((candidate) => candidate.id === id);
      if (fulfillment) return { order, fulfillment };
    }
    return undefined;
  }

  /** Quantity still open to a return: shipped, minus what active returns hold, minus what was taken off the order. */
  returnableQuantity(order: TwinOrder, line: TwinFulfillmentLine): number {
    const claimed = this.returnsOf(order.id)
      .filter((record) => record.status !== 'DECLINED' && record.status !== 'CANCELED')
      .flatMap((record) => record.lines)
      .filter((returned) => returned.fulfillmentLineItemId === line.id)
      .reduce((sum, returned) => sum + returned.quantity, 0);
    const lineItem = order.lineItems.find((item) => item.id === line.lineItemId);
    const removed = lineItem ? lineItem.quantity - lineItem.currentQuantity : 0;
    return Math.max(0, line.quantity - claimed - removed);
  }

  /** "A returnable fulfillment is an order that has been delivered and is eligible to be returned" (B3). */
  returnableFulfillments(orderId: number): ReturnableFulfillmentRecord[] {
    const order = this.order(orderId);
    if (!order || order.cancelledAt !== null) return [];
    return order.fulfillments
      .filter((fulfillment) => fulfillment.status === 'SUCCESS' && fulfillment.deliveredAt !== null)
      .map((fulfillment) => ({
        order,
        fulfillment,
        lines: fulfillment.lines
          .map((line) => ({ line, returnableQuantity: this.returnableQuantity(order, line) }))
          .filter((entry) => entry.returnableQuantity > 0),
      }))
      .filter((record) => record.lines.length > 0);
  }

  requestReturn(input: ReturnRequestInput, createdAt: string): ReturnRequestOutcome {
    const orderId = parseGid(input.orderId, 'Order');
    const order = orderId === null ? undefined : this.order(orderId);
    if (!order) return { ok: false, userErrors: [{ field: ['input', 'orderId'], message: 'Order does not exist.', code: 'NOT_FOUND' }] };
    if (input.returnLineItems.length === 0) {
      return { ok: false, userErrors: [{ field: ['input', 'returnLineItems'], message: "Return line items can't be blank.", code: 'BLANK' }] };
    }
    if (input.returnLineItems.length > ARRAY_INPUT_MAX_ITEMS) {
      return {
        ok: false,
        userErrors: [{ field: ['input', 'returnLineItems'], message: 'Too many return line items (maximum is 250).', code: 'TOO_MANY_ARGUMENTS' }],
      };
    }
    const userErrors: ReturnUserError[] = [];
    const seen = new Set<number>();
    const accepted: { line: TwinFulfillmentLine; input: ReturnRequestLineInput; definitionId: number | null }[] = [];
    input.returnLineItems.forEach((lineInput, index) => {
      const at = (field: string): string[] => ['input', 'returnLineItems', String(index), field];
      const lineId = parseGid(lineInput.fulfillmentLineItemId, 'FulfillmentLineItem');
      const owner = lineId === null ? undefined : this.fulfillmentLine(lineId);
      if (!owner || owner.order.id !== order.id) {
        userErrors.push({ field: at('fulfillmentLineItemId'), message: 'Fulfillment line item does not exist.', code: 'NOT_FOUND' });
        return;
      }
      if (seen.has(owner.line.id)) {
        userErrors.push({ field: at('fulfillmentLineItemId'), message: 'Fulfillment line item is listed more than once.', code: 'INVALID' });
        return;
      }
      seen.add(owner.line.id);
      if (lineInput.quantity < 1) {
        userErrors.push({ field: at('quantity'), message: 'Quantity must be greater than 0.', code: 'GREATER_THAN' });
        return;
      }
      const isReturnable = owner.fulfillment.status === 'SUCCESS' && owner.fulfillment.deliveredAt !== null && order.cancelledAt === null;
      if (!isReturnable || lineInput.quantity > this.returnableQuantity(order, owner.line)) {
        userErrors.push({ field: at('quantity'), message: 'Quantity is greater than the returnable quantity.', code: 'INVALID' });
        return;
      }
      let definitionId: number | null = null;
      if (lineInput.returnReasonDefinitionId !== null) {
        definitionId = parseGid(lineInput.returnReasonDefinitionId, 'ReturnReasonDefinition');
        const definition = definitionId === null ? undefined : this.reasonDefinition(definitionId);
        if (!definition || definition.deleted) {
          userErrors.push({ field: at('returnReasonDefinitionId'), message: 'Return reason definition does not exist.', code: 'NOT_FOUND' });
          return;
        }
      } else if (lineInput.returnReason === null) {
        // Neither reason field is non-null in 2026-10; the server is expected to demand one (B3, inferred).
        userErrors.push({ field: at('returnReasonDefinitionId'), message: "Return reason definition can't be blank.", code: 'BLANK' });
        return;
      }
      if (lineInput.customerNote !== null && lineInput.customerNote.length > CUSTOMER_NOTE_MAX_CHARS) {
        userErrors.push({ field: at('customerNote'), message: 'Customer note is too long (maximum is 300 characters).', code: 'TOO_LONG' });
        return;
      }
      accepted.push({ line: owner.line, input: lineInput, definitionId });
    });
    if (userErrors.length > 0) return { ok: false, userErrors };
    const created: TwinReturn = {
      id: this.#nextReturnId++,
      name: `${order.name}-R${this.returnsOf(order.id).length + 1}`,
      orderId: order.id,
      status: 'REQUESTED',
      createdAt,
      lines: accepted.map(({ line, input: lineInput, definitionId }) => ({
        id: this.#nextReturnLineId++,
        fulfillmentLineItemId: line.id,
        quantity: lineInput.quantity,
        returnReasonDefinitionId: definitionId,
        returnReason: lineInput.returnReason ?? 'UNKNOWN',
        customerNote: lineInput.customerNote,
        returnReasonNote: '',
      })),
    };
    this.#returns.push(created);
    return { ok: true, created };
  }
}
