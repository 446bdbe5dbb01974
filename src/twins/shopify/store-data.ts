// The Shopify twin's in-memory records: the subset of Shopify's objects the Admin queries in the contract read.
// Plain data only; enum values use Shopify's spellings so resolvers pass them straight to the schema.

export type OrderDisplayFinancialStatus =
  | 'AUTHORIZED'
  | 'EXPIRED'
  | 'PAID'
  | 'PARTIALLY_PAID'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED'
  | 'VOIDED';

export type OrderDisplayFulfillmentStatus =
  | 'FULFILLED'
  | 'FULFILLMENT_NOT_REQUIRED'
  | 'IN_PROGRESS'
  | 'ON_HOLD'
  | 'OPEN'
  | 'PARTIALLY_FULFILLED'
  | 'PENDING_FULFILLMENT'
  | 'REQUEST_DECLINED'
  | 'RESTOCKED'
  | 'SCHEDULED'
  | 'UNFULFILLED';

export type FulfillmentDisplayStatus =
  | 'ATTEMPTED_DELIVERY'
  | 'CANCELED'
  | 'CARRIER_PICKED_UP'
  | 'CONFIRMED'
  | 'DELAYED'
  | 'DELIVERED'
  | 'FAILURE'
  | 'FULFILLED'
  | 'IN_TRANSIT'
  | 'LABEL_PRINTED'
  | 'LABEL_PURCHASED'
  | 'LABEL_VOIDED'
  | 'MARKED_AS_FULFILLED'
  | 'NOT_DELIVERED'
  | 'OUT_FOR_DELIVERY'
  | 'PICKED_UP'
  | 'READY_FOR_PICKUP'
  | 'SUBMITTED';

export type FulfillmentStatus = 'CANCELLED' | 'ERROR' | 'FAILURE' | 'SUCCESS';
export type OrderCancelReason = 'CUSTOMER' | 'DECLINED' | 'FRAUD' | 'INVENTORY' | 'OTHER' | 'STAFF';
export type FulfillmentHoldReason =
  | 'AWAITING_PAYMENT'
  | 'AWAITING_RETURN_ITEMS'
  | 'HIGH_RISK_OF_FRAUD'
  | 'INCORRECT_ADDRESS'
  | 'INVENTORY_OUT_OF_STOCK'
  | 'ONLINE_STORE_POST_PURCHASE_CROSS_SELL'
  | 'OTHER'
  | 'UNKNOWN_DELIVERY_DATE';
export type ReturnStatus = 'CANCELED' | 'CLOSED' | 'DECLINED' | 'OPEN' | 'REQUESTED';
export type LegacyReturnReason =
  | 'COLOR'
  | 'DEFECTIVE'
  | 'NOT_AS_DESCRIBED'
  | 'OTHER'
  | 'SIZE_TOO_LARGE'
  | 'SIZE_TOO_SMALL'
  | 'STYLE'
  | 'UNKNOWN'
  | 'UNWANTED'
  | 'WRONG_ITEM';

export type TwinCustomer = {
  id: number;
  firstName: string;
  lastName: string | null;
  email: string | null;
  /** E.164. */
  phone: string | null;
  tags: string[];
  createdAt: string;
};

export type TwinProduct = { id: number; title: string; productType: string; tags: string[] };

export type TwinAddress = {
  firstName: string;
  lastName: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  provinceCode: string | null;
  zip: string;
  country: string;
  countryCode: string;
  phone: string | null;
};

export type TwinLineItem = {
  id: number;
  productId: number;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  /** Quantity after removals (refunds, edits); equals `quantity` unless something was taken off the order. */
  currentQuantity: number;
};

export type TwinTracking = { company: string | null; number: string | null; url: string | null };

export type TwinFulfillmentLine = { id: number; lineItemId: number; quantity: number };

export type TwinFulfillment = {
  id: number;
  status: FulfillmentStatus;
  displayStatus: FulfillmentDisplayStatus | null;
  createdAt: string;
  updatedAt: string;
  inTransitAt: string | null;
  estimatedDeliveryAt: string | null;
  deliveredAt: string | null;
  tracking: TwinTracking[];
  lines: TwinFulfillmentLine[];
};

export type TwinHold = { reason: FulfillmentHoldReason; reasonNotes: string | null };

export type TwinOrder = {
  id: number;
  name: string;
  confirmationNumber: string;
  customerId: number | null;
  email: string | null;
  phone: string | null;
  createdAt: string;
  processedAt: string;
  financialStatus: OrderDisplayFinancialStatus;
  fulfillmentStatus: OrderDisplayFulfillmentStatus;
  cancelledAt: string | null;
  cancelReason: OrderCancelReason | null;
  closed: boolean;
  tags: string[];
  note: string | null;
  shippingAddress: TwinAddress | null;
  shippingLineTitle: string | null;
  lineItems: TwinLineItem[];
  fulfillments: TwinFulfillment[];
  holds: TwinHold[];
};

export type TwinReturnLine = {
  id: number;
  fulfillmentLineItemId: number;
  quantity: number;
  returnReasonDefinitionId: number | null;
  returnReason: LegacyReturnReason;
  customerNote: string | null;
  returnReasonNote: string;
};

export type TwinReturn = {
  id: number;
  name: string;
  orderId: number;
  status: ReturnStatus;
  createdAt: string;
  lines: TwinReturnLine[];
};

export type TwinReasonDefinition = { id: number; handle: string; name: string; deleted: boolean };

export type TwinStoreData = {
  shopName: string;
  shopDomain: string;
  customers: TwinCustomer[];
  products: TwinProduct[];
  orders: TwinOrder[];
  returns: TwinReturn[];
  reasonDefinitions: TwinReasonDefinition[];
};

export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

/** The numeric id inside `gid://shopify/{type}/{id}`, or null when the id is not a GID of that type. */
export function parseGid(value: string, type: string): number | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(value);
  if (!match || match[1] !== type) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? id : null;
}

export function isGid(value: string): boolean {
  return /^gid:\/\/shopify\/[A-Za-z]+\/\d+(\?.*)?$/.test(value);
}
