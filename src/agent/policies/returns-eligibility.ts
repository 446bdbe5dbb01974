// Which line items may be returned, how many, and why not, from the store's configured return policy; and which
// requests are never promised on the phone. Pure: `now` and the store time zone are arguments.
import { assertNever } from '../../shared/assert-never.ts';
import { describeLocalDay } from './spoken-dates.ts';
import { addDays, daysBetween, toLocalDate, type LocalDate } from './zoned-time.ts';

/** From config: RETURN_WINDOW_DAYS, RETURN_EXCLUDED_PRODUCT_TYPES, RETURN_EXCLUDED_TAGS. */
export type ReturnPolicy = {
  windowDays: number;
  excludedProductTypes: readonly string[];
  /** Product tags that make an item final sale, such as `final-sale`. */
  excludedTags: readonly string[];
};

export type ReturnLineItem = {
  id: string;
  name: string;
  /** Current quantity, after any removals. */
  quantity: number;
  productType: string | null;
  tags: readonly string[];
  /** Marked final sale on the line item itself (a line item property or discount rule). */
  isFinalSale: boolean;
  /** Delivered parcels holding this item; the window runs from each parcel's own delivery. */
  deliveries: ReadonlyArray<{ quantity: number; deliveredAt: Date }>;
  /** Already returned or in an open return request (twilio-and-shopify.md, B3). */
  returnedQuantity: number;
};

export type ReturnableOrder = { isCancelled: boolean; lineItems: readonly ReturnLineItem[] };

export type IneligibleReason = 'outside_window' | 'final_sale' | 'excluded_type' | 'not_delivered' | 'already_returned' | 'cancelled';

export type LineItemEligibility = { lineItemId: string; name: string; explanation: string } & (
  | { eligible: true; maxQuantity: number; lastDay: LocalDate }
  | { eligible: false; reason: IneligibleReason }
);

export type ReturnEligibility = { items: readonly LineItemEligibility[]; hasEligibleItems: boolean };

export type PolicyClock = { now: Date; timeZone: string };

/**
 * Checks every line item. Reasons are tried in a fixed order so the caller hears the one that matters most:
 * cancelled, final sale, excluded type, not delivered, already returned, outside the window. The window's last
 * day is the delivery day plus `windowDays`, in the store's calendar, open through that whole day.
 */
export function checkReturnEligibility(order: ReturnableOrder, policy: ReturnPolicy, clock: PolicyClock): ReturnEligibility {
  const today = toLocalDate(clock.now, clock.timeZone);
  const items = order.lineItems.map((item) => checkLineItem(item, order.isCancelled, policy, today, clock.timeZone));
  return { items, hasEligibleItems: items.some((item) => item.eligible) };
}

function checkLineItem(item: ReturnLineItem, isCancelled: boolean, policy: ReturnPolicy, today: LocalDate, timeZone: string): LineItemEligibility {
  const ids = { lineItemId: item.id, name: item.name };
  const refuse = (reason: IneligibleReason, explanation: string): LineItemEligibility => ({ ...ids, eligible: false, reason, explanation });
  if (isCancelled || item.quantity <= 0) return refuse('cancelled', `The ${item.name} was cancelled, so there's nothing to return.`);
  if (item.isFinalSale || hasAny(item.tags, policy.excludedTags)) {
    return refuse('final_sale', `The ${item.name} was a final sale item, so it can't be returned.`);
  }
  if (item.productType !== null && hasAny([item.productType], policy.excludedProductTypes)) {
    return refuse('excluded_type', `The ${item.name} is a kind of item we can't take back as a return.`);
  }
  const deliveries = item.deliveries.map((delivery) => ({ quantity: delivery.quantity, lastDay: addDays(toLocalDate(delivery.deliveredAt, timeZone), policy.windowDays) }));
  const delivered = Math.min(item.quantity, sum(deliveries.map((delivery) => delivery.quantity)));
  if (delivered <= 0) return refuse('not_delivered', `The ${item.name} hasn't been delivered yet, so a return can start once it arrives.`);
  const returnedQuantity = Math.max(0, item.returnedQuantity);
  if (delivered - returnedQuantity <= 0) return refuse('already_returned', `The ${item.name} has already been returned, or has a return in progress.`);
  const open = deliveries.filter((delivery) => daysBetween(today, delivery.lastDay) >= 0);
  if (open.length === 0) {
    const lastDay = latest(deliveries.map((delivery) => delivery.lastDay));
    return refuse(
      'outside_window',
      `The ${item.name} is past our ${policy.windowDays}-day return window, which ended ${describeLocalDay(lastDay, today)}.`,
    );
  }
  // Which parcel an earlier return came from is unknown, so the returnable count is the smaller of the two limits.
  const maxQuantity = Math.min(sum(open.map((delivery) => delivery.quantity)), delivered - returnedQuantity);
  if (maxQuantity <= 0) return refuse('already_returned', `The ${item.name} has already been returned, or has a return in progress.`);
  const lastDay = earliest(open.map((delivery) => delivery.lastDay));
  const what = maxQuantity === 1 ? `the ${item.name}` : `up to ${maxQuantity} of the ${item.name}`;
  return { ...ids, eligible: true, maxQuantity, lastDay, explanation: `You can return ${what}. The return window is open through ${throughDay(lastDay, today)}.` };
}

/** Requests the phone agent never grants or promises, and the escalation reason each one gets. */
export type CustomerRequest = 'return' | 'refund' | 'exchange' | 'address_change' | 'order_change' | 'cancel_order';

export type RequestDecision =
  | { action: 'check_eligibility' }
  | { action: 'escalate'; reason: 'refund_request' | 'exchange_request' | 'order_change' };

/** A return may be requested (the merchant approves it); refunds, exchanges and order changes go to the team. */
export function decideRequest(request: CustomerRequest): RequestDecision {
  switch (request) {
    case 'return':
      return { action: 'check_eligibility' };
    case 'refund':
      return { action: 'escalate', reason: 'refund_request' };
    case 'exchange':
      return { action: 'escalate', reason: 'exchange_request' };
    case 'address_change':
    case 'order_change':
    case 'cancel_order':
      return { action: 'escalate', reason: 'order_change' };
    default:
      return assertNever(request, 'customer request');
  }
}

function throughDay(day: LocalDate, today: LocalDate): string {
  return describeLocalDay(day, today).replace(/^on /, '');
}

function hasAny(values: readonly string[], excluded: readonly string[]): boolean {
  const wanted = new Set(excluded.map(normalizeLabel));
  return values.some((value) => wanted.has(normalizeLabel(value)));
}

/** Shopify tags and product types are compared without case or surrounding space. */
function normalizeLabel(label: string): string {
  return label.trim().toLowerCase();
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function latest(days: readonly LocalDate[]): LocalDate {
  return days.reduce((best, day) => (daysBetween(best, day) > 0 ? day : best));
}

function earliest(days: readonly LocalDate[]): LocalDate {
  return days.reduce((best, day) => (daysBetween(best, day) < 0 ? day : best));
}
