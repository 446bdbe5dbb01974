// Where an order is, by its number, once the caller is verified: speech-ready facts from the disclosure policy, and a
// delivery exception handed to the team. Never returns the raw order, an address, an email or a payment detail.
import { z } from 'zod';
import type { Order } from '../../commerce/order-lookup.ts';
import { toOrderFacts } from '../order-facts.ts';
import { discloseOrder, type OrderDisclosure } from '../policies/disclosure.ts';
import { defineTool, type ToolContext, type ToolEffect } from '../tool-registry.ts';
import { handOff } from './hand-off.ts';
import { LOOKUP_DEADLINE_MS, LOOKUP_FILLER_AFTER_MS, LOOKUP_TIMEOUT_MS, LookupDeadline } from './lookup-guard.ts';
import { accessOrder, type OrderAccessDeps } from './order-access.ts';

export type OrderStatusDeps = OrderAccessDeps & { timeZone: string; canText: boolean };

/** The order number as the caller said or keyed it; the tool reads "#1001", "1001", "ten oh one" and keypad digits. */
export const orderNumberField = z.string().trim().min(1).max(60).describe('The order number as the caller said or keyed it, e.g. "1001" or "ten oh one".');
export const emailField = z.string().trim().max(254).optional().describe('The email address on the order, as the caller said it.');
export const postalCodeField = z.string().trim().max(20).optional().describe('The postal or ZIP code the order was shipped to.');

const getOrderStatusInput = z.object({
  order_number: orderNumberField,
  email: emailField,
  postal_code: postalCodeField,
  caller_says_not_received: z.boolean().optional().describe('True when the caller says a parcel marked delivered has not arrived.'),
});

export function createGetOrderStatusTool(deps: OrderStatusDeps) {
  return defineTool({
    name: 'get_order_status',
    description:
      'Where an order is, by its order number. Unless caller ID already proves the order is theirs, pass the email or postal code ' +
      'on the order. The result says what you may tell the caller, or what to ask for first.',
    input: getOrderStatusInput,
    timeoutMs: LOOKUP_TIMEOUT_MS,
    fillerAfterMs: LOOKUP_FILLER_AFTER_MS,
    sensitiveArguments: ['email', 'postal_code'],
    async run(input, context) {
      const intent: ToolEffect = { kind: 'intent', intent: 'wismo' };
      const deadline = new LookupDeadline(context.clock, LOOKUP_DEADLINE_MS);
      const access = await accessOrder(deps, { orderNumber: input.order_number, proof: { email: input.email, postalCode: input.postal_code } }, context, deadline);
      if (access.kind === 'refused') return { output: access.output, summary: access.summary, effects: [intent, ...access.effects] };
      const status = describeOrderStatus(deps, access.order, context, input.caller_says_not_received ?? false);
      return { output: status.output, summary: status.summary, effects: [intent, ...access.effects, ...status.effects] };
    },
  });
}

/** The disclosure of a verified order as the model receives it, plus the hand-off when delivery went wrong. */
export function describeOrderStatus(deps: OrderStatusDeps, order: Order, context: ToolContext, callerReportsNotReceived: boolean) {
  const disclosure = discloseOrder(toOrderFacts(order), { now: new Date(context.clock.now()), timeZone: deps.timeZone, callerReportsNotReceived });
  const tellCaller = spokenFacts(disclosure);
  const canTextTracking = deps.canText && context.facts.callerNumber !== null && disclosure.trackingLinks.length > 0;
  const problem = disclosure.escalate;
  if (problem === null) {
    return {
      output: { status: 'found', tellCaller, canTextTracking },
      summary: `${order.name}: ${tellCaller.status}`,
      effects: [{ kind: 'order_discussed', name: order.name, status: tellCaller.status }] satisfies ToolEffect[],
    };
  }
  const kinds = [...new Set(problem.exceptions.map((exception) => exception.kind))];
  const { handoff, say, effect } = handOff(
    deps.handoff,
    { reason: 'delivery_exception', summary: `${order.name}: ${kinds.join(', ').replaceAll('_', ' ')}. ${tellCaller.summary}`, callerWants: null },
    {
      nowMs: context.clock.now(),
      callerNumber: context.facts.callerNumber,
      lead: 'First tell the caller the status in tellCaller, then that this delivery needs our team and they will sort it out.',
    },
  );
  return {
    output: { status: 'found', tellCaller, deliveryProblem: kinds, handoff, say },
    summary: `${order.name}: ${tellCaller.status}, delivery exception (${kinds.join(', ')}); escalated`,
    effects: [{ kind: 'order_discussed', name: order.name, status: `${tellCaller.status} (${kinds.join(', ')})` }, effect] satisfies ToolEffect[],
  };
}

/** Only the speech-ready parts; tracking links stay out of the conversation (they go by text message). */
export function spokenFacts(disclosure: OrderDisclosure) {
  const { orderName, status, summary, shipments, notShipped } = disclosure.tellCaller;
  return {
    orderName,
    status,
    summary,
    shipments: shipments.map((shipment) => ({ progress: shipment.progress, carrier: shipment.carrier, day: shipment.day, isDelivered: shipment.isDelivered, items: shipment.items })),
    notShipped: notShipped === null ? null : { reason: notShipped.reason, items: notShipped.items },
  };
}
