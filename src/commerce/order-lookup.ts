// The commerce port the agent depends on, and our vendor-free order, customer and return types.
// Nothing here knows Shopify's spellings; shopify-mapper.ts turns Shopify JSON into these values.
import type { Result } from '../shared/result.ts';

/** Every timestamp is ISO 8601 in UTC, as the shop reported it. */
export type IsoTimestamp = string;

export const FINANCIAL_STATUSES = ['authorized', 'expired', 'paid', 'partially_paid', 'partially_refunded', 'pending', 'refunded', 'voided', 'unknown'] as const;
export type FinancialStatus = (typeof FINANCIAL_STATUSES)[number];

export const FULFILLMENT_STATUSES = [
  'fulfilled',
  'fulfillment_not_required',
  'in_progress',
  'on_hold',
  'open',
  'partially_fulfilled',
  'pending_fulfillment',
  'request_declined',
  'restocked',
  'scheduled',
  'unfulfilled',
  'unknown',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** Where one parcel is; `canceled` when the shipment itself was cancelled. */
export const SHIPMENT_STATUSES = [
  'attempted_delivery',
  'canceled',
  'carrier_picked_up',
  'confirmed',
  'delayed',
  'delivered',
  'failure',
  'fulfilled',
  'in_transit',
  'label_printed',
  'label_purchased',
  'label_voided',
  'marked_as_fulfilled',
  'not_delivered',
  'out_for_delivery',
  'picked_up',
  'ready_for_pickup',
  'submitted',
  'unknown',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const CANCEL_REASONS = ['customer', 'declined', 'fraud', 'inventory', 'other', 'staff', 'unknown'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export const HOLD_REASONS = [
  'awaiting_payment',
  'awaiting_return_items',
  'high_risk_of_fraud',
  'incorrect_address',
  'inventory_out_of_stock',
  'online_store_post_purchase_cross_sell',
  'other',
  'unknown_delivery_date',
  'unknown',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const RETURN_STATUSES = ['canceled', 'closed', 'declined', 'open', 'requested', 'unknown'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** The order's overall return state, as the shop summarises it. */
export const ORDER_RETURN_STATUSES = ['inspection_complete', 'in_progress', 'no_return', 'returned', 'return_failed', 'return_requested', 'unknown'] as const;
export type OrderReturnStatus = (typeof ORDER_RETURN_STATUSES)[number];

/** Why the shopper sends an item back; the adapter maps each to the shop's reason definitions. */
export const RETURN_REASONS = [
  'damaged_or_defective',
  'wrong_item',
  'not_as_described',
  'size_too_small',
  'size_too_large',
  'unwanted',
  'style',
  'color',
  'arrived_late',
  'other',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export type Customer = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** E.164. */
  phone: string | null;
};

/** Used by policies to verify a caller; never read aloud. */
export type ShippingAddress = { zip: string | null; countryCode: string | null; city: string | null };

export type OrderLineItem = {
  id: string;
  title: string;
  variantTitle: string | null;
  quantity: number;
  /** Quantity still on the order after refunds or edits. */
  currentQuantity: number;
  productType: string | null;
  /** Product tags, lower-cased. */
  tags: string[];
  /** Tagged `final-sale` on the product or on the order. */
  isFinalSale: boolean;
};

export type ShipmentLine = { fulfillmentLineItemId: string; lineItemId: string; quantity: number };

export type Shipment = {
  id: string;
  status: ShipmentStatus;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: IsoTimestamp;
  estimatedDeliveryAt: IsoTimestamp | null;
  inTransitAt: IsoTimestamp | null;
  deliveredAt: IsoTimestamp | null;
  lineItems: ShipmentLine[];
};

export type ReturnSummary = { id: string; name: string; status: ReturnStatus; createdAt: IsoTimestamp; totalQuantity: number };

export type Order = {
  id: string;
  /** As the shop shows it, e.g. `#1001`. */
  name: string;
  createdAt: IsoTimestamp;
  processedAt: IsoTimestamp;
  /** Null for a guest checkout. */
  customer: Customer | null;
  /** The contact email and phone on the order itself (a guest's too). */
  email: string | null;
  phone: string | null;
  shippingAddress: ShippingAddress | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  isOnHold: boolean;
  holdReason: HoldReason | null;
  cancelledAt: IsoTimestamp | null;
  cancelReason: CancelReason | null;
  lineItems: OrderLineItem[];
  fulfillments: Shipment[];
  returns: ReturnSummary[];
  returnStatus: OrderReturnStatus;
  tags: string[];
};

export type OrderSummary = {
  id: string;
  name: string;
  createdAt: IsoTimestamp;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  cancelledAt: IsoTimestamp | null;
};

/** One delivered item that can still go back, with the quantity the shop will accept. */
export type ReturnableItem = {
  fulfillmentId: string;
  fulfillmentLineItemId: string;
  lineItemId: string;
  title: string;
  returnableQuantity: number;
  deliveredAt: IsoTimestamp | null;
};

export type ReturnItemRequest = { fulfillmentLineItemId: string; quantity: number; reason: ReturnReason };

export type ReturnRequest = {
  orderId: string;
  items: ReturnItemRequest[];
  /** The shopper's words, at most 300 characters (Shopify's limit). */
  note?: string;
};

export type ReturnReceipt = {
  id: string;
  /** e.g. `#1001-R1`. */
  name: string;
  status: ReturnStatus;
  items: { fulfillmentLineItemId: string; quantity: number }[];
};

export const COMMERCE_ERROR_CODES = ['not_found', 'throttled', 'unavailable', 'unauthorized', 'user_error', 'timeout'] as const;
export type CommerceErrorCode = (typeof COMMERCE_ERROR_CODES)[number];

export type CommerceUserError = { field: string[] | null; message: string; code: string | null };

export type CommerceError =
  | { code: 'user_error'; message: string; userErrors: CommerceUserError[] }
  | { code: Exclude<CommerceErrorCode, 'user_error'>; message: string; cause?: unknown };

export type CommerceResult<T> = Promise<Result<T, CommerceError>>;

export interface OrderLookup {
  /** The customer whose phone is exactly this E.164 number; `not_found` when none. */
  findCustomerByPhone(e164: string): CommerceResult<Customer>;
  /** Newest first; `limit` is clamped to 1..10. */
  recentOrders(customerId: string, limit: number): CommerceResult<OrderSummary[]>;
  /** Accepts `#1001`, `1001`, spoken or keyed digits; matches the order name exactly. */
  findOrderByNumber(orderNumber: string): CommerceResult<Order>;
  getOrder(orderId: string): CommerceResult<Order>;
  /** Empty when nothing on the order can be returned (not delivered, already returned, refunded). */
  returnableItems(orderId: string): CommerceResult<ReturnableItem[]>;
  /** Creates a return request awaiting the merchant's approval; Shopify's refusals come back as `user_error`. */
  requestReturn(request: ReturnRequest): CommerceResult<ReturnReceipt>;
}
