// The caller's recent orders by caller ID: the customer's own phone calling verifies their orders (verification
// policy), so each comes with a one-line status. An unknown or withheld number is asked for order details instead.
import { z } from 'zod';
import type { Customer, OrderSummary } from '../../commerce/order-lookup.ts';
import type { CallerOrder, CallerPrefetch } from '../caller-prefetch.ts';
import { toOrderFacts, toVerifiableOrder } from '../order-facts.ts';
import { discloseOrder, type OrderStatus } from '../policies/disclosure.ts';
import { describeDay } from '../policies/spoken-dates.ts';
import { nextVerification, type VerifiableOrder } from '../policies/verification.ts';
import { defineTool, type ToolContext, type ToolEffect } from '../tool-registry.ts';
import type { HandoffPolicy } from './hand-off.ts';
import { LOOKUP_DEADLINE_MS, LOOKUP_FILLER_AFTER_MS, LOOKUP_TIMEOUT_MS, LookupDeadline, lookupFailure } from './lookup-guard.ts';

export type FindOrdersDeps = { prefetch: CallerPrefetch; handoff: HandoffPolicy; timeZone: string };

const findOrdersInput = z.object({
  purpose: z.enum(['order_status', 'return']).default('order_status').describe('Why the caller wants their orders.'),
});

const NO_ORDERS = {
  status: 'no_orders_for_this_number',
  ask: 'order_number_and_email_or_postal_code',
  say: 'Ask for the order number, and the email address or postal code on the order.',
} as const;

const WHICH_ORDER = 'If it is not clear which order the caller means, name them by the day placed or the items and ask.';

export function createFindOrdersTool(deps: FindOrdersDeps) {
  return defineTool({
    name: 'find_orders',
    description:
      "The caller's recent orders, found by the number they are calling from, each with a one-line status. Use it first when " +
      'the caller asks about an order or a return without giving an order number.',
    input: findOrdersInput,
    timeoutMs: LOOKUP_TIMEOUT_MS,
    fillerAfterMs: LOOKUP_FILLER_AFTER_MS,
    async run(input, context) {
      const intent: ToolEffect = { kind: 'intent', intent: input.purpose === 'return' ? 'return' : 'wismo' };
      const callerNumber = context.facts.callerNumber;
      if (callerNumber === null) return { output: NO_ORDERS, summary: 'caller ID withheld', effects: [intent] };
      const deadline = new LookupDeadline(context.clock, LOOKUP_DEADLINE_MS);
      const found = await deadline.race(deps.prefetch.ordersFor(context.facts.callId, callerNumber));
      if (!found.ok) {
        const failure = lookupFailure(found.error, context, deps.handoff, "the caller's orders");
        return { ...failure, effects: [intent, ...(failure.effects ?? [])] };
      }
      const { customer, orders } = found.value;
      const listed = customer === null ? { entries: [], effects: [] } : listVerifiedOrders(deps, customer, orders, context);
      const succeeded: ToolEffect = { kind: 'lookup_succeeded' };
      if (listed.entries.length === 0) {
        return { output: NO_ORDERS, summary: customer === null ? 'no customer with this number' : 'no orders for this customer', effects: [intent, succeeded] };
      }
      return {
        output: {
          status: 'found',
          orders: listed.entries,
          say: listed.entries.some((entry) => entry.deliveryProblem)
            ? `${WHICH_ORDER} For an order marked deliveryProblem, call get_order_status before saying anything about it.`
            : WHICH_ORDER,
        },
        summary: `listed ${listed.entries.map((entry) => `#${entry.orderName}`).join(', ')}`,
        effects: [intent, succeeded, ...listed.effects, ...(customer ? [identifiedBy(customer)] : [])],
      };
    },
  });
}

/** A caller whose number matches a customer is that customer, for the helpdesk record. */
function identifiedBy(customer: Customer): ToolEffect {
  const name = [customer.firstName, customer.lastName].filter((part) => part).join(' ');
  return { kind: 'caller_identified', name: name === '' ? null : name, verifiedEmail: null };
}

type ListedOrder = {
  orderName: string;
  placed: string;
  status: OrderStatus;
  summary?: string;
  items?: readonly string[];
  deliveryProblem?: true;
};

function listVerifiedOrders(deps: FindOrdersDeps, customer: Customer, orders: readonly CallerOrder[], context: ToolContext) {
  const now = new Date(context.clock.now());
  let state = context.facts.verification;
  const entries: ListedOrder[] = [];
  const effects: ToolEffect[] = [];
  for (const { summary, detail } of orders) {
    const step = nextVerification(state, { kind: 'caller_id', callerPhone: context.facts.callerNumber, order: detail ? toVerifiableOrder(detail) : fromSummary(summary, customer) });
    if (step.decision !== 'verified') continue;
    if (step.state !== state) effects.push({ kind: 'verification', state: step.state });
    state = step.state;
    const placed = describeDay(new Date(summary.createdAt), now, deps.timeZone);
    const orderName = summary.name.replace(/^#/, '');
    if (detail === null) {
      entries.push({ orderName, placed, status: statusFromSummary(summary) });
      continue;
    }
    const disclosure = discloseOrder(toOrderFacts(detail), { now, timeZone: deps.timeZone });
    const { status } = disclosure.tellCaller;
    entries.push({
      orderName,
      placed,
      status,
      summary: disclosure.tellCaller.summary,
      items: detail.lineItems.map((item) => (item.currentQuantity === 1 ? item.title : `${item.currentQuantity} ${item.title}`)),
      ...(disclosure.escalate ? { deliveryProblem: true as const } : {}),
    });
    effects.push({ kind: 'order_discussed', name: summary.name, status });
  }
  return { entries, effects };
}

// The customer was found by the caller's number, so their default phone stands for the order's customer phone.
function fromSummary(summary: OrderSummary, customer: Customer): VerifiableOrder {
  return { id: summary.id, name: summary.name, customerPhones: customer.phone === null ? [] : [customer.phone], email: customer.email, postalCodes: [] };
}

function statusFromSummary(summary: OrderSummary): OrderStatus {
  if (summary.cancelledAt !== null) return 'cancelled';
  if (summary.fulfillmentStatus === 'fulfilled') return 'shipped';
  if (summary.fulfillmentStatus === 'partially_fulfilled') return 'partially_shipped';
  if (summary.fulfillmentStatus === 'fulfillment_not_required') return 'no_shipping_needed';
  return 'not_shipped';
}
