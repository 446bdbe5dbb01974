// What may be told about a verified order, as speech-ready facts: status in plain words, carriers, delivery days
// in the caller's terms, what hasn't shipped and why. It never sees or returns an address or card detail, and an
// email only masked. Pure: `now` and the store time zone are arguments.
import { assertNever } from '../../shared/assert-never.ts';
import { describeDay, describeLocalDay } from './spoken-dates.ts';
import {
  deliveryException,
  describeProgress,
  estimatedDeliveryDay,
  isArrived,
  isVoidShipment,
  shipmentProgress,
  type DeliveryExceptionKind,
  type ShipmentFacts,
  type ShipmentProgress,
} from './shipment-progress.ts';
import { daysBetween, toLocalDate } from './zoned-time.ts';

export type { ShipmentFacts } from './shipment-progress.ts';

/** Shopify's `OrderDisplayFinancialStatus`, lower-cased (twilio-and-shopify.md, B2). */
export type FinancialStatus = 'authorized' | 'expired' | 'paid' | 'partially_paid' | 'partially_refunded' | 'pending' | 'refunded' | 'voided';

/** Shopify's `OrderDisplayFulfillmentStatus`, lower-cased (twilio-and-shopify.md, B2). */
export type FulfillmentStatus =
  | 'fulfilled'
  | 'fulfillment_not_required'
  | 'in_progress'
  | 'on_hold'
  | 'open'
  | 'partially_fulfilled'
  | 'pending_fulfillment'
  | 'request_declined'
  | 'restocked'
  | 'scheduled'
  | 'unfulfilled';

/** Shopify's `OrderCancelReason`, lower-cased (twilio-and-shopify.md, B2). */
export type CancelReason = 'customer' | 'declined' | 'fraud' | 'inventory' | 'other' | 'staff';

/** The vendor-free order this policy reads. By design it has no address, phone or payment fields. */
export type OrderFacts = {
  /** "#1001". */
  name: string;
  email: string | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  cancelledAt: Date | null;
  cancelReason: CancelReason | null;
  /** `quantity` is the current quantity, after any removals. */
  lineItems: ReadonlyArray<{ id: string; name: string; quantity: number }>;
  shipments: readonly ShipmentFacts[];
};

export type DisclosureContext = {
  now: Date;
  /** The store's IANA time zone: "today" and "tomorrow" are the store's days. */
  timeZone: string;
  /** The caller says a parcel marked delivered is not there. */
  callerReportsNotReceived?: boolean;
  /** Adds "j•••@gmail.com" for the caller to confirm which address the team will write to. */
  includeMaskedEmail?: boolean;
};

export type OrderStatus = 'cancelled' | 'no_shipping_needed' | 'not_shipped' | 'partially_shipped' | 'shipped' | 'delivered';

export type NotShippedReason = 'awaiting_payment' | 'payment_problem' | 'on_hold' | 'scheduled' | 'fulfillment_problem' | 'being_prepared';

export type SpokenShipment = {
  progress: ShipmentProgress;
  carrier: string | null;
  items: readonly string[];
  /** "yesterday", "Thursday", "on March 3rd"; delivered or expected per `isDelivered`. */
  day: string | null;
  isDelivered: boolean;
  hasTracking: boolean;
  sentence: string;
};

export type DeliveryException = { shipmentId: string; kind: DeliveryExceptionKind };

export type OrderDisclosure = {
  tellCaller: {
    orderName: string;
    status: OrderStatus;
    /** One to four short sentences, ready to say. */
    summary: string;
    shipments: readonly SpokenShipment[];
    notShipped: { reason: NotShippedReason; items: readonly string[]; sentence: string } | null;
    maskedEmail?: string;
  };
  /** For a text message to the caller's own number on request; never read aloud. */
  trackingLinks: ReadonlyArray<{ carrier: string | null; url: string }>;
  escalate: { reason: 'delivery_exception'; exceptions: readonly DeliveryException[] } | null;
};

