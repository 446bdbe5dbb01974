// The forms Twilio POSTs to our webhooks, parsed with zod into camelCase values (twilio-and-shopify.md, A1, A4).
// Pure. Unknown parameters are ignored, because Twilio adds them without notice (A1); signatures still cover them.
import { z } from 'zod';
import { err, ok, type Result } from '../shared/result.ts';

export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const DIAL_CALL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type DialCallStatus = (typeof DIAL_CALL_STATUSES)[number];

export const STREAM_EVENTS = ['stream-started', 'stream-stopped', 'stream-error'] as const;
export type StreamEvent = (typeof STREAM_EVENTS)[number];

export type IncomingCall = {
  readonly callSid: string;
  readonly accountSid: string;
  /** As Twilio sent it: E.164, `client:name`, or `anonymous`/`unknown` when caller ID is withheld (A1). */
  readonly from: string;
  /** `from` when it is an E.164 number, the only form worth looking a customer up by. */
  readonly callerNumber?: string;
  readonly to: string;
  readonly callStatus: CallStatus;
  /** `inbound`, `outbound-api`, `outbound-dial`, or another value Twilio adds. */
  readonly direction: string;
  /** Only with a paid caller-ID lookup (A1). */
  readonly callerName?: string;
  readonly forwardedFrom?: string;
};

export type CallStatusUpdate = {
  readonly callSid: string;
  readonly accountSid: string;
  readonly callStatus: CallStatus;
  readonly callDurationSeconds?: number;
  readonly recordingSid?: string;
  readonly recordingUrl?: string;
  readonly recordingDurationSeconds?: number;
};

export type RecordingStatusUpdate = {
  readonly callSid: string;
  readonly accountSid: string;
  readonly recordingSid: string;
  readonly recordingUrl: string;
  /** `completed`, `in-progress`, `absent`, or another value Twilio reports. */
  readonly recordingStatus: string;
  readonly recordingDurationSeconds?: number;
  readonly recordingChannels?: number;
  readonly recordingStartTime?: string;
  readonly recordingTrack?: string;
  readonly errorCode?: string;
};

export type DialResult = {
  readonly callSid: string;
  readonly accountSid: string;
  readonly dialCallStatus: DialCallStatus;
  readonly dialCallSid?: string;
  readonly dialCallDurationSeconds?: number;
};

export type StreamStatusUpdate = {
  readonly callSid: string;
  readonly accountSid: string;
  readonly streamSid: string;
  readonly streamName?: string;
  readonly streamEvent: StreamEvent;
  readonly streamError?: string;
  /** ISO 8601, as Twilio sent it. */
  readonly timestamp?: string;
};

/** What `<Connect action>` receives after our socket closes; the doc promises only the standard parameters (A1). */
export type ConnectEnded = { readonly callSid: string; readonly accountSid: string; readonly callStatus?: CallStatus };

/** What `<Record action>` receives when a voicemail ends; the recording itself comes on the status callback. */
export type VoicemailDone = {
  readonly callSid: string;
  readonly accountSid: string;
  readonly recordingSid?: string;
  readonly recordingDurationSeconds?: number;
  readonly digits?: string;
};

/** A signed form as @fastify/formbody hands it over: a repeated name arrives as an array. */
export const formParamsSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type FormParams = z.infer<typeof formParamsSchema>;

const sid = z.string().min(1);
const text = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));
const seconds = z
  .string()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return undefined;
    if (!/^-?\d{1,9}$/.test(value)) {
      context.addIssue({ code: 'custom', message: 'expected whole seconds' });
      return z.NEVER;
    }
    return Number(value);
  });
const E164 = /^\+[1-9]\d{5,14}$/;

const incomingCallSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  From: z.string(),
  To: z.string(),
  CallStatus: z.enum(CALL_STATUSES),
  Direction: z.string().min(1),
  CallerName: text,
  ForwardedFrom: text,
});
const callStatusSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  CallStatus: z.enum(CALL_STATUSES),
  CallDuration: seconds,
  RecordingSid: text,
  RecordingUrl: text,
  RecordingDuration: seconds,
});
const recordingStatusSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  RecordingSid: sid,
  RecordingUrl: z.string().min(1),
  RecordingStatus: z.string().min(1),
  RecordingDuration: seconds,
  RecordingChannels: seconds,
  RecordingStartTime: text,
  RecordingTrack: text,
  ErrorCode: text,
});
const dialResultSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  DialCallStatus: z.enum(DIAL_CALL_STATUSES),
  DialCallSid: text,
  DialCallDuration: seconds,
});
const streamStatusSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  StreamSid: sid,
  StreamName: text,
  StreamEvent: z.enum(STREAM_EVENTS),
  StreamError: text,
  Timestamp: text,
});
const connectEndedSchema = z.object({ CallSid: sid, AccountSid: sid, CallStatus: z.enum(CALL_STATUSES).optional() });
const voicemailDoneSchema = z.object({ CallSid: sid, AccountSid: sid, RecordingSid: text, RecordingDuration: seconds, Digits: text });

/** A form that failed its schema; names the fields, never their values (they carry phone numbers). */
export type FormProblem = { readonly fields: readonly string[] };

function parseForm<S extends z.ZodType, T>(schema: S, params: FormParams, map: (form: z.output<S>) => T): Result<T, FormProblem> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return ok(map(parsed.data));
  return err({ fields: [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(form)'))] });
}

export function parseIncomingCall(params: FormParams): Result<IncomingCall, FormProblem> {
  return parseForm(incomingCallSchema, params, (form) => ({
    callSid: form.CallSid,
    accountSid: form.AccountSid,
    from: form.From,
    callerNumber: E164.test(form.From) ? form.From : undefined,
    to: form.To,
    callStatus: form.CallStatus,
    direction: form.Direction,
    callerName: form.CallerName,
    forwardedFrom: form.ForwardedFrom,
  }));
}

export function parseCallStatusUpdate(params: FormParams): Result<CallStatusUpdate, FormProblem> {
  return parseForm(callStatusSchema, params, (form) => ({
    callSid: form.CallSid,
    accountSid: form.AccountSid,
    callStatus: form.CallStatus,
    callDurationSeconds: form.CallDuration,
    recordingSid: form.RecordingSid,
    recordingUrl: form.RecordingUrl,
    recordingDurationSeconds: form.RecordingDuration,
  }));
}

export function parseRecordingStatusUpdate(params: FormParams): Result<RecordingStatusUpdate, FormProblem> {
  return parseForm(recordingStatusSchema, params, (form) => ({
    callSid: form.CallSid,
    accountSid: form.AccountSid,
    recordingSid: form.RecordingSid,
    recordingUrl: form.RecordingUrl,
    recordingStatus: form.RecordingStatus,
    recordingDurationSeconds: form.RecordingDuration,
    recordingChannels: form.RecordingChannels,
    recordingStartTime: form.RecordingStartTime,
    recordingTrack: form.RecordingTrack,
    errorCode: form.ErrorCode,
  }));
}

export function parseDialResult(params: FormParams): Result<DialResult, FormProblem> {
  return parseForm(dialResultSchema, params, (form) => ({
    callSid: form.CallSid,
    accountSid: form.AccountSid,
    dialCallStatus: form.DialCallStatus,
    dialCallSid: form.DialCallSid,
    dialCallDurationSeconds: form.DialCallDuration,
  }));
}

export function parseStreamStatusUpdate(params: FormParams): Result<StreamStatusUpdate, FormProblem> {
  return parseForm(streamStatusSchema, params, (form) => ({
    callSid: form.CallSid,
    accountSid: form.AccountSid,
    streamSid: form.StreamSid,
    streamName: form.StreamName,
    streamEvent: form.StreamEvent,
    streamError: form.StreamError,
    timestamp: form.Timestamp,
  }));
}

export function parseConnectEnded(params: FormParams): Result<ConnectEnded, FormProblem> {
  return parseForm(connectEndedSchema, params, (form) => ({
    callSid: form.CallSid,
    accountSid: form.AccountSid,
    callStatus: form.CallStatus,
  }));
}

export function parseVoicemailDone(params: FormParams): Result<VoicemailDone, FormProblem> {
  return parseForm(voicemailDoneSchema, params, (form) => ({
    callSid: form.CallSid,
    accountSid: form.AccountSid,
    recordingSid: form.RecordingSid,
    recordingDurationSeconds: form.RecordingDuration,
    digits: form.Digits,
  }));
}
