// Which items of a verified order may go back, how many, and why not, from the store's return policy. Refunds,
// exchanges and order changes named here are handed to the team instead (decideRequest), never promised.
import { z } from 'zod';
import type { CommerceError, Order, OrderLineItem, ReturnableItem } from '../../commerce/order-lookup.ts';
import { ok, type Result } from '../../shared/result.ts';
import { toReturnableOrder } from '../order-facts.ts';
import { checkReturnEligibility, decideRequest, type ReturnEligibility, type ReturnPolicy } from '../policies/returns-eligibility.ts';
import { defineTool, type ToolContext, type ToolEffect, type ToolOutcome } from '../tool-registry.ts';
import { TEAM_ONLY_REQUESTS } from './escalate.ts';
import { handOff } from './hand-off.ts';
import { afterSuccessfulLookup, LOOKUP_DEADLINE_MS, LOOKUP_FILLER_AFTER_MS, LOOKUP_TIMEOUT_MS, LookupDeadline, lookupFailure } from './lookup-guard.ts';
import { accessOrder, type OrderAccessDeps } from './order-access.ts';
import { emailField, orderNumberField, postalCodeField } from './get-order-status.ts';

export type ReturnToolDeps = OrderAccessDeps & { returns: ReturnPolicy; timeZone: string };

const REQUEST_WORDS: Readonly<Record<TeamOnlyRequest, string>> = {
  refund: 'a refund',
  exchange: 'an exchange',
  address_change: 'an address change',
  order_change: 'a change to the order',
  cancel_order: 'a cancellation',
};

const checkReturnInput = z.object({
  order_number: orderNumberField,
  email: emailField,
  postal_code: postalCodeField,
  request: z
    .enum(['return', ...TEAM_ONLY_REQUESTS])
    .default('return')
    .describe('What the caller asks for: a return, or a refund, exchange, cancellation or other change (those go to the team).'),
});

export function createCheckReturnEligibilityTool(deps: ReturnToolDeps) {
  return defineTool({
    name: 'check_return_eligibility',
    description:
      'Which items of an order can be returned, how many, and why not, by the store policy. Verifies the order like ' +
      'get_order_status. Use it before start_return, and when the caller wants a refund, exchange or change to an order.',
    input: checkReturnInput,
    timeoutMs: LOOKUP_TIMEOUT_MS,
    fillerAfterMs: LOOKUP_FILLER_AFTER_MS,
    sensitiveArguments: ['email', 'postal_code'],
    async run(input, context): Promise<ToolOutcome> {
      if (input.request !== 'return') return passToTeam(deps, input.request, input.order_number, context);
      const intent: ToolEffect = { kind: 'intent', intent: 'return' };
      const deadline = new LookupDeadline(context.clock, LOOKUP_DEADLINE_MS);
      const access = await accessOrder(deps, { orderNumber: input.order_number, proof: { email: input.email, postalCode: input.postal_code } }, context, deadline);
      if (access.kind === 'refused') return { output: access.output, summary: access.summary, effects: [intent, ...access.effects] };
      const checked = await checkOrderReturns(deps, access.order, context, deadline);
      if (!checked.ok) {
        const failure = lookupFailure(checked.error, afterSuccessfulLookup(context, access.effects), deps.handoff, `returnable items of ${access.order.name}`);
        return { ...failure, effects: [intent, ...access.effects, ...(failure.effects ?? [])] };
      }
      const { eligibility } = checked.value;
      const items = describeItems(access.order, eligibility);
      const declined = eligibility.items.flatMap((item) => (item.eligible ? [] : [{ name: item.name, reason: item.reason }]));
      const status = eligibility.hasEligibleItems ? 'eligible' : 'not_eligible';
      return {
        output: {
          status,
          orderName: access.order.name.replace(/^#/, ''),
          items,
          say: eligibility.hasEligibleItems
            ? 'Tell the caller which items can go back. Agree on the items, quantities and reason; then call start_return, which asks you to read them back first.'
            : "Tell the caller why, from the explanations. If they disagree, offer to pass it to the team (escalate, reason return_not_eligible_disputed).",
        },
        summary: `${access.order.name}: ${status}${declined.length > 0 ? ` (declined ${declined.map((item) => `${item.name}: ${item.reason}`).join('; ')})` : ''}`,
        effects: [
          intent,
          ...access.effects,
          { kind: 'lookup_succeeded' },
          { kind: 'order_discussed', name: access.order.name, status: status === 'eligible' ? 'return eligible' : `return declined: ${[...new Set(declined.map((item) => item.reason))].join(', ')}` },
        ],
      };
    },
  });
}

type TeamOnlyRequest = (typeof TEAM_ONLY_REQUESTS)[number];

// The policy decides that these are the team's: the tool files them with the policy's reason and promises nothing.
function passToTeam(deps: ReturnToolDeps, request: TeamOnlyRequest, orderNumber: string, context: ToolContext): ToolOutcome {
  // A refund or an exchange is about sending something back; a change to the order is not.
  const intent: ToolEffect = { kind: 'intent', intent: request === 'refund' || request === 'exchange' ? 'return' : 'other' };
  const decision = decideRequest(request);
  const reason = decision.action === 'escalate' ? decision.reason : 'other';
  const what = REQUEST_WORDS[request];
  const { handoff, say, effect } = handOff(
    deps.handoff,
    { reason, summary: `The caller asked for ${what} on order ${orderNumber}.`, callerWants: what },
    {
      nowMs: context.clock.now(),
      callerNumber: context.facts.callerNumber,
      lead: `Do not promise it: only the team can decide ${what}. Tell the caller you are passing the request on.`,
    },
  );
  return { output: { status: 'passed_to_team', request, handoff, say }, summary: `${request} asked; escalated (${reason})`, effects: [intent, effect] };
}

export type CheckedReturns = { eligibility: ReturnEligibility; returnable: readonly ReturnableItem[] };

/** The shop's returnable quantities, judged by the store policy as of now. */
export async function checkOrderReturns(
  deps: ReturnToolDeps,
  order: Order,
  context: ToolContext,
  deadline: LookupDeadline,
): Promise<Result<CheckedReturns, CommerceError>> {
  const returnable = await deadline.race(deps.orders.returnableItems(order.id));
  if (!returnable.ok) return returnable;
  const eligibility = checkReturnEligibility(toReturnableOrder(order, returnable.value), deps.returns, { now: new Date(context.clock.now()), timeZone: deps.timeZone });
  return ok({ eligibility, returnable: returnable.value });
}

/** Each line item as the model sees it: `itemId` is what start_return takes back. */
export function describeItems(order: Order, eligibility: ReturnEligibility) {
  return eligibility.items.map((item) => {
    const variant = variantOf(order.lineItems.find((line) => line.id === item.lineItemId));
    const base = { itemId: item.lineItemId, name: item.name, ...(variant === null ? {} : { variant }), explanation: item.explanation };
    return item.eligible ? { ...base, eligible: true, maxQuantity: item.maxQuantity } : { ...base, eligible: false, reason: item.reason };
  });
}

export function variantOf(item: OrderLineItem | undefined): string | null {
  const variant = item?.variantTitle?.trim() ?? '';
  // Shopify names the only variant of a product without options "Default Title".
  return variant === '' || variant === 'Default Title' ? null : variant;
}
