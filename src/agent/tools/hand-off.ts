// Turns a decision to escalate into what the session applies and what the model says: a live transfer while
// someone can pick up, otherwise a promised follow-up. Every tool that escalates goes through here.
import type { EscalationReason } from '../policies/escalation-reasons.ts';
import type { ToolEffect } from '../tool-registry.ts';

export type HandoffPolicy = {
  /** Escalation reasons the model may give. */
  reasons: readonly [string, ...string[]];
  /** True when a person can take the call right now (business hours and a transfer number). */
  canTransferNow(nowMs: number): boolean;
  /** When the team will follow up, in the caller's terms ("tomorrow morning after 9"). */
  followUpPhrase(nowMs: number): string;
};

export type Escalation = { reason: EscalationReason; summary: string; callerWants: string | null };

export type HandOff = {
  handoff: 'transfer' | 'follow_up';
  /** What the model says next; `lead` (if any) comes first. */
  say: string;
  effect: Extract<ToolEffect, { kind: 'escalate' }>;
};

export type HandOffContext = {
  nowMs: number;
  /** The caller's number, or null when caller ID was withheld and the team cannot call back on it. */
  callerNumber: string | null;
  /** Said before the hand-off, such as what the tool found. */
  lead?: string;
};

export function handOff(policy: HandoffPolicy, escalation: Escalation, context: HandOffContext): HandOff {
  const { nowMs, lead } = context;
  const isTransfer = policy.canTransferNow(nowMs);
  const where = context.callerNumber === null ? '' : ' at the number they called from';
  const effect = { kind: 'escalate' as const, ...escalation, handoff: isTransfer ? ('transfer' as const) : ('callback' as const) };
  const next = isTransfer
    ? 'Tell the caller you are connecting them to a teammate now and that they have the details. Then stop talking.'
    : `Tell the caller the team is not available right now, that you have passed on everything, and that someone will follow up ${policy.followUpPhrase(nowMs)}${where}. Then say goodbye.`;
  return { handoff: isTransfer ? 'transfer' : 'follow_up', say: lead ? `${lead} ${next}` : next, effect };
}
