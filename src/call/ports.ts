// The small ports the call session depends on, named for what a call needs; app.ts supplies the adapters.
import type { Result } from '../shared/result.ts';
import type { CallEnding, CallEventRecord, HandoffResult, ToolCallRecord, TurnRecord, UsageRecord } from '../store/call-records.ts';

export interface CallRecorder {
  markLive(callId: string, streamSid: string, answeredAt: Date): Promise<void>;
  appendTurn(callId: string, turn: TurnRecord): Promise<void>;
  recordUsage(callId: string, usage: UsageRecord): Promise<void>;
  recordToolCall(callId: string, call: ToolCallRecord): Promise<void>;
  recordEvent(callId: string, event: CallEventRecord): Promise<void>;
  /** Stores the outcome; the adapter writes any escalation job in the same transaction. */
  recordOutcome(callId: string, ending: CallEnding): Promise<unknown>;
}

/** Where the desk stores what Twilio reports after the call left the agent (dial result, voicemail, recording). */
export interface HandoffRecorder {
  /** Stores the result; the adapter writes any ticket note job in the same transaction. */
  recordHandoff(callSid: string, result: HandoffResult): Promise<unknown>;
}

export type CallControlFailure = { code: string };

export interface CallControlPort {
  redirect(callSid: string, twiml: string): Promise<Result<unknown, CallControlFailure>>;
  hangUp(callSid: string): Promise<Result<unknown, CallControlFailure>>;
}
