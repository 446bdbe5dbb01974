// The call's phase as a union that makes illegal states unrepresentable, changed only by nextPhase.
import { assertNever } from '../shared/assert-never.ts';
import type { CallOutcome } from '../store/call-records.ts';

export type CallExit = {
  outcome: CallOutcome;
  reason: string | null;
  summary: string | null;
  callerWants: string | null;
  /** How the line leaves us: hang up after the last words play, hand the call to a person, or let the caller go. */
  via: 'hangup' | 'transfer' | 'fallback' | 'caller_hangup' | 'stream_lost';
};

export type CallPhase =
  | { name: 'connecting' }
  | { name: 'live' }
  | { name: 'reconnecting'; sinceMs: number }
  | { name: 'leaving'; exit: CallExit }
  | { name: 'ended'; exit: CallExit };

export type CallPhaseEvent =
  | { type: 'model_ready' }
  | { type: 'model_lost'; atMs: number }
  | { type: 'leave'; exit: CallExit }
  /** The caller spoke over the goodbye: the conversation goes on. */
  | { type: 'stay' }
  | { type: 'end'; exit: CallExit };

/** Pure transition; an event that makes no sense in a phase leaves it unchanged. */
export function nextPhase(phase: CallPhase, event: CallPhaseEvent): CallPhase {
  if (phase.name === 'ended') return phase;
  switch (event.type) {
    case 'model_ready':
      return phase.name === 'connecting' || phase.name === 'reconnecting' ? { name: 'live' } : phase;
    case 'model_lost':
      return phase.name === 'live' ? { name: 'reconnecting', sinceMs: event.atMs } : phase;
    case 'leave':
      return phase.name === 'leaving' ? phase : { name: 'leaving', exit: event.exit };
    case 'stay':
      return phase.name === 'leaving' ? { name: 'live' } : phase;
    case 'end':
      return { name: 'ended', exit: phase.name === 'leaving' && event.exit.via === 'caller_hangup' ? phase.exit : event.exit };
    default:
      return assertNever(event, 'call phase event');
  }
}

export function isTakingAudio(phase: CallPhase): boolean {
  return phase.name === 'live' || phase.name === 'leaving';
}
