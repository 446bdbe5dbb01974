// Hands the call to the team: a live transfer while someone can pick up, otherwise a promised follow-up.
// The tool decides which and tells the model exactly what to say; the session carries out the hand-off.
import { z } from 'zod';
import { defineTool } from '../tool-registry.ts';

export type HandoffPolicy = {
  /** Escalation reasons the model may give. */
  reasons: readonly [string, ...string[]];
  /** True when a person can take the call right now (business hours and a transfer number). */
  canTransferNow(nowMs: number): boolean;
  /** When the team will follow up, in the caller's terms ("tomorrow morning after 9"). */
  followUpPhrase(nowMs: number): string;
};

export function createEscalateTool(policy: HandoffPolicy) {
  const input = z.object({
    reason: z.enum(policy.reasons).describe('Why the call needs a person.'),
    summary: z.string().min(3).max(400).describe('What the caller needs and what you already checked, in one or two sentences.'),
    caller_wants: z.string().max(200).optional().describe('What the caller wants to happen next, in their terms.'),
  });
  return defineTool({
    name: 'escalate',
    description:
      'Pass the call to the support team when you cannot resolve it: the caller asks for a person, policy forbids what they ask, ' +
      'or your tools cannot answer. The result says whether to connect them now or promise a follow-up; say exactly that.',
    input,
    timeoutMs: 1000,
    async run(args, context) {
      const nowMs = context.clock.now();
      const isTransfer = policy.canTransferNow(nowMs);
      const callerWants = args.caller_wants ?? null;
      const effects = [{ kind: 'escalate' as const, reason: args.reason, summary: args.summary, callerWants, handoff: isTransfer ? ('transfer' as const) : ('callback' as const) }];
      if (isTransfer) {
        return {
          output: { handoff: 'transfer', say: 'Tell the caller you are connecting them to a teammate now and that they have the details. Then stop talking.' },
          summary: `transfer: ${args.reason}`,
          effects,
        };
      }
      const followUp = policy.followUpPhrase(nowMs);
      return {
        output: {
          handoff: 'follow_up',
          say: `Tell the caller the team is not available right now, that you have passed on everything, and that someone will follow up ${followUp} at the number they called from. Then say goodbye.`,
        },
        summary: `follow-up: ${args.reason}`,
        effects,
      };
    },
  });
}
