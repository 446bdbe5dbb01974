// What the escalation reads from `calls.details`: the orders discussed, the actions taken, and the caller's identity.
// The call session writes `details` in exactly this shape when it records the outcome.
import { z } from 'zod';

/** Action kinds the note labels by name; another kind is shown as written. */
export const EscalationActionKind = {
  returnRequested: 'return_requested',
  smsSent: 'sms_sent',
  callbackRequested: 'callback_requested',
  transferAttempted: 'transfer_attempted',
  voicemailLeft: 'voicemail_left',
} as const;
export type EscalationActionKind = (typeof EscalationActionKind)[keyof typeof EscalationActionKind];

export const escalationDetailsSchema = z.object({
  /** Orders the caller and the agent talked about, by display name (`#1001`), with the status the agent saw. */
  ordersDiscussed: z.array(z.object({ name: z.string().min(1), status: z.string().min(1) })).default([]),
  /** What the agent did, e.g. `{ kind: 'return_requested', detail: '#1001: 1 × Linen shirt' }`. */
  actions: z.array(z.object({ kind: z.string().min(1), detail: z.string().default('') })).default([]),
  /** How the caller was verified (`caller_id`, `email`, `postal_code`), shown beside "Identity verified". */
  verifiedBy: z.array(z.string().min(1)).default([]),
  /** The caller's name as given on the call or on the matched order. */
  callerName: z.string().min(1).optional(),
  /** Set only when verification tied the caller to the order holding this email. */
  verifiedEmail: z.email().optional(),
});
export type EscalationDetails = z.output<typeof escalationDetailsSchema>;
/** What the call session writes; fields with defaults may be left out. */
export type EscalationDetailsInput = z.input<typeof escalationDetailsSchema>;
