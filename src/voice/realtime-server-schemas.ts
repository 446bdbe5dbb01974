// Zod schemas that read each OpenAI Realtime server event (GA) and map it to our camelCase union.
// Only the fields we use are checked, so added vendor fields never break a call. Sections are openai-realtime.md's.
import { z } from 'zod';
import type {
  ItemRole,
  ItemStatus,
  ItemType,
  RealtimeServerEvent,
  ResponseStatus,
} from './realtime-server-event.ts';
import { responseUsageSchema, transcriptionUsageSchema } from './realtime-usage-schemas.ts';

type EventSchema = z.ZodType<RealtimeServerEvent>;

const optionalString = z.string().nullish();

// 4.1 Session.
const sessionCreated = z
  .object({ session: z.object({ id: z.string(), model: z.string() }) })
  .transform((e): RealtimeServerEvent => ({ type: 'sessionCreated', sessionId: e.session.id, model: e.session.model }));

// 4.2 Input audio buffer.
const speechStarted = z
  .object({ audio_start_ms: z.number(), item_id: z.string() })
  .transform((e): RealtimeServerEvent => ({ type: 'speechStarted', audioStartMs: e.audio_start_ms, itemId: e.item_id }));

const speechStopped = z
  .object({ audio_end_ms: z.number(), item_id: z.string() })
  .transform((e): RealtimeServerEvent => ({ type: 'speechStopped', audioEndMs: e.audio_end_ms, itemId: e.item_id }));

const inputCommitted = z.object({ item_id: z.string(), previous_item_id: optionalString }).transform(
  (e): RealtimeServerEvent => ({ type: 'inputCommitted', itemId: e.item_id, previousItemId: e.previous_item_id ?? null }),
);

const inputIdleTimeout = z
  .object({ audio_start_ms: z.number(), audio_end_ms: z.number(), item_id: z.string() })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'inputIdleTimeout',
      audioStartMs: e.audio_start_ms,
      audioEndMs: e.audio_end_ms,
      itemId: e.item_id,
    }),
  );

// 4.3 Conversation items.
const itemHeader = z.object({ id: z.string(), type: z.string(), role: optionalString, status: optionalString });

const itemLifecycle = z.object({ previous_item_id: optionalString, item: itemHeader });

function toItemSummary(e: z.output<typeof itemLifecycle>) {
  return {
    itemId: e.item.id,
    previousItemId: e.previous_item_id ?? null,
    itemType: toItemType(e.item.type),
    role: toItemRole(e.item.role),
    status: toItemStatus(e.item.status),
  };
}

const itemAdded = itemLifecycle.transform((e): RealtimeServerEvent => ({ type: 'itemAdded', ...toItemSummary(e) }));

const itemDone = itemLifecycle.transform((e): RealtimeServerEvent => ({ type: 'itemDone', ...toItemSummary(e) }));

const itemRetrieved = z
  .object({
    item: itemHeader.extend({
      content: z.array(z.object({ text: optionalString, transcript: optionalString })).nullish(),
    }),
  })
  .transform((e): RealtimeServerEvent => {
    // The retrieved item may carry audio bytes; only text survives the mapping.
    const texts = (e.item.content ?? []).flatMap((part) => {
      const text = part.text ?? part.transcript;
      return typeof text === 'string' ? [text] : [];
    });
    return {
      type: 'itemRetrieved',
      itemId: e.item.id,
      itemType: toItemType(e.item.type),
      role: toItemRole(e.item.role),
      text: texts.length > 0 ? texts.join(' ') : null,
    };
  });

const itemTruncated = z
  .object({ item_id: z.string(), content_index: z.number(), audio_end_ms: z.number() })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'itemTruncated',
      itemId: e.item_id,
      contentIndex: e.content_index,
      audioEndMs: e.audio_end_ms,
    }),
  );

const itemDeleted = z
  .object({ item_id: z.string() })
  .transform((e): RealtimeServerEvent => ({ type: 'itemDeleted', itemId: e.item_id }));

// 4.4 Input transcription.
const inputTranscriptDelta = z
  .object({ item_id: z.string(), delta: z.string().optional() })
  .transform((e): RealtimeServerEvent => ({ type: 'inputTranscriptDelta', itemId: e.item_id, delta: e.delta ?? '' }));

const inputTranscriptCompleted = z
  .object({
    item_id: z.string(),
    transcript: z.string(),
    // Usage is for metering only; an unforeseen usage shape must not cost us the transcript.
    usage: transcriptionUsageSchema.nullish().catch(null),
  })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'inputTranscriptCompleted',
      itemId: e.item_id,
      transcript: e.transcript,
      usage: e.usage ?? null,
    }),
  );

