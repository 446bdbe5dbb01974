// Bounds the shop lookups of one tool run and turns a shop that is slow, throttled or down into a spoken fallback,
// then, when it happens again in a row, an escalation (lookup_unavailable). It never retries: the adapter does (B4).
import type { CommerceError } from '../../commerce/order-lookup.ts';
import type { Clock } from '../../shared/clock.ts';
import { err, type Result } from '../../shared/result.ts';
import type { ToolContext, ToolOutcome } from '../tool-registry.ts';
import { handOff, type HandoffPolicy } from './hand-off.ts';

/** A shop lookup tool's time limit in the registry. */
export const LOOKUP_TIMEOUT_MS = 3000;
/**
 * The tool's own limit on its shop calls, short of the registry's, so a slow shop still ends in a fallback with
 * its `lookup_failed` effect rather than a bare registry timeout, which applies no effects.
 */
export const LOOKUP_DEADLINE_MS = 2600;
/** Lookups say a short filler line when they take longer than this (issue 3, Tools). */
export const LOOKUP_FILLER_AFTER_MS = 600;

export const UNAVAILABLE_LINE = "I'm having trouble pulling that up right now.";

/** One deadline shared by every shop call of a tool run. */
export class LookupDeadline {
  readonly #clock: Clock;
  readonly #endsAtMs: number;

  constructor(clock: Clock, budgetMs: number) {
    this.#clock = clock;
    this.#endsAtMs = clock.monotonicMs() + budgetMs;
  }

  /** The work's answer, or `timeout` once the deadline passes; the work itself is left to finish on its own. */
  race<T>(work: Promise<Result<T, CommerceError>>): Promise<Result<T, CommerceError>> {
    const remainingMs = this.#endsAtMs - this.#clock.monotonicMs();
    if (remainingMs <= 0) return Promise.resolve(err({ code: 'timeout', message: 'lookup deadline passed' }));
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => resolve(err({ code: 'timeout', message: 'lookup deadline passed' })), remainingMs);
      void work.then(
        (result) => {
          timer.cancel();
          resolve(result);
        },
        (error: unknown) => {
          timer.cancel();
          resolve(err({ code: 'unavailable', message: 'lookup failed unexpectedly', cause: error }));
        },
      );
    });
  }
}

/**
 * The first failure: the fallback line and a `lookup_failed` effect. A failure right after another one: an
 * escalation with reason `lookup_unavailable`. Not an error outcome, since the registry drops an error's effects.
 */
export function lookupFailure(error: CommerceError, context: ToolContext, handoff: HandoffPolicy, what: string): ToolOutcome {
  context.log.info({ code: error.code, what }, 'tool.lookup.failed');
  if (context.facts.lookupFailuresInARow >= 1) {
    const { handoff: how, say, effect } = handOff(
      handoff,
      { reason: 'lookup_unavailable', summary: `Could not look up ${what}: the store's order system kept failing (${error.code}).`, callerWants: null },
      { nowMs: context.clock.now(), callerNumber: context.facts.callerNumber, lead: "Tell the caller you still can't pull that up, so you're passing it to the team." },
    );
    return { output: { status: 'unavailable', handoff: how, say }, summary: `shop ${error.code} again; escalated`, effects: [effect] };
  }
  return { output: { status: 'unavailable', say: UNAVAILABLE_LINE }, summary: `shop ${error.code}`, effects: [{ kind: 'lookup_failed' }] };
}

/** The context for a failure that follows a lookup which succeeded in the same run: the failures are no longer in a row. */
export function afterSuccessfulLookup(context: ToolContext, effects: readonly { kind: string }[]): ToolContext {
  const hasSucceeded = effects.some((effect) => effect.kind === 'lookup_succeeded');
  return hasSucceeded ? { ...context, facts: { ...context.facts, lookupFailuresInARow: 0 } } : context;
}
