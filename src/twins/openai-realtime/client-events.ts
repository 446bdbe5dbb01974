// The client events of §3 as the twin accepts them: strict zod schemas, one error per rejected frame, camelCase out.
// Pure codec: text in, typed event or error body out; it never throws on wire data and keeps no state.
import { assertNever } from '../../shared/assert-never.ts';
import { z } from 'zod';
import { err, ok, type Result } from '../../shared/result.ts';
import { parseClientItem, type ClientItem, type ClientItemOrReference } from './conversation-items.ts';
import {
  audioFormatSchema,
  maxOutputTokensSchema,
  outputModalitiesSchema,
  promptSchema,
  reasoningSchema,
  sessionUpdateSchema,
  toolChoiceSchema,
  toolSchema,
  voiceSchema,
  type SessionUpdate,
} from './session-schema.ts';
import { errorFromIssues, realtimeErrors, type RealtimeErrorBody } from './wire-errors.ts';

/** A chunk may be at most 15 MiB [C] (§3). */
export const MAX_APPEND_BYTES = 15 * 1024 * 1024;

const eventId = z.string().optional();

/** Metadata follows the OpenAI convention of at most 16 string pairs [I]. */
const metadataSchema = z
  .record(z.string().max(64), z.string().max(512))
  .refine((value) => Object.keys(value).length <= 16, 'at most 16 keys')
  .nullable();

const responseParamsSchema = z.strictObject({
  instructions: z.string().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  max_output_tokens: maxOutputTokensSchema.optional(),
  output_modalities: outputModalitiesSchema.optional(),
  audio: z.strictObject({ output: z.strictObject({ format: audioFormatSchema.optional(), voice: voiceSchema.optional() }).optional() }).optional(),
  prompt: promptSchema.nullable().optional(),
  metadata: metadataSchema.optional(),
  conversation: z.enum(['auto', 'none']).optional(),
  input: z.array(z.unknown()).optional(),
  parallel_tool_calls: z.boolean().optional(),
  reasoning: reasoningSchema.optional(),
});

type ResponseParamsWire = z.infer<typeof responseParamsSchema>;
export type ResponseParams = Omit<ResponseParamsWire, 'input'> & { input?: ClientItemOrReference[] };

const schemas = {
  'session.update': z.strictObject({ type: z.literal('session.update'), event_id: eventId, session: sessionUpdateSchema }),
  'input_audio_buffer.append': z.strictObject({ type: z.literal('input_audio_buffer.append'), event_id: eventId, audio: z.base64() }),
  'input_audio_buffer.commit': z.strictObject({ type: z.literal('input_audio_buffer.commit'), event_id: eventId }),
  'input_audio_buffer.clear': z.strictObject({ type: z.literal('input_audio_buffer.clear'), event_id: eventId }),
  'conversation.item.create': z.strictObject({
    type: z.literal('conversation.item.create'),
    event_id: eventId,
    previous_item_id: z.string().nullable().optional(),
    item: z.unknown(),
  }),
  // audio_end_ms must be an integer (§3).
  'conversation.item.truncate': z.strictObject({
    type: z.literal('conversation.item.truncate'),
    event_id: eventId,
    item_id: z.string(),
    content_index: z.int().min(0),
    audio_end_ms: z.int().min(0),
  }),
  'conversation.item.delete': z.strictObject({ type: z.literal('conversation.item.delete'), event_id: eventId, item_id: z.string() }),
  'conversation.item.retrieve': z.strictObject({ type: z.literal('conversation.item.retrieve'), event_id: eventId, item_id: z.string() }),
  'response.create': z.strictObject({ type: z.literal('response.create'), event_id: eventId, response: responseParamsSchema.optional() }),
  'response.cancel': z.strictObject({ type: z.literal('response.cancel'), event_id: eventId, response_id: z.string().optional() }),
  // A live probe listed `session.close` among accepted types [F] (§3).
  'session.close': z.strictObject({ type: z.literal('session.close'), event_id: eventId }),
};

/** `output_audio_buffer.clear` is WebRTC/SIP only and was not accepted on a WebSocket session [F] (§3). */
export const CLIENT_EVENT_TYPES = Object.keys(schemas);

