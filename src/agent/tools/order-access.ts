// Finds the order a caller names and decides, through the verification policy, whether anything about it may be
// said. Shared by the order tools; it returns the order only when access is granted, never to a refused caller.
import type { CommerceError, Order, OrderLookup } from '../../commerce/order-lookup.ts';
import { assertNever } from '../../shared/assert-never.ts';
import { parseOrderNumber } from '../../commerce/order-number.ts';
import type { CallerPrefetch } from '../caller-prefetch.ts';
import { toVerifiableOrder } from '../order-facts.ts';
import { nextVerification, type VerifiableOrder, type VerificationAsk, type VerificationState } from '../policies/verification.ts';
import type { ToolContext, ToolEffect } from '../tool-registry.ts';
import { handOff, type HandoffPolicy } from './hand-off.ts';
import { lookupFailure, type LookupDeadline } from './lookup-guard.ts';

export type OrderAccessDeps = { orders: OrderLookup; prefetch: CallerPrefetch; handoff: HandoffPolicy };

/** What the caller offered to prove the order is theirs. */
export type OrderProof = { email?: string | undefined; postalCode?: string | undefined };

export type OrderAccess =
  | { kind: 'granted'; order: Order; effects: ToolEffect[] }
  | { kind: 'refused'; output: Record<string, unknown>; summary: string; effects: ToolEffect[] };

export type AccessDecision =
  | { kind: 'granted'; state: VerificationState }
  | { kind: 'ask'; state: VerificationState; ask: VerificationAsk; isMismatch: boolean; attemptsLeft: number }
  | { kind: 'not_found' }
  | { kind: 'locked_out'; state: VerificationState };

/**
 * The verification policy applied to one request: a verified order stays verified; caller ID is tried before the
 * caller's details; with no details the caller is asked for them. An order number that finds nothing with details
 * given counts as a failed attempt and answers like a mismatch, so guessing reveals nothing.
 */
export function decideAccess(
  state: VerificationState,
  callerNumber: string | null,
  orderNumber: string,
  order: VerifiableOrder | null,
  proof: OrderProof,
): AccessDecision {
  if (order !== null) {
    const byCallerId = nextVerification(state, { kind: 'caller_id', callerPhone: callerNumber, order });
    if (byCallerId.decision === 'verified') return { kind: 'granted', state: byCallerId.state };
    if (byCallerId.decision === 'escalate') return { kind: 'locked_out', state: byCallerId.state };
  }
  const hasProof = isGiven(proof.email) || isGiven(proof.postalCode);
  if (!hasProof) {
    if (state.isLockedOut) return { kind: 'locked_out', state };
    if (order === null) return { kind: 'not_found' };
  }
  const step = nextVerification(state, { kind: 'order_details', orderNumber, email: proof.email ?? null, postalCode: proof.postalCode ?? null, order });
  switch (step.decision) {
    case 'verified':
      return { kind: 'granted', state: step.state };
    case 'escalate':
      return { kind: 'locked_out', state: step.state };
    case 'ask_again':
      return { kind: 'ask', state: step.state, ask: step.ask, isMismatch: step.why === 'details_mismatch', attemptsLeft: step.attemptsLeft };
    default:
      return assertNever(step, 'verification step');
  }
}

