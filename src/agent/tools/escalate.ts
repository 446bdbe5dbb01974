// Hands the call to the team: a live transfer while someone can pick up, otherwise a promised follow-up.
// The tool decides which and tells the model exactly what to say; the session carries out the hand-off.
import { z } from 'zod';
import { isEscalationReason, type EscalationReason } from '../policies/escalation-reasons.ts';
import { decideRequest } from '../policies/returns-eligibility.ts';
import { defineTool } from '../tool-registry.ts';
import { handOff, type HandoffPolicy } from './hand-off.ts';

/** Requests the agent can never grant; naming one makes the code pick the escalation reason (returns-eligibility.ts). */
export const TEAM_ONLY_REQUESTS = ['refund', 'exchange', 'address_change', 'order_change', 'cancel_order'] as const;

export function createEscalateTool(policy: HandoffPolicy) {
  const input = z.object({
    reason: z.enum(policy.reasons).describe('Why the call needs a person.'),
    summary: z.string().min(3).max(400).describe('What the caller needs and what you already checked, in one or two sentences.'),
    caller_wants: z.string().max(200).optional().describe('What the caller wants to happen next, in their terms.'),
    request: z
      .enum(TEAM_ONLY_REQUESTS)
      .optional()
      .describe('Set when the caller asks for a refund, an exchange, a cancellation, an address change or another change to an order.'),
  });
  return defineTool({
    name: 'escalate',
    description:
      'Pass the call to the support team when you cannot resolve it: the caller asks for a person, policy forbids what they ask, ' +
      'or your tools cannot answer. The result says whether to connect them now or promise a follow-up; say exactly that.',
    input,
    timeoutMs: 1000,
    async run(args, context) {
      const reason = escalationReasonFor(args.reason, args.request);
      const { handoff, say, effect } = handOff(
        policy,
        { reason, summary: args.summary, callerWants: args.caller_wants ?? null },
        { nowMs: context.clock.now(), callerNumber: context.facts.callerNumber, ...(args.request ? { lead: 'Do not promise the request; the team decides it.' } : {}) },
      );
      return { output: { handoff, say }, summary: `${handoff === 'transfer' ? 'transfer' : 'follow-up'}: ${reason}`, effects: [effect] };
    },
  });
}

// A named request decides the reason, whatever the model chose, so a refund is always filed as one.
function escalationReasonFor(reason: string, request: (typeof TEAM_ONLY_REQUESTS)[number] | undefined): EscalationReason {
  if (request !== undefined) {
    const decision = decideRequest(request);
    if (decision.action === 'escalate') return decision.reason;
  }
  return isEscalationReason(reason) ? reason : 'other';
}
