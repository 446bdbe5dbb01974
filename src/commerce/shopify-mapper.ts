// Pure mapping from Shopify Admin JSON (already past the zod schemas in shopify-wire.ts) to our order types.
// No I/O, no clock; never throws on wire data: malformed answers come back as `{ ok: false }`.
import type { z } from 'zod';
import { err, ok, type Result } from '../shared/result.ts';
import {
  CANCEL_REASONS,
  FINANCIAL_STATUSES,
  FULFILLMENT_STATUSES,
  HOLD_REASONS,
  ORDER_RETURN_STATUSES,
  RETURN_STATUSES,
  SHIPMENT_STATUSES,
  type CommerceUserError,
  type Customer,
  type Order,
  type OrderSummary,
  type ReturnableItem,
  type ReturnReceipt,
  type ShipmentStatus,
} from './order-lookup.ts';
import {
  costExtension,
  customerByPhoneData,
  orderByNameData,
  orderDetailData,
  recentOrdersData,
  returnableItemsData,
  returnReasonDefinitionsData,
  returnRequestData,
  type OrderWire,
} from './shopify-wire.ts';

export type MapFailure = { message: string };
export type Mapped<T> = Result<T, MapFailure>;

export type ReturnReasonDefinition = { id: string; handle: string; name: string };
export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
export type QueryCost = { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };
export type ReturnRequestOutcome = { kind: 'created'; receipt: ReturnReceipt } | { kind: 'refused'; userErrors: CommerceUserError[] };

/** The tag that marks an item (product or whole order) as final sale in the demo brand's shop. */
export const FINAL_SALE_TAG = 'final-sale';

function parseWith<S extends z.ZodType>(schema: S, data: unknown, what: string): Mapped<z.infer<S>> {
  const parsed = schema.safeParse(data);
  return parsed.success ? ok(parsed.data) : err({ message: `${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}` });
}

/** Shopify's SCREAMING_CASE enum value as our snake_case union member; anything new becomes `unknown`. */
function enumValue<T extends string>(values: readonly T[], wire: string | null | undefined): T | 'unknown' {
  const candidate = (wire ?? '').toLowerCase();
  return values.find((value) => value === candidate) ?? 'unknown';
}

function optionalEnum<T extends string>(values: readonly T[], wire: string | null | undefined): T | 'unknown' | null {
  return wire === null || wire === undefined ? null : enumValue(values, wire);
}

function toCustomer(wire: z.infer<typeof customerByPhoneData>['customerByIdentifier']): Customer | null {
  if (!wire) return null;
  return {
    id: wire.id,
    firstName: wire.firstName ?? null,
    lastName: wire.lastName ?? null,
    email: wire.defaultEmailAddress?.emailAddress ?? null,
    phone: wire.defaultPhoneNumber?.phoneNumber ?? null,
  };
}

function shipmentStatus(status: string, displayStatus: string | null | undefined): ShipmentStatus {
  if (status === 'CANCELLED') return 'canceled';
  if (displayStatus) return enumValue(SHIPMENT_STATUSES, displayStatus);
  if (status === 'SUCCESS') return 'fulfilled';
  if (status === 'FAILURE' || status === 'ERROR') return 'failure';
  return 'unknown';
}

export function toOrder(wire: OrderWire): Order {
  const orderTags = wire.tags.map((tag) => tag.toLowerCase());
  const holds = wire.fulfillmentOrders.nodes.flatMap((fulfillmentOrder) => fulfillmentOrder.fulfillmentHolds);
  const isOnHold = wire.displayFulfillmentStatus === 'ON_HOLD' || wire.fulfillmentOrders.nodes.some((fulfillmentOrder) => fulfillmentOrder.status === 'ON_HOLD');
  const firstHold = holds[0];
  return {
    id: wire.id,
    name: wire.name,
    createdAt: wire.createdAt,
    processedAt: wire.processedAt,
    customer: toCustomer(wire.customer ?? null),
    email: wire.email ?? null,
    phone: wire.phone ?? null,
    shippingAddress: wire.shippingAddress
      ? { zip: wire.shippingAddress.zip ?? null, countryCode: wire.shippingAddress.countryCodeV2 ?? null, city: wire.shippingAddress.city ?? null }
      : null,
    financialStatus: enumValue(FINANCIAL_STATUSES, wire.displayFinancialStatus),
    fulfillmentStatus: enumValue(FULFILLMENT_STATUSES, wire.displayFulfillmentStatus),
    isOnHold,
    holdReason: firstHold ? enumValue(HOLD_REASONS, firstHold.reason) : null,
    cancelledAt: wire.cancelledAt ?? null,
    cancelReason: optionalEnum(CANCEL_REASONS, wire.cancelReason),
    lineItems: wire.lineItems.nodes.map((item) => {
      const tags = (item.product?.tags ?? []).map((tag) => tag.toLowerCase());
      return {
        id: item.id,
        title: item.title,
        variantTitle: item.variantTitle ?? null,
        quantity: item.quantity,
        currentQuantity: item.currentQuantity,
        productType: item.product?.productType || null,
        tags,
        isFinalSale: tags.includes(FINAL_SALE_TAG) || orderTags.includes(FINAL_SALE_TAG),
      };
    }),
    fulfillments: wire.fulfillments.map((fulfillment) => {
      const tracking = fulfillment.trackingInfo[0];
      return {
        id: fulfillment.id,
        status: shipmentStatus(fulfillment.status, fulfillment.displayStatus),
        carrier: tracking?.company ?? null,
        trackingNumber: tracking?.number ?? null,
        trackingUrl: tracking?.url ?? null,
        shippedAt: fulfillment.createdAt,
        estimatedDeliveryAt: fulfillment.estimatedDeliveryAt ?? null,
        inTransitAt: fulfillment.inTransitAt ?? null,
        deliveredAt: fulfillment.deliveredAt ?? null,
        lineItems: fulfillment.fulfillmentLineItems.nodes.map((line) => ({ fulfillmentLineItemId: line.id, lineItemId: line.lineItem.id, quantity: line.quantity ?? 0 })),
      };
    }),
    returns: wire.returns.nodes.map((record) => ({
      id: record.id,
      name: record.name,
      status: enumValue(RETURN_STATUSES, record.status),
      createdAt: record.createdAt,
      totalQuantity: record.totalQuantity,
    })),
    returnStatus: enumValue(ORDER_RETURN_STATUSES, wire.returnStatus),
    tags: orderTags,
  };
}

