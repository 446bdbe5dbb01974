// The live calls the REST twin can reach by CallSid. It holds handles, never call logic: the caller twin
// implements `RegisteredCall`, the REST twin only reads snapshots and asks for redirects, hang-ups and recordings.
import type { CallStatus } from './call-params.ts';

export type CallSnapshot = {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly status: CallStatus;
  readonly createdAtMs: number;
  readonly answeredAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
  readonly callerName: string | undefined;
  readonly forwardedFrom: string | undefined;
};

export type CallRedirect =
  | { readonly kind: 'twiml'; readonly twiml: string }
  | { readonly kind: 'url'; readonly url: string; readonly method: 'GET' | 'POST' };

export type RecordingRequest = {
  readonly channels: 'mono' | 'dual';
  readonly track: 'inbound' | 'outbound' | 'both';
  readonly trim: 'trim-silence' | 'do-not-trim';
  readonly statusCallback: string | undefined;
  readonly statusCallbackMethod: 'GET' | 'POST';
  readonly source: 'StartCallRecordingAPI' | 'StartCallRecordingTwiML';
};

export type RecordingSnapshot = RecordingRequest & {
  readonly sid: string;
  readonly callSid: string;
  readonly startedAtMs: number;
  readonly status: 'in-progress' | 'completed';
  readonly durationS: number | undefined;
};

export interface RegisteredCall {
  readonly callSid: string;
  snapshot(): CallSnapshot;
  /** Replaces the running TwiML: a live stream gets `stop` and closes (A4). */
  redirect(redirect: CallRedirect): void;
  /** `Status=completed`: hang up (stop + close). */
  completeByRest(): void;
  startRecording(request: RecordingRequest): RecordingSnapshot;
  recordings(): readonly RecordingSnapshot[];
}

export class CallRegistry {
  readonly #calls = new Map<string, RegisteredCall>();

  add(call: RegisteredCall): void {
    this.#calls.set(call.callSid, call);
  }

  get(callSid: string): RegisteredCall | undefined {
    return this.#calls.get(callSid);
  }

  list(): RegisteredCall[] {
    return [...this.#calls.values()];
  }
}