export function discloseOrder(order: OrderFacts, context: DisclosureContext): OrderDisclosure {
  const orderName = order.name.replace(/^#/, '');
  const isCancelled = order.cancelledAt !== null;
  const shipments = order.shipments.filter((shipment) => !isVoidShipment(shipment));
  const unshipped = unshippedItems(order, shipments);
  const status = orderStatus(order, shipments, unshipped.length);
  const wholeOrderSubject = shipments.length === 1 && unshipped.length === 0 ? `Order ${orderName}` : null;
  const spoken = isCancelled ? [] : shipments.map((shipment) => speakShipment(shipment, wholeOrderSubject, context));
  const notShipped = status === 'partially_shipped' || status === 'not_shipped' ? describeNotShipped(order, unshipped) : null;
  const exceptions = isCancelled
    ? []
    : shipments.flatMap((shipment) => {
        const kind = deliveryException(shipment, {
          now: context.now,
          timeZone: context.timeZone,
          callerReportsNotReceived: context.callerReportsNotReceived ?? false,
        });
        return kind === null ? [] : [{ shipmentId: shipment.id, kind }];
      });

  const sentences = [
    openingSentence(order, orderName, status, shipments.length, notShipped?.reason ?? null, context),
    ...spoken.map((shipment) => shipment.sentence),
    status === 'partially_shipped' ? (notShipped?.sentence ?? null) : null,
    refundSentence(order.financialStatus),
  ].filter((sentence) => sentence !== null);

  const maskedEmail = context.includeMaskedEmail && order.email !== null ? maskEmailForSpeech(order.email) : null;
  return {
    tellCaller: {
      orderName,
      status,
      summary: sentences.join(' '),
      shipments: spoken,
      notShipped,
      ...(maskedEmail === null ? {} : { maskedEmail }),
    },
    trackingLinks: isCancelled
      ? []
      : shipments.flatMap((shipment) => (shipment.trackingUrl ? [{ carrier: shipment.carrier, url: shipment.trackingUrl }] : [])),
    escalate: exceptions.length > 0 ? { reason: 'delivery_exception', exceptions } : null,
  };
}

/** "jane@gmail.com" → "j•••@gmail.com": enough to confirm, never the address itself. */
export function maskEmailForSpeech(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return `${email.slice(0, 1)}•••@${email.slice(at + 1).toLowerCase()}`;
}

function orderStatus(order: OrderFacts, shipments: readonly ShipmentFacts[], unshippedCount: number): OrderStatus {
  if (order.cancelledAt !== null) return 'cancelled';
  if (order.fulfillmentStatus === 'fulfillment_not_required') return 'no_shipping_needed';
  if (shipments.length === 0) return 'not_shipped';
  if (unshippedCount > 0) return 'partially_shipped';
  return shipments.every((shipment) => isArrived(shipmentProgress(shipment))) ? 'delivered' : 'shipped';
}

function openingSentence(
  order: OrderFacts,
  orderName: string,
  status: OrderStatus,
  shipmentCount: number,
  notShippedReason: NotShippedReason | null,
  context: DisclosureContext,
): string | null {
  switch (status) {
    case 'cancelled': {
      const when = order.cancelledAt === null ? '' : ` ${describeDay(order.cancelledAt, context.now, context.timeZone)}`;
      return `Order ${orderName} was cancelled${when}${cancelReasonWords(order.cancelReason)}.`;
    }
    case 'no_shipping_needed':
      return `Order ${orderName} has nothing that needs shipping.`;
    case 'not_shipped':
      return `Order ${orderName} hasn't shipped yet${NOT_SHIPPED_WORDS[notShippedReason ?? 'being_prepared']}.`;
    case 'partially_shipped':
      return `Part of order ${orderName} has shipped${shipmentCount > 1 ? ` in ${shipmentCount} boxes` : ''}.`;
    case 'shipped':
    case 'delivered':
      // A single box covering the whole order names the order in its own sentence.
      return shipmentCount > 1 ? `Order ${orderName} is coming in ${shipmentCount} boxes.` : null;
    default:
      return assertNever(status, 'order status');
  }
}

function cancelReasonWords(reason: CancelReason | null): string {
  // Fraud, staff and other reasons are the team's to explain, not the phone agent's.
  if (reason === 'customer') return ' at your request';
  if (reason === 'inventory') return ' because an item was out of stock';
  if (reason === 'declined') return ' because the payment was declined';
  return '';
}

function refundSentence(status: FinancialStatus): string | null {
  if (status === 'refunded') return 'Our records show it was refunded in full.';
  if (status === 'partially_refunded') return 'Our records show part of it was refunded.';
  return null;
}

function speakShipment(shipment: ShipmentFacts, wholeOrderSubject: string | null, context: DisclosureContext): SpokenShipment {
  const progress = shipmentProgress(shipment);
  const items = shipment.items.map((item) => itemWords(item.name, item.quantity));
  const subject = wholeOrderSubject ?? `The box with ${joinWords(items)}`;
  const carrier = shipment.carrier?.trim() || null;
  const base = { progress, carrier, items, hasTracking: shipment.trackingUrl !== null };

  if (isArrived(progress)) {
    const day = shipment.deliveredAt === null ? null : describeDay(shipment.deliveredAt, context.now, context.timeZone);
    const by = carrier !== null && progress === 'delivered' ? ` by ${carrier}` : '';
    return { ...base, day, isDelivered: true, sentence: `${subject} ${describeProgress(progress)}${by}${day === null ? '' : ` ${day}`}.` };
  }
  const lead = `${subject} ${describeProgress(progress)}${carrierClause(progress, carrier)}`;
  if (shipment.estimatedDeliveryAt === null || progress === 'delivery_failed' || progress === 'ready_for_pickup') {
    return { ...base, day: null, isDelivered: false, sentence: `${lead}.` };
  }
  const today = toLocalDate(context.now, context.timeZone);
  const expectedDay = estimatedDeliveryDay(shipment.estimatedDeliveryAt, context.timeZone);
  const day = describeLocalDay(expectedDay, today);
  const isPastEstimate = daysBetween(expectedDay, today) > 0;
  const sentence = isPastEstimate ? `${lead}. It was expected ${day} and hasn't arrived yet.` : `${lead}, expected ${day}.`;
  return { ...base, day, isDelivered: false, sentence };
}

function carrierClause(progress: ShipmentProgress, carrier: string | null): string {
  if (progress === 'delivery_failed') return ` by ${carrier ?? 'the carrier'}`;
  // Before the carrier's first scan, and at a pickup point, the carrier has nothing to do with it yet.
  if (carrier === null || progress === 'label_created' || progress === 'ready_for_pickup') return '';
  return ` with ${carrier}`;
}

function unshippedItems(order: OrderFacts, shipments: readonly ShipmentFacts[]): string[] {
  return order.lineItems.flatMap((lineItem) => {
    const shipped = shipments.reduce(
      (sum, shipment) => sum + shipment.items.filter((item) => item.lineItemId === lineItem.id).reduce((total, item) => total + item.quantity, 0),
      0,
    );
    const remaining = lineItem.quantity - shipped;
    return remaining > 0 ? [itemWords(lineItem.name, remaining)] : [];
  });
}

const NOT_SHIPPED_WORDS: Readonly<Record<NotShippedReason, string>> = {
  awaiting_payment: " because the payment hasn't come through yet",
  payment_problem: " because there's a problem with the payment",
  on_hold: ' because the order is on hold',
  scheduled: " because it's scheduled to ship later",
  fulfillment_problem: ' because our warehouse ran into a problem with it',
  being_prepared: '; our warehouse is getting it ready',
};

function describeNotShipped(order: OrderFacts, items: readonly string[]): NonNullable<OrderDisclosure['tellCaller']['notShipped']> {
  const reason = notShippedReason(order);
  return { reason, items, sentence: `Not shipped yet: ${joinWords(items)}${NOT_SHIPPED_WORDS[reason]}.` };
}

function notShippedReason(order: OrderFacts): NotShippedReason {
  if (order.financialStatus === 'pending' || order.financialStatus === 'partially_paid') return 'awaiting_payment';
  if (order.financialStatus === 'expired' || order.financialStatus === 'voided') return 'payment_problem';
  if (order.fulfillmentStatus === 'on_hold') return 'on_hold';
  if (order.fulfillmentStatus === 'scheduled') return 'scheduled';
  if (order.fulfillmentStatus === 'request_declined' || order.fulfillmentStatus === 'restocked') return 'fulfillment_problem';
  return 'being_prepared';
}

function itemWords(name: string, quantity: number): string {
  return quantity === 1 ? `the ${name}` : `${quantity} ${name}`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}