/** Looks the order up (the call's prefetched orders first) and applies {@link decideAccess}. */
export async function accessOrder(
  deps: OrderAccessDeps,
  request: { orderNumber: string; proof: OrderProof },
  context: ToolContext,
  deadline: LookupDeadline,
): Promise<OrderAccess> {
  const name = parseOrderNumber(request.orderNumber);
  if (name === null) {
    return refuse({ status: 'not_found', ask: 'order_number', say: 'That did not sound like an order number. Ask the caller to say it again or key it in, then press pound.' }, 'no order number heard');
  }
  const spokenName = name.replace(/^#/, '');
  const found = await findOrder(deps, name, context, deadline);
  if (!found.ok) {
    const failure = lookupFailure(found.error, context, deps.handoff, `order ${name}`);
    return refuse(failure.output, failure.summary, [...(failure.effects ?? [])]);
  }
  const order = found.value;
  const succeeded: ToolEffect[] = found.isFromShop ? [{ kind: 'lookup_succeeded' }] : [];
  const state = context.facts.verification;
  const decision = decideAccess(state, context.facts.callerNumber, name, order === null ? null : toVerifiableOrder(order), request.proof);
  const notFound = (): OrderAccess =>
    refuse(
      { status: 'not_found', orderNumber: spokenName, say: 'No order has that number. Read the number back to the caller and ask them to check it.' },
      `no order ${name}`,
      succeeded,
    );
  const remember = (next: VerificationState): ToolEffect[] => (next === state ? [] : [{ kind: 'verification', state: next }]);
  switch (decision.kind) {
    case 'granted':
      // Only a found order can be verified; the check keeps the type honest.
      return order === null ? notFound() : { kind: 'granted', order, effects: [...succeeded, ...remember(decision.state), identified(order, decision.state)] };
    case 'not_found':
      return notFound();
    case 'ask':
      return refuse(
        decision.isMismatch
          ? {
              status: 'needs_verification',
              ask: decision.ask,
              attemptsLeft: decision.attemptsLeft,
              say: "Those details don't match our records. Ask the caller to check the order number and the email or postal code on the order; don't say which part was wrong.",
            }
          : { status: 'needs_verification', ask: decision.ask, say: 'Ask for the email address or the postal code on the order, then try again with it.' },
        decision.isMismatch ? `details did not match ${name} (${decision.attemptsLeft} attempts left)` : `asked to verify ${name}`,
        [...succeeded, ...remember(decision.state)],
      );
    case 'locked_out': {
      const { handoff, say, effect } = handOff(
        deps.handoff,
        { reason: 'verification_failed', summary: `The caller asked about order ${name} but could not confirm the order's email or postal code.`, callerWants: null },
        {
          nowMs: context.clock.now(),
          callerNumber: context.facts.callerNumber,
          lead: "Tell the caller you couldn't confirm the order details, so you can't share anything about it, and that you're passing the call to the team.",
        },
      );
      return refuse({ status: 'verification_failed', handoff, say }, `verification failed for ${name}; escalated`, [...succeeded, ...remember(decision.state), effect]);
    }
    default:
      return assertNever(decision, 'access decision');
  }
}

/** The customer behind a verified order, for the helpdesk: their name, and the order's email when it was the proof. */
function identified(order: Order, state: VerificationState): ToolEffect {
  const method = state.verified.find((entry) => entry.orderId === order.id)?.method;
  const name = [order.customer?.firstName, order.customer?.lastName].filter((part) => part).join(' ');
  return { kind: 'caller_identified', name: name === '' ? null : name, verifiedEmail: method === 'email' ? order.email : null };
}

type Found = { ok: true; value: Order | null; isFromShop: boolean } | { ok: false; error: CommerceError };

async function findOrder(deps: OrderAccessDeps, name: string, context: ToolContext, deadline: LookupDeadline): Promise<Found> {
  const prefetched = await deadline.race(deps.prefetch.prefetched(context.facts.callId, context.facts.callerNumber).then((value) => ({ ok: true as const, value })));
  const fromPrefetch = prefetched.ok ? prefetched.value?.orders.find((entry) => entry.summary.name === name)?.detail : undefined;
  if (fromPrefetch) return { ok: true, value: fromPrefetch, isFromShop: false };
  const found = await deadline.race(deps.orders.findOrderByNumber(name));
  if (found.ok) return { ok: true, value: found.value, isFromShop: true };
  if (found.error.code === 'not_found') return { ok: true, value: null, isFromShop: true };
  return { ok: false, error: found.error };
}

function refuse(output: Record<string, unknown>, summary: string, effects: ToolEffect[] = []): OrderAccess {
  return { kind: 'refused', output, summary, effects };
}

function isGiven(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
