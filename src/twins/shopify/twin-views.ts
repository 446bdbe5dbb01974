// GraphQL-facing views of the twin's records: plain objects whose fields graphql-js's default resolver reads.
// Only the fields the contract's queries reach are filled; any other field resolves to null (validation still uses the full schema).
import { GraphQLError } from 'graphql';
import { paginate, type ConnectionArgs } from './connection.ts';
import {
  gid,
  type TwinAddress,
  type TwinCustomer,
  type TwinFulfillment,
  type TwinFulfillmentLine,
  type TwinLineItem,
  type TwinOrder,
  type TwinReasonDefinition,
  type TwinReturn,
  type TwinReturnLine,
} from './store-data.ts';
import type { OrderSortKey, TwinStore } from './twin-store.ts';

export type Args = Readonly<Record<string, unknown>>;
type View = Record<string, unknown>;

export function stringArg(args: Args, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}

export function pageArgs(args: Args): ConnectionArgs {
  const number = (name: string): number | undefined => (typeof args[name] === 'number' ? Number(args[name]) : undefined);
  return { first: number('first'), last: number('last'), after: stringArg(args, 'after'), before: stringArg(args, 'before'), reverse: args.reverse === true };
}

function listFirst<T>(items: readonly T[], args: Args): T[] {
  const first = args.first;
  return typeof first === 'number' ? items.slice(0, Math.max(0, first)) : [...items];
}

/** Shopify answers an ill-formed GID with a top-level error rather than null (shape inferred, README.md). */
export function invalidGlobalId(value: string): GraphQLError {
  return new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' } });
}

export function orderSortKey(value: unknown): OrderSortKey {
  return value === 'CREATED_AT' || value === 'ID' || value === 'ORDER_NUMBER' || value === 'UPDATED_AT' ? value : 'PROCESSED_AT';
}

export class TwinViews {
  #store: TwinStore;

  constructor(store: TwinStore) {
    this.#store = store;
  }

  customer(customer: TwinCustomer): View {
    const orders = (): TwinOrder[] => this.#store.ordersOfCustomer(customer.id);
    return {
      __typename: 'Customer',
      id: gid('Customer', customer.id),
      legacyResourceId: String(customer.id),
      firstName: customer.firstName,
      lastName: customer.lastName,
      displayName: [customer.firstName, customer.lastName].filter(Boolean).join(' '),
      email: customer.email,
      phone: customer.phone,
      tags: customer.tags,
      createdAt: customer.createdAt,
      updatedAt: customer.createdAt,
      state: 'ENABLED',
      verifiedEmail: customer.email !== null,
      defaultEmailAddress: customer.email === null ? null : { emailAddress: customer.email, validFormat: true, marketingState: 'NOT_SUBSCRIBED' },
      defaultPhoneNumber: customer.phone === null ? null : { phoneNumber: customer.phone },
      numberOfOrders: String(orders().length),
      lastOrder: () => {
        const last = this.#store.sortOrders(orders(), 'PROCESSED_AT', true)[0];
        return last ? this.order(last) : null;
      },
      orders: (args: Args) => {
        const matching = this.#store.searchOrders(stringArg(args, 'query'), orders());
        const sorted = this.#store.sortOrders(matching, orderSortKey(args.sortKey), args.reverse === true);
        return paginate(sorted, { ...pageArgs(args), reverse: false }, (order) => this.order(order));
      },
    };
  }

  address(address: TwinAddress | null): View | null {
    if (!address) return null;
    return {
      __typename: 'MailingAddress',
      firstName: address.firstName,
      lastName: address.lastName,
      name: [address.firstName, address.lastName].filter(Boolean).join(' '),
      address1: address.address1,
      address2: address.address2,
      city: address.city,
      province: address.province,
      provinceCode: address.provinceCode,
      zip: address.zip,
      country: address.country,
      countryCode: address.countryCode,
      countryCodeV2: address.countryCode,
      phone: address.phone,
      formatted: [address.address1, address.city, address.zip, address.country],
    };
  }

