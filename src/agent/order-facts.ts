// Adapts the commerce domain `Order` to what the agent's policies read: disclosure, verification, return eligibility.
// Pure and total: values the shop reports as `unknown` map to the reading that claims nothing.
import type { CancelReason as ShopCancelReason, FinancialStatus as ShopFinancialStatus, FulfillmentStatus as ShopFulfillmentStatus, Order, OrderLineItem, ReturnableItem, Shipment } from '../commerce/order-lookup.ts';
import type { CancelReason, FinancialStatus, FulfillmentStatus, OrderFacts } from './policies/disclosure.ts';
import type { ShipmentFacts } from './policies/shipment-progress.ts';
import type { ReturnableOrder, ReturnLineItem } from './policies/returns-eligibility.ts';
import type { VerifiableOrder } from './policies/verification.ts';

/** What disclosure reads: statuses, items and shipments, never an address or payment detail. */
export function toOrderFacts(order: Order): OrderFacts {
  const names = new Map(order.lineItems.map((item) => [item.id, lineItemName(item)]));
  return {
    name: order.name,
    email: order.email ?? order.customer?.email ?? null,
    financialStatus: toFinancialStatus(order.financialStatus),
    fulfillmentStatus: toFulfillmentStatus(order.fulfillmentStatus, order.isOnHold),
    cancelledAt: toDate(order.cancelledAt),
    cancelReason: toCancelReason(order.cancelReason, order.cancelledAt),
    lineItems: order.lineItems.map((item) => ({ id: item.id, name: lineItemName(item), quantity: item.currentQuantity })),
    shipments: order.fulfillments.map((shipment) => toShipmentFacts(shipment, names)),
  };
}

/**
 * What verification compares: the order's own phone and its customer's phone (never the shipping address's,
 * which may be a gift recipient's), the order's email, and the shipping postal code.
 */
export function toVerifiableOrder(order: Order): VerifiableOrder {
  const phones = [order.phone, order.customer?.phone].filter((phone): phone is string => typeof phone === 'string' && phone !== '');
  const zip = order.shippingAddress?.zip ?? null;
  return {
    id: order.id,
    name: order.name,
    customerPhones: [...new Set(phones)],
    email: order.email ?? order.customer?.email ?? null,
    postalCodes: zip === null || zip === '' ? [] : [zip],
  };
}

/**
 * What return eligibility reads. The shop's returnable quantities already net out earlier returns and refunds,
 * so what was delivered but is no longer returnable counts as returned (twilio-and-shopify.md, B3).
 */
export function toReturnableOrder(order: Order, returnable: readonly ReturnableItem[]): ReturnableOrder {
  return { isCancelled: order.cancelledAt !== null, lineItems: order.lineItems.map((item) => toReturnLineItem(item, order.fulfillments, returnable)) };
}

/** The name a caller knows an item by. The variant is kept apart ("Sage", "M") and said only when it helps. */
export function lineItemName(item: Pick<OrderLineItem, 'title'>): string {
  return item.title.trim();
}

function toReturnLineItem(item: OrderLineItem, shipments: readonly Shipment[], returnable: readonly ReturnableItem[]): ReturnLineItem {
  const deliveries = shipments.flatMap((shipment) => {
    const deliveredAt = toDate(shipment.deliveredAt);
    if (deliveredAt === null || shipment.status === 'canceled') return [];
    const quantity = shipment.lineItems.filter((line) => line.lineItemId === item.id).reduce((total, line) => total + line.quantity, 0);
    return quantity > 0 ? [{ quantity, deliveredAt }] : [];
  });
  const delivered = Math.min(item.currentQuantity, deliveries.reduce((total, delivery) => total + delivery.quantity, 0));
  const stillReturnable = returnable.filter((entry) => entry.lineItemId === item.id).reduce((total, entry) => total + entry.returnableQuantity, 0);
  return {
    id: item.id,
    name: lineItemName(item),
    quantity: item.currentQuantity,
    productType: item.productType,
    tags: item.tags,
    isFinalSale: item.isFinalSale,
    deliveries,
    returnedQuantity: Math.max(0, delivered - stillReturnable),
  };
}

function toShipmentFacts(shipment: Shipment, names: ReadonlyMap<string, string>): ShipmentFacts {
  return {
    id: shipment.id,
    status: shipment.status === 'canceled' ? 'cancelled' : shipment.status === 'failure' ? 'failure' : 'success',
    displayStatus: shipment.status === 'unknown' ? null : shipment.status,
    carrier: shipment.carrier,
    trackingUrl: shipment.trackingUrl,
    inTransitAt: toDate(shipment.inTransitAt),
    estimatedDeliveryAt: toDate(shipment.estimatedDeliveryAt),
    deliveredAt: toDate(shipment.deliveredAt),
    items: shipment.lineItems.map((line) => ({ lineItemId: line.lineItemId, name: names.get(line.lineItemId) ?? 'item', quantity: line.quantity })),
  };
}

// An unknown payment status explains nothing, like one that is simply paid.
function toFinancialStatus(status: ShopFinancialStatus): FinancialStatus {
  return status === 'unknown' ? 'paid' : status;
}

// Shopify reports a held order as ON_HOLD; a hold seen only on a fulfillment order still means "on hold".
function toFulfillmentStatus(status: ShopFulfillmentStatus, isOnHold: boolean): FulfillmentStatus {
  if (isOnHold && (status === 'unfulfilled' || status === 'open' || status === 'unknown')) return 'on_hold';
  return status === 'unknown' ? 'unfulfilled' : status;
}

// A reason the shop doesn't name is the team's to explain, as "other" is.
function toCancelReason(reason: ShopCancelReason | null, cancelledAt: string | null): CancelReason | null {
  if (cancelledAt === null) return null;
  return reason === null || reason === 'unknown' ? 'other' : reason;
}

function toDate(iso: string | null): Date | null {
  if (iso === null) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
