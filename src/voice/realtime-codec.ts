// Pure codec for the OpenAI Realtime WebSocket protocol, GA only: server frames in, client frames out.
// No sockets, clocks or logs; never throws on wire data. Sections cited are in openai-realtime.md.
import type {
  ConversationItemCreateEvent,
  ConversationItemDeleteEvent,
  ConversationItemRetrieveEvent,
  ConversationItemTruncateEvent,
  InputAudioBufferCommitEvent,
  RealtimeAudioConfigInput,
  RealtimeSessionCreateRequest,
  ResponseCancelEvent,
  ResponseCreateEvent,
} from 'openai/resources/realtime/realtime';
import { assertNever } from '../shared/assert-never.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { RealtimeCodecErrorCode, type RealtimeCodecError } from './errors.ts';
import type { RealtimeServerEvent } from './realtime-server-event.ts';
import { IGNORED_SERVER_EVENT_TYPES, SERVER_EVENT_SCHEMAS } from './realtime-server-schemas.ts';
import type { RealtimeSessionConfig, RealtimeToolChoice, TurnDetectionConfig } from './session-config.ts';

/** Parses one text frame from the Realtime server into our event union. */
export function parseRealtimeEvent(text: string): Result<RealtimeServerEvent, RealtimeCodecError> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err({ code: RealtimeCodecErrorCode.invalidJson, rawType: null, message: 'frame is not JSON' });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('type' in raw)) {
    return err({ code: RealtimeCodecErrorCode.notAnEvent, rawType: null, message: 'frame has no type' });
  }
  const rawType = raw.type;
  if (typeof rawType !== 'string') {
    return err({ code: RealtimeCodecErrorCode.notAnEvent, rawType: null, message: 'type is not a string' });
  }
  if (rawType === AUDIO_DELTA_TYPE) {
    const delta = readAudioDelta(raw);
    if (delta !== null) return ok(delta);
  }
  const schema = SERVER_EVENT_SCHEMAS.get(rawType);
  if (schema === undefined) {
    return ok(IGNORED_SERVER_EVENT_TYPES.has(rawType) ? { type: 'ignored', rawType } : { type: 'unknown', rawType, raw });
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  // Paths and issue codes only: values may be audio or personal data.
  const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`).join('; ');
  return err({ code: RealtimeCodecErrorCode.invalidEvent, rawType, message });
}

const AUDIO_DELTA_TYPE = 'response.output_audio.delta';

// The hot path (dozens of deltas per second per call) skips zod; a delta that fails these checks goes through the
// schema, which rejects it with a description (4.5).
function readAudioDelta(raw: object): RealtimeServerEvent | null {
  if (
    'response_id' in raw &&
    typeof raw.response_id === 'string' &&
    'item_id' in raw &&
    typeof raw.item_id === 'string' &&
    'content_index' in raw &&
    typeof raw.content_index === 'number' &&
    'delta' in raw &&
    typeof raw.delta === 'string'
  ) {
    return {
      type: 'audioDelta',
      responseId: raw.response_id,
      itemId: raw.item_id,
      contentIndex: raw.content_index,
      audioBase64: raw.delta,
    };
  }
  return null;
}

// The GA types leave out two nulls the server accepts to switch a feature off (2: noise_reduction, transcription).
type GaAudioInput = Omit<RealtimeAudioConfigInput, 'noise_reduction' | 'transcription'> & {
  noise_reduction: RealtimeAudioConfigInput.NoiseReduction | null;
  transcription: NonNullable<RealtimeAudioConfigInput['transcription']> | null;
};
type GaSession = Omit<RealtimeSessionCreateRequest, 'audio'> & {
  audio: { input: GaAudioInput; output: NonNullable<NonNullable<RealtimeSessionCreateRequest['audio']>['output']> };
};

/** The whole session on every update, so the µ-law format is re-pinned each time (2; voice-peers.md, 2). */
export function encodeSessionUpdate(session: RealtimeSessionConfig, eventId?: string): string {
  const input = session.audio.input;
  const output = session.audio.output;
  const transcription = input.transcription;
  const wire = {
    type: 'realtime',
    model: session.model,
    instructions: session.instructions,
    output_modalities: [session.outputModality],
    audio: {
      input: {
        format: { type: input.format },
        noise_reduction: input.noiseReduction === null ? null : { type: input.noiseReduction },
        transcription:
          transcription === null
            ? null
            : transcription.language === null
              ? { model: transcription.model }
              : { model: transcription.model, language: transcription.language },
        turn_detection: input.turnDetection === null ? null : encodeTurnDetection(input.turnDetection),
      },
      output: { format: { type: output.format }, voice: output.voice, speed: output.speedRatio },
    },
    // The flat GA tool shape, not Chat Completions' {function: {...}} (2).
    tools: session.tools.map((tool) => ({
      type: 'function' as const,
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
    })),
    tool_choice: session.toolChoice,
    max_output_tokens: session.maxOutputTokens,
    truncation: session.truncation,
    tracing: null,
  } satisfies GaSession;
  return JSON.stringify({ type: 'session.update', ...eventIdField(eventId), session: wire });
}

function encodeTurnDetection(turnDetection: TurnDetectionConfig) {
  switch (turnDetection.type) {
    case 'server_vad':
      return {
        type: 'server_vad',
        threshold: turnDetection.threshold,
        prefix_padding_ms: turnDetection.prefixPaddingMs,
        silence_duration_ms: turnDetection.silenceDurationMs,
        idle_timeout_ms: turnDetection.idleTimeoutMs,
        create_response: turnDetection.createResponse,
        interrupt_response: turnDetection.interruptResponse,
      } satisfies GaAudioInput['turn_detection'];
    case 'semantic_vad':
      return {
        type: 'semantic_vad',
        eagerness: turnDetection.eagerness,
        create_response: turnDetection.createResponse,
        interrupt_response: turnDetection.interruptResponse,
      } satisfies GaAudioInput['turn_detection'];
    default:
      return assertNever(turnDetection, 'turn detection');
  }
}

const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":';

/** Hot path (every 20 ms per call): one concatenation; stringifying the payload keeps any input valid JSON. */
export function encodeAppendAudio(audioBase64: string): string {
  return APPEND_PREFIX + JSON.stringify(audioBase64) + '}';
}

export function encodeCommitAudio(eventId?: string): string {
  const event = { type: 'input_audio_buffer.commit', ...eventIdField(eventId) } satisfies InputAudioBufferCommitEvent;
  return JSON.stringify(event);
}

export type ResponseCreateOptions = {
  readonly instructions?: string;
  readonly toolChoice?: RealtimeToolChoice;
  readonly metadata?: Readonly<Record<string, string>>;
  /** `none` makes an out-of-band response that is not written to the conversation (3). */
  readonly conversation?: 'auto' | 'none';
  readonly eventId?: string;
};

export function encodeResponseCreate(options: ResponseCreateOptions = {}): string {
  const response = {
    ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
    ...(options.toolChoice === undefined ? {} : { tool_choice: options.toolChoice }),
    ...(options.metadata === undefined ? {} : { metadata: { ...options.metadata } }),
    ...(options.conversation === undefined ? {} : { conversation: options.conversation }),
  };
  const event = {
    type: 'response.create',
    ...eventIdField(options.eventId),
    ...(Object.keys(response).length === 0 ? {} : { response }),
  } satisfies ResponseCreateEvent;
  return JSON.stringify(event);
}

export function encodeResponseCancel(responseId?: string, eventId?: string): string {
  const event = {
    type: 'response.cancel',
    ...eventIdField(eventId),
    ...(responseId === undefined ? {} : { response_id: responseId }),
  } satisfies ResponseCancelEvent;
  return JSON.stringify(event);
}

/** `audioEndMs` is floored to whole ms: the server wants an integer and must never get more than was heard (3). */
export function encodeTruncate(truncation: {
  readonly itemId: string;
  readonly contentIndex: number;
  readonly audioEndMs: number;
  readonly eventId?: string;
}): string {
  if (!Number.isFinite(truncation.audioEndMs)) {
    throw new RangeError(`audioEndMs must be finite, got ${truncation.audioEndMs}`);
  }
  const event = {
    type: 'conversation.item.truncate',
    ...eventIdField(truncation.eventId),
    item_id: truncation.itemId,
    content_index: truncation.contentIndex,
    audio_end_ms: Math.max(0, Math.floor(truncation.audioEndMs)),
  } satisfies ConversationItemTruncateEvent;
  return JSON.stringify(event);
}

/** The output does not start a response by itself; send response.create after it (5). */
export function encodeFunctionCallOutput(result: {
  readonly callId: string;
  readonly output: string;
  readonly eventId?: string;
}): string {
  const event = {
    type: 'conversation.item.create',
    ...eventIdField(result.eventId),
    item: { type: 'function_call_output', call_id: result.callId, output: result.output },
  } satisfies ConversationItemCreateEvent;
  return JSON.stringify(event);
}

/** A text message, e.g. to re-seed context after a reconnect; assistant audio cannot be injected (3, 7). */
export function encodeConversationMessage(message: {
  readonly role: 'user' | 'assistant' | 'system';
  readonly text: string;
  readonly previousItemId?: string;
  readonly eventId?: string;
}): string {
  const item =
    message.role === 'assistant'
      ? { type: 'message' as const, role: message.role, content: [{ type: 'output_text' as const, text: message.text }] }
      : { type: 'message' as const, role: message.role, content: [{ type: 'input_text' as const, text: message.text }] };
  const event = {
    type: 'conversation.item.create',
    ...eventIdField(message.eventId),
    ...(message.previousItemId === undefined ? {} : { previous_item_id: message.previousItemId }),
    item,
  } satisfies ConversationItemCreateEvent;
  return JSON.stringify(event);
}

export function encodeItemRetrieve(itemId: string, eventId?: string): string {
  const event = {
    type: 'conversation.item.retrieve',
    ...eventIdField(eventId),
    item_id: itemId,
  } satisfies ConversationItemRetrieveEvent;
  return JSON.stringify(event);
}

export function encodeItemDelete(itemId: string, eventId?: string): string {
  const event = {
    type: 'conversation.item.delete',
    ...eventIdField(eventId),
    item_id: itemId,
  } satisfies ConversationItemDeleteEvent;
  return JSON.stringify(event);
}

function eventIdField(eventId: string | undefined): { event_id?: string } {
  return eventId === undefined ? {} : { event_id: eventId };
}