  order(order: TwinOrder): View {
    const customer = order.customerId === null ? undefined : this.#store.customer(order.customerId);
    return {
      __typename: 'Order',
      id: gid('Order', order.id),
      legacyResourceId: String(order.id),
      name: order.name,
      confirmationNumber: order.confirmationNumber,
      createdAt: order.createdAt,
      processedAt: order.processedAt,
      updatedAt: order.processedAt,
      email: order.email,
      phone: order.phone,
      note: order.note,
      tags: order.tags,
      closed: order.closed,
      cancelledAt: order.cancelledAt,
      cancelReason: order.cancelReason,
      displayFinancialStatus: order.financialStatus,
      displayFulfillmentStatus: order.fulfillmentStatus,
      returnStatus: this.#returnStatus(order),
      statusPageUrl: `https://${this.#store.shopDomain}/orders/${order.id}/authenticate?key=twin${order.id}`,
      customer: customer ? this.customer(customer) : null,
      shippingAddress: this.address(order.shippingAddress),
      displayAddress: this.address(order.shippingAddress),
      shippingLine: order.shippingLineTitle === null ? null : { title: order.shippingLineTitle },
      lineItems: (args: Args) => paginate(order.lineItems, pageArgs(args), (item) => this.lineItem(item)),
      fulfillments: (args: Args) => listFirst(order.fulfillments, args).map((fulfillment) => this.fulfillment(order, fulfillment)),
      fulfillmentOrders: (args: Args) => paginate([order], pageArgs(args), () => this.#fulfillmentOrder(order)),
      returns: (args: Args) => paginate(this.#store.returnsOf(order.id), pageArgs(args), (record) => this.returnRecord(record)),
    };
  }

  #returnStatus(order: TwinOrder): string {
    const statuses = this.#store.returnsOf(order.id).map((record) => record.status);
    if (statuses.includes('REQUESTED')) return 'RETURN_REQUESTED';
    if (statuses.includes('OPEN')) return 'IN_PROGRESS';
    if (statuses.includes('CLOSED')) return 'RETURNED';
    return 'NO_RETURN';
  }

  // One fulfillment order per order is enough to carry holds (B2 reads `fulfillmentHolds` through it).
  #fulfillmentOrder(order: TwinOrder): View {
    const statusByOrder: Record<string, string> = {
      ON_HOLD: 'ON_HOLD',
      FULFILLED: 'CLOSED',
      PARTIALLY_FULFILLED: 'IN_PROGRESS',
      IN_PROGRESS: 'IN_PROGRESS',
      SCHEDULED: 'SCHEDULED',
    };
    return {
      __typename: 'FulfillmentOrder',
      id: gid('FulfillmentOrder', order.id),
      status: order.cancelledAt !== null ? 'CANCELLED' : (statusByOrder[order.fulfillmentStatus] ?? 'OPEN'),
      fulfillmentHolds: order.holds.map((hold, index) => ({
        __typename: 'FulfillmentHold',
        id: gid('FulfillmentHold', order.id * 10 + index),
        reason: hold.reason,
        reasonNotes: hold.reasonNotes,
        displayReason: hold.reason.toLowerCase().replaceAll('_', ' '),
        handle: null,
        heldByRequestingApp: false,
      })),
    };
  }

  lineItem(item: TwinLineItem): View {
    const product = this.#store.product(item.productId);
    return {
      __typename: 'LineItem',
      id: gid('LineItem', item.id),
      title: item.title,
      name: item.variantTitle ? `${item.title} - ${item.variantTitle}` : item.title,
      variantTitle: item.variantTitle,
      sku: item.sku,
      quantity: item.quantity,
      currentQuantity: item.currentQuantity,
      refundableQuantity: item.currentQuantity,
      requiresShipping: true,
      isGiftCard: product?.productType === 'Gift Card',
      product: product ? { __typename: 'Product', id: gid('Product', product.id), title: product.title, productType: product.productType, tags: product.tags } : null,
    };
  }

