// Where one shipment stands, in plain words, and whether it is a delivery exception the team must handle.
// Pure: `now` and the store time zone are arguments.
import { assertNever } from '../../shared/assert-never.ts';
import { daysBetween, toLocalDate, type LocalDate } from './zoned-time.ts';

/** Shopify's `FulfillmentDisplayStatus`, lower-cased (twilio-and-shopify.md, B2). */
export type ShipmentDisplayStatus =
  | 'attempted_delivery'
  | 'canceled'
  | 'carrier_picked_up'
  | 'confirmed'
  | 'delayed'
  | 'delivered'
  | 'failure'
  | 'fulfilled'
  | 'in_transit'
  | 'label_printed'
  | 'label_purchased'
  | 'label_voided'
  | 'marked_as_fulfilled'
  | 'not_delivered'
  | 'out_for_delivery'
  | 'picked_up'
  | 'ready_for_pickup'
  | 'submitted';

/** Shopify's `FulfillmentStatus`, lower-cased (twilio-and-shopify.md, B2). */
export type ShipmentStatus = 'cancelled' | 'error' | 'failure' | 'success';

export type ShipmentFacts = {
  id: string;
  status: ShipmentStatus;
  displayStatus: ShipmentDisplayStatus | null;
  carrier: string | null;
  trackingUrl: string | null;
  inTransitAt: Date | null;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  items: ReadonlyArray<{ lineItemId: string; name: string; quantity: number }>;
};

export type ShipmentProgress =
  | 'label_created'
  | 'in_transit'
  | 'out_for_delivery'
  | 'attempted_delivery'
  | 'delayed'
  | 'ready_for_pickup'
  | 'picked_up'
  | 'delivered'
  | 'delivery_failed';

export type DeliveryExceptionKind = 'late' | 'delivered_not_received' | 'carrier_failure';

/** A shipment that no longer counts: cancelled, or its label voided. */
export function isVoidShipment(shipment: ShipmentFacts): boolean {
  return shipment.status === 'cancelled' || shipment.displayStatus === 'canceled' || shipment.displayStatus === 'label_voided';
}

export function shipmentProgress(shipment: ShipmentFacts): ShipmentProgress {
  if (shipment.status === 'error' || shipment.status === 'failure') return 'delivery_failed';
  const display = shipment.displayStatus;
  if (display === null) return shipment.deliveredAt ? 'delivered' : shipment.inTransitAt ? 'in_transit' : 'label_created';
  switch (display) {
    case 'failure':
    case 'not_delivered':
      return 'delivery_failed';
    case 'delivered':
      return 'delivered';
    case 'picked_up':
      return 'picked_up';
    case 'ready_for_pickup':
      return 'ready_for_pickup';
    case 'out_for_delivery':
      return 'out_for_delivery';
    case 'attempted_delivery':
      return 'attempted_delivery';
    case 'delayed':
      return 'delayed';
    case 'in_transit':
    case 'carrier_picked_up':
      return 'in_transit';
    case 'canceled':
    case 'label_voided':
    case 'confirmed':
    case 'fulfilled':
    case 'label_printed':
    case 'label_purchased':
    case 'marked_as_fulfilled':
    case 'submitted':
      // A delivery scan can arrive before the display status catches up.
      return shipment.deliveredAt ? 'delivered' : shipment.inTransitAt ? 'in_transit' : 'label_created';
    default:
      return assertNever(display, 'shipment display status');
  }
}

/** What the shipment is doing, to follow "The box with your …" or "Your order". */
export function describeProgress(progress: ShipmentProgress): string {
  switch (progress) {
    case 'label_created':
      return 'is packed and waiting for the carrier to pick it up';
    case 'in_transit':
      return 'is on its way';
    case 'out_for_delivery':
      return 'is out for delivery';
    case 'attempted_delivery':
      return "had a delivery attempt, but the carrier couldn't leave it";
    case 'delayed':
      return 'is on its way but running late';
    case 'ready_for_pickup':
      return 'is ready for pickup';
    case 'picked_up':
      return 'was picked up';
    case 'delivered':
      return 'was delivered';
    case 'delivery_failed':
      return "couldn't be delivered";
    default:
      return assertNever(progress, 'shipment progress');
  }
}

export function isArrived(progress: ShipmentProgress): boolean {
  return progress === 'delivered' || progress === 'picked_up';
}

/**
 * The calendar day a carrier expects delivery. Shopify keeps a date-only estimate as midnight UTC
 * ("2026-11-06T00:00:00Z", twilio-and-shopify.md B2); read in a US zone that instant is the evening before, so
 * a midnight-UTC estimate is taken as its UTC date. Any other instant is read in the store time zone.
 */
export function estimatedDeliveryDay(estimate: Date, timeZone: string): LocalDate {
  const isDateOnly =
    estimate.getUTCHours() === 0 && estimate.getUTCMinutes() === 0 && estimate.getUTCSeconds() === 0 && estimate.getUTCMilliseconds() === 0;
  if (!isDateOnly) return toLocalDate(estimate, timeZone);
  return { year: estimate.getUTCFullYear(), month: estimate.getUTCMonth() + 1, day: estimate.getUTCDate() };
}

/**
 * A delivery exception: still not arrived after its estimated day has ended in the store's zone, marked
 * delivered while the caller says it isn't there, or reported undeliverable by the carrier.
 */
export function deliveryException(
  shipment: ShipmentFacts,
  context: { now: Date; timeZone: string; callerReportsNotReceived: boolean },
): DeliveryExceptionKind | null {
  const progress = shipmentProgress(shipment);
  if (progress === 'delivery_failed') return 'carrier_failure';
  if (progress === 'delivered') return context.callerReportsNotReceived ? 'delivered_not_received' : null;
  // A parcel waiting at a pickup point has arrived where it was sent; it is the shopper's move.
  if (isArrived(progress) || progress === 'ready_for_pickup' || shipment.estimatedDeliveryAt === null) return null;
  const today = toLocalDate(context.now, context.timeZone);
  return daysBetween(estimatedDeliveryDay(shipment.estimatedDeliveryAt, context.timeZone), today) > 0 ? 'late' : null;
}
