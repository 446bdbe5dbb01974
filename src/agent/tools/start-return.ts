// Requests a return for a verified order, only for items and quantities the policy allows and only after the caller
// confirmed what was read back. Shopify's refusals go to the team; next steps come from the knowledge base.
import { z } from 'zod';
import { RETURN_REASONS, type Order, type ReturnableItem, type ReturnItemRequest } from '../../commerce/order-lookup.ts';
import type { KnowledgeSearch } from '../../knowledge/kb-search.ts';
import type { LineItemEligibility } from '../policies/returns-eligibility.ts';
import { defineTool, type ToolContext, type ToolEffect, type ToolOutcome } from '../tool-registry.ts';
import { checkOrderReturns, variantOf, type ReturnToolDeps } from './check-return-eligibility.ts';
import { emailField, orderNumberField, postalCodeField } from './get-order-status.ts';
import { handOff } from './hand-off.ts';
import { afterSuccessfulLookup, LOOKUP_FILLER_AFTER_MS, LookupDeadline, lookupFailure } from './lookup-guard.ts';
import { accessOrder } from './order-access.ts';
import { findReturnSteps } from './return-steps.ts';

export type StartReturnDeps = ReturnToolDeps & { knowledge: KnowledgeSearch; canText: boolean };

/** Up to four shop calls in a row (order, returnable items, reason definitions, the request itself). */
export const START_RETURN_TIMEOUT_MS = 5000;
const START_RETURN_DEADLINE_MS = 4500;

const startReturnInput = z.object({
  order_number: orderNumberField,
  email: emailField,
  postal_code: postalCodeField,
  items: z
    .array(
      z.object({
        item_id: z.string().trim().min(1).max(120).describe('The itemId from check_return_eligibility.'),
        quantity: z.number().int().min(1).max(50),
      }),
    )
    .min(1)
    .max(20),
  reason: z.enum(RETURN_REASONS).describe("Why the caller is sending the items back, in the caller's words mapped to one of these."),
  caller_confirmed: z
    .boolean()
    .default(false)
    .describe('True only after you read the items and quantities back to the caller and they said yes.'),
  note: z.string().trim().max(300).optional().describe("Anything the caller wants the team to know about the return, in the caller's words."),
});

type StartReturnInput = z.infer<typeof startReturnInput>;
type WantedItem = { item: Extract<LineItemEligibility, { eligible: true }>; variant: string | null; quantity: number };

export function createStartReturnTool(deps: StartReturnDeps) {
  return defineTool({
    name: 'start_return',
    description:
      'Requests a return for items check_return_eligibility allowed. The first call returns the items to read back; call it ' +
      'again with caller_confirmed true only after the caller said yes. Never use it for refunds or exchanges.',
    input: startReturnInput,
    timeoutMs: START_RETURN_TIMEOUT_MS,
    fillerAfterMs: LOOKUP_FILLER_AFTER_MS,
    sensitiveArguments: ['email', 'postal_code', 'note'],
    async run(input, context): Promise<ToolOutcome> {
      const intent: ToolEffect = { kind: 'intent', intent: 'return' };
      const deadline = new LookupDeadline(context.clock, START_RETURN_DEADLINE_MS);
      const access = await accessOrder(deps, { orderNumber: input.order_number, proof: { email: input.email, postalCode: input.postal_code } }, context, deadline);
      if (access.kind === 'refused') return { output: access.output, summary: access.summary, effects: [intent, ...access.effects] };
      const order = access.order;
      const checked = await checkOrderReturns(deps, order, context, deadline);
      if (!checked.ok) {
        const failure = lookupFailure(checked.error, afterSuccessfulLookup(context, access.effects), deps.handoff, `returnable items of ${order.name}`);
        return { ...failure, effects: [intent, ...access.effects, ...(failure.effects ?? [])] };
      }
      const before: ToolEffect[] = [intent, ...access.effects, { kind: 'lookup_succeeded' }];
      const wanted = matchWantedItems(order, checked.value.eligibility.items, input.items);
      if (!wanted.ok) {
        return {
          output: { status: 'not_eligible', problems: wanted.problems, say: 'Tell the caller, then agree again on what can go back (check_return_eligibility lists it).' },
          summary: `${order.name}: asked for items that cannot go back`,
          effects: before,
        };
      }
      const readBack = wanted.items.map(({ item, variant, quantity }) => ({ name: item.name, ...(variant === null ? {} : { variant }), quantity }));
      if (input.caller_confirmed !== true) {
        return {
          output: {
            status: 'confirm_first',
            items: readBack,
            reason: input.reason,
            say: 'Read back each item with its quantity and the reason, and ask the caller to confirm. Only after a clear yes, call start_return again with the same items and caller_confirmed true.',
          },
          summary: `${order.name}: read-back requested (${describeWanted(wanted.items)})`,
          effects: [...before, { kind: 'order_discussed', name: order.name, status: 'return being confirmed' }],
        };
      }
      return submitReturn(deps, { order, input, wanted: wanted.items, returnable: checked.value.returnable, readBack, before }, context, deadline);
    },
  });
}

type Submission = {
  order: Order;
  input: StartReturnInput;
  wanted: readonly WantedItem[];
  returnable: readonly ReturnableItem[];
  readBack: ReadonlyArray<Record<string, unknown>>;
  /** Effects already earned by the lookups before the request. */
  before: readonly ToolEffect[];
};