const inputTranscriptFailed = z
  .object({
    item_id: z.string(),
    error: z.object({ message: optionalString, code: optionalString, type: optionalString }).nullish(),
  })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'inputTranscriptFailed',
      itemId: e.item_id,
      message: e.error?.message ?? e.error?.code ?? e.error?.type ?? 'transcription failed',
    }),
  );

// 4.5 Response lifecycle.
const responseCreated = z
  .object({ response: z.object({ id: z.string() }) })
  .transform((e): RealtimeServerEvent => ({ type: 'responseCreated', responseId: e.response.id }));

const outputItemAdded = z
  .object({ response_id: z.string(), item: z.object({ id: z.string(), type: z.string() }) })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'outputItemAdded',
      responseId: e.response_id,
      itemId: e.item.id,
      itemType: e.item.type === 'message' || e.item.type === 'function_call' ? e.item.type : 'other',
    }),
  );

// A finished function_call item is the tool request: `name` is reliable here, not on arguments.done (4.6).
const outputItemDone = z
  .object({
    response_id: z.string(),
    item: z.object({
      id: z.string(),
      type: z.string(),
      status: optionalString,
      call_id: z.string().optional(),
      name: z.string().optional(),
      arguments: z.string().optional(),
    }),
  })
  .transform((e, context): RealtimeServerEvent => {
    const { item } = e;
    if (item.type !== 'function_call') {
      const itemType = item.type === 'message' ? 'message' : 'other';
      const status = toItemStatus(item.status);
      return { type: 'outputItemDone', responseId: e.response_id, itemId: item.id, itemType, status };
    }
    if (item.call_id === undefined || item.name === undefined || item.arguments === undefined) {
      const message = 'function_call item lacks call_id, name or arguments';
      context.issues.push({ code: 'custom', message, path: ['item'], input: item });
      return z.NEVER;
    }
    return {
      type: 'functionCallRequested',
      responseId: e.response_id,
      itemId: item.id,
      callId: item.call_id,
      name: item.name,
      argumentsJson: item.arguments,
    };
  });

const audioDelta = z
  .object({ response_id: z.string(), item_id: z.string(), content_index: z.number(), delta: z.string() })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'audioDelta',
      responseId: e.response_id,
      itemId: e.item_id,
      contentIndex: e.content_index,
      audioBase64: e.delta,
    }),
  );

const audioDone = z
  .object({ response_id: z.string(), item_id: z.string(), content_index: z.number() })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'audioDone',
      responseId: e.response_id,
      itemId: e.item_id,
      contentIndex: e.content_index,
    }),
  );

const transcriptDelta = z
  .object({ response_id: z.string(), item_id: z.string(), delta: z.string() })
  .transform(
    (e): RealtimeServerEvent => ({ type: 'transcriptDelta', responseId: e.response_id, itemId: e.item_id, delta: e.delta }),
  );

const transcriptDone = z
  .object({ response_id: z.string(), item_id: z.string(), transcript: z.string() })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'transcriptDone',
      responseId: e.response_id,
      itemId: e.item_id,
      transcript: e.transcript,
    }),
  );

const RESPONSE_STATUSES: ReadonlySet<string> = new Set<ResponseStatus>(['completed', 'cancelled', 'failed', 'incomplete']);

function isResponseStatus(status: string): status is ResponseStatus {
  return RESPONSE_STATUSES.has(status);
}

const responseDone = z
  .object({
    response: z.object({
      id: z.string(),
      status: z.string(),
      status_details: z
        .object({ reason: optionalString, error: z.object({ type: optionalString, code: optionalString }).nullish() })
        .nullish(),
      output: z.array(z.object({ id: z.string() })).nullish(),
      usage: responseUsageSchema.nullish(),
    }),
  })
  .transform(({ response }): RealtimeServerEvent => {
    const details = response.status_details;
    const reason = details?.reason ?? details?.error?.code ?? details?.error?.type ?? null;
    // response.done always ends a response (4.5); an unforeseen status still ends it, reported as failed.
    const status = response.status;
    const isKnownStatus = isResponseStatus(status);
    return {
      type: 'responseDone',
      responseId: response.id,
      status: isKnownStatus ? status : 'failed',
      reason: isKnownStatus ? reason : `unexpected_status:${status}`,
      usage: response.usage ?? null,
      outputItemIds: (response.output ?? []).map((item) => item.id),
    };
  });