export function mapCustomerByPhone(data: unknown): Mapped<Customer | null> {
  const parsed = parseWith(customerByPhoneData, data, 'CustomerByPhone');
  return parsed.ok ? ok(toCustomer(parsed.value.customerByIdentifier)) : parsed;
}

/** Null when the customer does not exist. */
export function mapRecentOrders(data: unknown): Mapped<OrderSummary[] | null> {
  const parsed = parseWith(recentOrdersData, data, 'RecentOrders');
  if (!parsed.ok) return parsed;
  const customer = parsed.value.customer;
  if (!customer) return ok(null);
  return ok(
    customer.orders.nodes.map((order) => ({
      id: order.id,
      name: order.name,
      createdAt: order.createdAt,
      financialStatus: enumValue(FINANCIAL_STATUSES, order.displayFinancialStatus),
      fulfillmentStatus: enumValue(FULFILLMENT_STATUSES, order.displayFulfillmentStatus),
      cancelledAt: order.cancelledAt ?? null,
    })),
  );
}

/** The order whose name is exactly `name` (`#1001`), or null; search may return near matches (B2.1). */
export function mapOrderByName(data: unknown, name: string): Mapped<Order | null> {
  const parsed = parseWith(orderByNameData, data, 'OrderByName');
  if (!parsed.ok) return parsed;
  const exact = parsed.value.orders.nodes.find((order) => order.name.toLowerCase() === name.toLowerCase());
  return ok(exact ? toOrder(exact) : null);
}

export function mapOrderDetail(data: unknown): Mapped<Order | null> {
  const parsed = parseWith(orderDetailData, data, 'OrderDetail');
  if (!parsed.ok) return parsed;
  return ok(parsed.value.order ? toOrder(parsed.value.order) : null);
}

export function mapReturnableItems(data: unknown): Mapped<ReturnableItem[]> {
  const parsed = parseWith(returnableItemsData, data, 'ReturnableItems');
  if (!parsed.ok) return parsed;
  return ok(
    parsed.value.returnableFulfillments.nodes.flatMap((returnable) =>
      returnable.returnableFulfillmentLineItems.nodes.map((line) => ({
        fulfillmentId: returnable.fulfillment.id,
        fulfillmentLineItemId: line.fulfillmentLineItem.id,
        lineItemId: line.fulfillmentLineItem.lineItem.id,
        title: line.fulfillmentLineItem.lineItem.title,
        returnableQuantity: line.quantity,
        deliveredAt: returnable.fulfillment.deliveredAt ?? null,
      })),
    ),
  );
}

/** Live definitions only; a deleted one cannot be used in a new return. */
export function mapReturnReasonDefinitions(data: unknown): Mapped<ReturnReasonDefinition[]> {
  const parsed = parseWith(returnReasonDefinitionsData, data, 'ReturnReasonDefinitions');
  if (!parsed.ok) return parsed;
  return ok(parsed.value.returnReasonDefinitions.nodes.filter((definition) => !definition.deleted).map(({ id, handle, name }) => ({ id, handle, name })));
}

export function mapReturnRequest(data: unknown): Mapped<ReturnRequestOutcome> {
  const parsed = parseWith(returnRequestData, data, 'ReturnRequest');
  if (!parsed.ok) return parsed;
  const payload = parsed.value.returnRequest;
  if (!payload) return err({ message: 'ReturnRequest: no payload' });
  if (payload.userErrors.length > 0 || !payload.return) {
    return ok({
      kind: 'refused',
      userErrors: payload.userErrors.map((userError) => ({ field: userError.field ?? null, message: userError.message, code: userError.code ?? null })),
    });
  }
  const created = payload.return;
  return ok({
    kind: 'created',
    receipt: {
      id: created.id,
      name: created.name,
      status: enumValue(RETURN_STATUSES, created.status),
      items: created.returnLineItems.nodes.map((line) => ({ fulfillmentLineItemId: line.fulfillmentLineItem?.id ?? '', quantity: line.quantity })),
    },
  });
}

/** The cost report on any answer, or null when Shopify sent none. */
export function mapQueryCost(extensions: unknown): QueryCost | null {
  const parsed = costExtension.safeParse(extensions);
  if (!parsed.success) return null;
  const { cost } = parsed.data;
  return { requestedQueryCost: cost.requestedQueryCost, actualQueryCost: cost.actualQueryCost ?? null, throttleStatus: cost.throttleStatus };
}