export type ClientEvent =
  | { type: 'session.update'; eventId: string | undefined; session: SessionUpdate }
  | { type: 'input_audio_buffer.append'; eventId: string | undefined; audio: Buffer }
  | { type: 'input_audio_buffer.commit' | 'input_audio_buffer.clear' | 'session.close'; eventId: string | undefined }
  | { type: 'conversation.item.create'; eventId: string | undefined; previousItemId: string | null | undefined; item: ClientItem }
  | { type: 'conversation.item.truncate'; eventId: string | undefined; itemId: string; contentIndex: number; audioEndMs: number }
  | { type: 'conversation.item.delete' | 'conversation.item.retrieve'; eventId: string | undefined; itemId: string }
  | { type: 'response.create'; eventId: string | undefined; response: ResponseParams }
  | { type: 'response.cancel'; eventId: string | undefined; responseId: string | undefined };

export type ClientEventRejection = { eventId: string | undefined; error: RealtimeErrorBody };

const envelopeSchema = z.looseObject({ type: z.string(), event_id: z.string().optional() });

function isKnownType(type: string): type is keyof typeof schemas {
  return Object.hasOwn(schemas, type);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses one text frame. `json` is the parsed payload even when the event is rejected, for inspection. */
export function parseClientEvent(text: string): { json: unknown; result: Result<ClientEvent, ClientEventRejection> } {
  const json = parseJson(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { json, result: err({ eventId: undefined, error: realtimeErrors.invalidJson() }) };
  }
  return { json, result: parseClientObject(json) };
}

function parseClientObject(json: object): Result<ClientEvent, ClientEventRejection> {
  const envelope = envelopeSchema.safeParse(json);
  const id = typeof Reflect.get(json, 'event_id') === 'string' ? String(Reflect.get(json, 'event_id')) : undefined;
  const reject = (error: RealtimeErrorBody) => err({ eventId: id, error });
  if (!envelope.success) return reject(errorFromIssues(envelope.error.issues, json));
  const type = envelope.data.type;
  if (!isKnownType(type)) return reject(realtimeErrors.unknownEventType(type, CLIENT_EVENT_TYPES));
  const parsed = schemas[type].safeParse(json);
  if (!parsed.success) return reject(errorFromIssues(parsed.error.issues, json));
  const event = parsed.data;
  switch (event.type) {
    case 'session.update':
      return ok({ type: event.type, eventId: event.event_id, session: event.session });
    case 'input_audio_buffer.append': {
      const audio = Buffer.from(event.audio, 'base64');
      if (audio.length > MAX_APPEND_BYTES) return reject(realtimeErrors.invalidValue('audio', 'Audio chunk exceeds the maximum of 15 MiB.'));
      return ok({ type: event.type, eventId: event.event_id, audio });
    }
    case 'input_audio_buffer.commit':
    case 'input_audio_buffer.clear':
    case 'session.close':
      return ok({ type: event.type, eventId: event.event_id });
    case 'conversation.item.create': {
      const item = parseClientItem(event.item, ['item']);
      if (!item.ok) return reject(item.error);
      if (item.value.type === 'item_reference') return reject(realtimeErrors.invalidValue('item.type', "Invalid value: 'item_reference'."));
      return ok({ type: event.type, eventId: event.event_id, previousItemId: event.previous_item_id, item: item.value });
    }
    case 'conversation.item.truncate':
      return ok({ type: event.type, eventId: event.event_id, itemId: event.item_id, contentIndex: event.content_index, audioEndMs: event.audio_end_ms });
    case 'conversation.item.delete':
    case 'conversation.item.retrieve':
      return ok({ type: event.type, eventId: event.event_id, itemId: event.item_id });
    case 'response.create': {
      const { input, ...rest } = event.response ?? {};
      if (input === undefined) return ok({ type: event.type, eventId: event.event_id, response: rest });
      const items: ClientItemOrReference[] = [];
      for (const [index, raw] of input.entries()) {
        const item = parseClientItem(raw, ['response', 'input', index], true);
        if (!item.ok) return reject(item.error);
        items.push(item.value);
      }
      return ok({ type: event.type, eventId: event.event_id, response: { ...rest, input: items } });
    }
    case 'response.cancel':
      return ok({ type: event.type, eventId: event.event_id, responseId: event.response_id });
    default:
      return assertNever(event, 'client event');
  }
}