  fulfillment(order: TwinOrder, fulfillment: TwinFulfillment): View {
    const index = order.fulfillments.indexOf(fulfillment);
    return {
      __typename: 'Fulfillment',
      id: gid('Fulfillment', fulfillment.id),
      legacyResourceId: String(fulfillment.id),
      name: `${order.name}-F${index + 1}`,
      status: fulfillment.status,
      displayStatus: fulfillment.displayStatus,
      createdAt: fulfillment.createdAt,
      updatedAt: fulfillment.updatedAt,
      inTransitAt: fulfillment.inTransitAt,
      estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
      deliveredAt: fulfillment.deliveredAt,
      requiresShipping: true,
      totalQuantity: fulfillment.lines.reduce((sum, line) => sum + line.quantity, 0),
      trackingInfo: (args: Args) => listFirst(fulfillment.tracking, args),
      fulfillmentLineItems: (args: Args) => paginate(fulfillment.lines, pageArgs(args), (line) => this.fulfillmentLine(order, line)),
      order: () => this.order(order),
    };
  }

  fulfillmentLine(order: TwinOrder, line: TwinFulfillmentLine): View {
    const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
    return {
      __typename: 'FulfillmentLineItem',
      id: gid('FulfillmentLineItem', line.id),
      quantity: line.quantity,
      lineItem: item ? this.lineItem(item) : null,
    };
  }

  returnRecord(record: TwinReturn): View {
    const order = this.#store.order(record.orderId);
    return {
      __typename: 'Return',
      id: gid('Return', record.id),
      name: record.name,
      status: record.status,
      createdAt: record.createdAt,
      closedAt: record.status === 'CLOSED' ? record.createdAt : null,
      totalQuantity: record.lines.reduce((sum, line) => sum + line.quantity, 0),
      order: order ? this.order(order) : null,
      returnLineItems: (args: Args) => paginate(record.lines, pageArgs(args), (line) => this.#returnLine(line)),
    };
  }

  #returnLine(line: TwinReturnLine): View {
    const owner = this.#store.fulfillmentLine(line.fulfillmentLineItemId);
    const definition = line.returnReasonDefinitionId === null ? undefined : this.#store.reasonDefinition(line.returnReasonDefinitionId);
    return {
      __typename: 'ReturnLineItem',
      id: gid('ReturnLineItem', line.id),
      quantity: line.quantity,
      customerNote: line.customerNote,
      returnReasonNote: line.returnReasonNote,
      returnReason: line.returnReason,
      returnReasonDefinition: definition ? this.reasonDefinition(definition) : null,
      processedQuantity: 0,
      processableQuantity: line.quantity,
      unprocessedQuantity: line.quantity,
      refundableQuantity: line.quantity,
      refundedQuantity: 0,
      fulfillmentLineItem: owner ? this.fulfillmentLine(owner.order, owner.line) : null,
    };
  }

  reasonDefinition(definition: TwinReasonDefinition): View {
    return { __typename: 'ReturnReasonDefinition', id: gid('ReturnReasonDefinition', definition.id), handle: definition.handle, name: definition.name, deleted: definition.deleted };
  }

  returnableFulfillments(orderId: number, args: Args): unknown {
    return paginate(this.#store.returnableFulfillments(orderId), pageArgs(args), (record) => ({
      __typename: 'ReturnableFulfillment',
      id: gid('ReturnableFulfillment', record.fulfillment.id),
      fulfillment: this.fulfillment(record.order, record.fulfillment),
      returnableFulfillmentLineItems: (lineArgs: Args) =>
        paginate(record.lines, pageArgs(lineArgs), (entry) => ({
          __typename: 'ReturnableFulfillmentLineItem',
          quantity: entry.returnableQuantity,
          fulfillmentLineItem: this.fulfillmentLine(record.order, entry.line),
        })),
    }));
  }
}
