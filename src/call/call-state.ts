// What the call has learned and decided: verification, intent, orders discussed, actions, and how it should end.
// Tools report effects; this object applies them and answers with the exit the call should take.
import type { CallFacts, ToolEffect } from '../agent/tool-registry.ts';
import type { CallEnding } from '../store/call-records.ts';
import { assertNever } from '../shared/assert-never.ts';
import { initialVerificationState } from '../agent/policies/verification.ts';
import type { CallExit } from './call-phase.ts';
import type { CallIdentity } from './call-session.ts';

type Escalation = { reason: string; summary: string; callerWants: string | null; handoff: 'transfer' | 'callback' };

export class CallState {
  readonly #facts: CallFacts;
  #intent: string | null = null;
  readonly #ordersDiscussed = new Map<string, string>();
  readonly #actions: Array<{ kind: string; detail: string }> = [];
  #resolution: string | null = null;
  #callerName: string | null = null;
  #verifiedEmail: string | null = null;
  #escalation: Escalation | null = null;
  #failedResponsesInARow = 0;

  constructor(identity: CallIdentity) {
    this.#facts = { callId: identity.callId, callerNumber: identity.callerNumber, verification: initialVerificationState, lookupFailuresInARow: 0 };
  }

  facts(): CallFacts {
    return { ...this.#facts };
  }

  /** Applies one tool effect; returns the exit when the effect ends the call. */
  apply(effect: ToolEffect, isTransferAvailable: boolean): CallExit | null {
    switch (effect.kind) {
      case 'intent':
        this.#intent ??= effect.intent;
        return null;
      case 'verification':
        this.#facts.verification = effect.state;
        return null;
      case 'caller_identified':
        this.#callerName = effect.name ?? this.#callerName;
        this.#verifiedEmail = effect.verifiedEmail ?? this.#verifiedEmail;
        return null;
      case 'lookup_failed':
        this.#facts.lookupFailuresInARow++;
        return null;
      case 'lookup_succeeded':
        this.#facts.lookupFailuresInARow = 0;
        return null;
      case 'order_discussed':
        this.#ordersDiscussed.set(effect.name, effect.status);
        return null;
      case 'action':
        this.#actions.push({ kind: effect.action, detail: effect.detail });
        return null;
      case 'end_call':
        this.#resolution = effect.summary;
        return this.#escalation ? this.#escalationExit('hangup') : { outcome: 'resolved', reason: null, summary: effect.summary, callerWants: null, via: 'hangup' };
      case 'escalate': {
        const handoff = effect.handoff === 'transfer' && isTransferAvailable ? 'transfer' : 'callback';
        this.#escalation = { reason: effect.reason, summary: effect.summary, callerWants: effect.callerWants, handoff };
        // No one can take the call now: the team calls back, and the ticket says so with the number (issue 4).
        if (handoff === 'callback' && !this.#actions.some((action) => action.kind === 'callback_requested')) {
          this.#actions.push({ kind: 'callback_requested', detail: this.#facts.callerNumber ?? 'caller ID withheld: no number to call back on' });
        }
        return this.#escalationExit(handoff === 'transfer' ? 'transfer' : 'hangup');
      }
      default:
        return assertNever(effect, 'tool effect');
    }
  }

  /** The exit when the line goes away without the agent deciding: the caller hung up or the stream died. */
  exitFor(via: 'caller_hangup' | 'stream_lost'): CallExit {
    if (this.#escalation) return this.#escalationExit(via);
    if (this.#resolution) return { outcome: 'resolved', reason: null, summary: this.#resolution, callerWants: null, via };
    return { outcome: via === 'caller_hangup' ? 'abandoned' : 'failed', reason: null, summary: null, callerWants: null, via };
  }

  exitForFallback(): CallExit {
    return { outcome: 'escalated', reason: 'model_unavailable', summary: 'The voice agent was unavailable; the caller was sent to the fallback.', callerWants: null, via: 'fallback' };
  }

  exitForMaxDuration(): CallExit {
    if (this.#escalation) return this.#escalationExit('hangup');
    return { outcome: 'escalated', reason: 'max_duration', summary: this.#resolution ?? 'The call reached its time limit.', callerWants: null, via: 'hangup' };
  }

  noteFailedResponse(): number {
    return ++this.#failedResponsesInARow;
  }

  noteCompletedResponse(): void {
    this.#failedResponsesInARow = 0;
  }

  ending(exit: CallExit, endedAt: Date): CallEnding {
    return {
      endedAt,
      endedBy: exit.via,
      outcome: exit.outcome,
      reason: exit.reason,
      intent: this.#intent ?? 'other',
      summary: exit.summary,
      callerWants: exit.callerWants,
      isVerified: this.#facts.verification.verified.length > 0,
      handoff: this.#escalation?.handoff ?? null,
      details: {
        ordersDiscussed: [...this.#ordersDiscussed].map(([name, status]) => ({ name, status })),
        actions: this.#actions,
        verifiedBy: this.#facts.verification.verified.map((entry) => entry.method),
        failedVerificationAttempts: this.#facts.verification.failedAttempts,
        ...(this.#callerName ? { callerName: this.#callerName } : {}),
        ...(this.#verifiedEmail ? { verifiedEmail: this.#verifiedEmail } : {}),
      },
    };
  }

  #escalationExit(via: CallExit['via']): CallExit {
    const escalation = this.#escalation;
    if (!escalation) throw new Error('No escalation was requested');
    return { outcome: 'escalated', reason: escalation.reason, summary: escalation.summary, callerWants: escalation.callerWants, via };
  }
}