const rateLimits = z
  .object({
    rate_limits: z.array(
      z.object({ name: z.string(), limit: z.number(), remaining: z.number(), reset_seconds: z.number() }),
    ),
  })
  .transform(
    (e): RealtimeServerEvent => ({
      type: 'rateLimits',
      limits: e.rate_limits.map((limit) => ({
        name: limit.name,
        limit: limit.limit,
        remaining: limit.remaining,
        resetSeconds: limit.reset_seconds,
      })),
    }),
  );

// 4.9 Lenient on purpose: an error frame must reach the session even when its details are sparse.
const error = z
  .object({
    error: z.object({
      type: optionalString,
      code: optionalString,
      message: optionalString,
      param: optionalString,
      event_id: optionalString,
    }),
  })
  .transform(({ error: e }): RealtimeServerEvent => {
    const code = e.code ?? null;
    const message = e.message ?? '';
    return {
      type: 'error',
      code,
      message,
      errorType: e.type ?? 'unknown',
      param: e.param ?? null,
      clientEventId: e.event_id ?? null,
      isBenign: isBenignRealtimeError(code, message),
    };
  });

/** Races the session may ignore (6): a cancel with nothing active; a truncate past the end of a finished item. */
export function isBenignRealtimeError(code: string | null, message: string): boolean {
  if (code === 'response_cancel_not_active') return true;
  return code === 'invalid_value' && message.includes('already shorter than');
}

export const SERVER_EVENT_SCHEMAS: ReadonlyMap<string, EventSchema> = new Map<string, EventSchema>([
  ['session.created', sessionCreated],
  ['session.updated', z.object({}).transform((): RealtimeServerEvent => ({ type: 'sessionUpdated' }))],
  ['input_audio_buffer.speech_started', speechStarted],
  ['input_audio_buffer.speech_stopped', speechStopped],
  ['input_audio_buffer.committed', inputCommitted],
  ['input_audio_buffer.cleared', z.object({}).transform((): RealtimeServerEvent => ({ type: 'inputCleared' }))],
  ['input_audio_buffer.timeout_triggered', inputIdleTimeout],
  ['conversation.item.added', itemAdded],
  ['conversation.item.done', itemDone],
  ['conversation.item.retrieved', itemRetrieved],
  ['conversation.item.truncated', itemTruncated],
  ['conversation.item.deleted', itemDeleted],
  ['conversation.item.input_audio_transcription.delta', inputTranscriptDelta],
  ['conversation.item.input_audio_transcription.completed', inputTranscriptCompleted],
  ['conversation.item.input_audio_transcription.failed', inputTranscriptFailed],
  ['response.created', responseCreated],
  ['response.output_item.added', outputItemAdded],
  ['response.output_item.done', outputItemDone],
  ['response.output_audio.delta', audioDelta],
  ['response.output_audio.done', audioDone],
  ['response.output_audio_transcript.delta', transcriptDelta],
  ['response.output_audio_transcript.done', transcriptDone],
  ['response.done', responseDone],
  ['rate_limits.updated', rateLimits],
  ['error', error],
]);

// Known GA events the bridge has no use for: their data arrives elsewhere (content parts and argument deltas are
// repeated by the finished item) or never applies to a phone call over WebSocket (text mode, MCP, WebRTC/SIP, 4.5-4.8).
export const IGNORED_SERVER_EVENT_TYPES: ReadonlySet<string> = new Set([
  'conversation.created',
  'conversation.item.created',
  'conversation.item.input_audio_transcription.segment',
  'input_audio_buffer.dtmf_event_received',
  'response.content_part.added',
  'response.content_part.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'response.output_text.delta',
  'response.output_text.done',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'output_audio_buffer.cleared',
  'mcp_list_tools.in_progress',
  'mcp_list_tools.completed',
  'mcp_list_tools.failed',
  'response.mcp_call_arguments.delta',
  'response.mcp_call_arguments.done',
  'response.mcp_call.in_progress',
  'response.mcp_call.completed',
  'response.mcp_call.failed',
]);

function toItemType(type: string): ItemType {
  return type === 'message' || type === 'function_call' || type === 'function_call_output' ? type : 'other';
}

function toItemRole(role: string | null | undefined): ItemRole | null {
  return role === 'user' || role === 'assistant' || role === 'system' ? role : null;
}

function toItemStatus(status: string | null | undefined): ItemStatus | null {
  return status === 'completed' || status === 'incomplete' || status === 'in_progress' ? status : null;
}