async function submitReturn(deps: StartReturnDeps, submission: Submission, context: ToolContext, deadline: LookupDeadline): Promise<ToolOutcome> {
  const { order, input, wanted, returnable, readBack, before } = submission;
  const lines = allocate(wanted, returnable, input.reason);
  const what = describeWanted(wanted);
  const escalate = (reason: 'shopify_user_error' | 'lookup_unavailable', summary: string, lead: string): ToolOutcome => {
    const { handoff, say, effect } = handOff(deps.handoff, { reason, summary, callerWants: `Return ${what} from ${order.name}` }, { nowMs: context.clock.now(), callerNumber: context.facts.callerNumber, lead });
    return { output: { status: 'not_submitted', handoff, say }, summary: `${order.name}: return not submitted (${reason}); escalated`, effects: [...before, effect] };
  };
  const cannotSubmit = "Tell the caller you couldn't submit the return yourself and that the team will sort it out.";
  if (lines === null) return escalate('shopify_user_error', `The shop's returnable quantities for ${order.name} did not cover ${what}.`, cannotSubmit);

  const created = await deadline.race(deps.orders.requestReturn({ orderId: order.id, items: lines, ...(input.note ? { note: input.note } : {}) }));
  if (!created.ok) {
    const error = created.error;
    if (error.code === 'user_error' || error.code === 'not_found') {
      return escalate('shopify_user_error', `Shopify refused the return of ${what} from ${order.name}: ${error.message}`, cannotSubmit);
    }
    // Throttled means the request was not applied, so the usual fallback and retry are safe (B4).
    if (error.code === 'throttled' || error.code === 'unauthorized') {
      const failure = lookupFailure(error, afterSuccessfulLookup(context, before), deps.handoff, `a return on ${order.name}`);
      return { ...failure, effects: [...before, ...(failure.effects ?? [])] };
    }
    // After a timeout or a server error the request may have been applied; a retry could file it twice.
    return escalate('lookup_unavailable', `The return of ${what} from ${order.name} may or may not have been created (${error.code}); please check Shopify.`, cannotSubmit);
  }
  const receipt = created.value;
  const steps = findReturnSteps(deps.knowledge);
  return {
    output: {
      status: 'return_requested',
      returnName: receipt.name.replace(/^#/, ''),
      items: readBack,
      nextSteps: steps?.text ?? null,
      canTextSteps: deps.canText && context.facts.callerNumber !== null && steps !== null,
      say: 'Tell the caller the return request is in and the team approves it, then the next steps in a sentence or two. Offer to text the steps if you can.',
    },
    summary: `${order.name}: return ${receipt.name} requested (${what})`,
    effects: [
      ...before,
      { kind: 'action', action: 'return_requested', detail: `${receipt.name}: ${what}, reason ${input.reason}` },
      { kind: 'order_discussed', name: order.name, status: 'return requested' },
    ],
  };
}

type Matched = { ok: true; items: WantedItem[] } | { ok: false; problems: Array<{ item: string; explanation: string }> };

/** The caller's items against the policy: each must be eligible and within its quantity. Ids or exact names both match. */
function matchWantedItems(order: Order, eligibility: readonly LineItemEligibility[], requested: StartReturnInput['items']): Matched {
  const quantities = new Map<string, number>();
  const problems: Array<{ item: string; explanation: string }> = [];
  for (const { item_id: ref, quantity } of requested) {
    const byId = eligibility.find((item) => item.lineItemId === ref);
    const byName = eligibility.filter((item) => item.name.toLowerCase() === ref.toLowerCase());
    const item = byId ?? (byName.length === 1 ? byName[0] : undefined);
    if (item === undefined) problems.push({ item: ref, explanation: 'Not an item of this order; use the itemId from check_return_eligibility.' });
    else quantities.set(item.lineItemId, (quantities.get(item.lineItemId) ?? 0) + quantity);
  }
  const items: WantedItem[] = [];
  for (const [lineItemId, quantity] of quantities) {
    const item = eligibility.find((candidate) => candidate.lineItemId === lineItemId);
    if (item === undefined) continue;
    if (!item.eligible) problems.push({ item: item.name, explanation: item.explanation });
    else if (quantity > item.maxQuantity) problems.push({ item: item.name, explanation: item.explanation });
    else items.push({ item, variant: variantOf(order.lineItems.find((line) => line.id === lineItemId)), quantity });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, items };
}

// The newest delivery first: it is the one still inside the return window.
function allocate(wanted: readonly WantedItem[], returnable: readonly ReturnableItem[], reason: StartReturnInput['reason']): ReturnItemRequest[] | null {
  const lines: ReturnItemRequest[] = [];
  for (const { item, quantity } of wanted) {
    let left = quantity;
    const sources = returnable
      .filter((entry) => entry.lineItemId === item.lineItemId && entry.returnableQuantity > 0)
      .toSorted((a, b) => (b.deliveredAt ?? '').localeCompare(a.deliveredAt ?? ''));
    for (const source of sources) {
      if (left === 0) break;
      const take = Math.min(left, source.returnableQuantity);
      lines.push({ fulfillmentLineItemId: source.fulfillmentLineItemId, quantity: take, reason });
      left -= take;
    }
    if (left > 0) return null;
  }
  return lines;
}

function describeWanted(items: readonly WantedItem[]): string {
  return items.map(({ item, variant, quantity }) => `${quantity} × ${item.name}${variant === null ? '' : ` (${variant})`}`).join(', ');
}
