// Conversation items on the wire: the shapes clients may create (strict) and the shapes the twin stores and echoes.
// Pure: schemas and a dispatcher that names the failing field (`item.content[0].type`); no connection state.
import { assertNever } from '../../shared/assert-never.ts';
import { z } from 'zod';
import { err, ok, type Result } from '../../shared/result.ts';
import { errorFromIssues, formatPath, realtimeErrors, type RealtimeErrorBody } from './wire-errors.ts';

export type ItemStatus = 'completed' | 'incomplete' | 'in_progress';

export type WireContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_audio'; transcript: string | null; audio?: string }
  | { type: 'input_image'; image_url: string; detail?: 'auto' | 'low' | 'high' }
  | { type: 'output_text'; text: string }
  | { type: 'output_audio'; transcript: string; audio?: string };

type ItemHead = { id: string; object: 'realtime.item'; status: ItemStatus };

/** Items as `conversation.item.added/done/retrieved` and `response.output_item.*` carry them (§4.3, §4.6). */
export type WireItem =
  | (ItemHead & { type: 'message'; role: 'system' | 'user' | 'assistant'; content: WireContent[] })
  | (ItemHead & { type: 'function_call'; call_id: string; name: string; arguments: string })
  | (ItemHead & { type: 'function_call_output'; call_id: string; output: string });

const head = {
  id: z.string().min(1).max(64).optional(),
  object: z.literal('realtime.item').optional(),
  status: z.enum(['completed', 'incomplete', 'in_progress']).optional(),
};

const inputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const inputAudio = z.strictObject({ type: z.literal('input_audio'), audio: z.base64().optional(), transcript: z.string().nullable().optional() });
const inputImage = z.strictObject({ type: z.literal('input_image'), image_url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() });

/** Content types by role: system `input_text`; user text, audio, image; assistant `output_text` only, no audio [C] (§3). */
const itemSchemas = {
  system: z.strictObject({ ...head, type: z.literal('message'), role: z.literal('system'), content: z.array(z.discriminatedUnion('type', [inputText])) }),
  user: z.strictObject({ ...head, type: z.literal('message'), role: z.literal('user'), content: z.array(z.discriminatedUnion('type', [inputText, inputAudio, inputImage])) }),
  assistant: z.strictObject({
    ...head,
    type: z.literal('message'),
    role: z.literal('assistant'),
    content: z.array(z.discriminatedUnion('type', [z.strictObject({ type: z.literal('output_text'), text: z.string() })])),
  }),
  function_call: z.strictObject({ ...head, type: z.literal('function_call'), call_id: z.string().min(1), name: z.string().min(1), arguments: z.string() }),
  function_call_output: z.strictObject({ ...head, type: z.literal('function_call_output'), call_id: z.string().min(1), output: z.string() }),
  item_reference: z.strictObject({ type: z.literal('item_reference'), id: z.string().min(1) }),
};

export type ClientItem =
  | z.infer<(typeof itemSchemas)['system']>
  | z.infer<(typeof itemSchemas)['user']>
  | z.infer<(typeof itemSchemas)['assistant']>
  | z.infer<(typeof itemSchemas)['function_call']>
  | z.infer<(typeof itemSchemas)['function_call_output']>;

export type ClientItemOrReference = ClientItem | z.infer<(typeof itemSchemas)['item_reference']>;

const ITEM_TYPES = ['message', 'function_call', 'function_call_output'] as const;
const itemTypeHead = z.looseObject({ type: z.enum([...ITEM_TYPES, 'item_reference']) });
const roleHead = z.looseObject({ role: z.enum(['system', 'user', 'assistant']) });

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, prefix: readonly PropertyKey[]): Result<T, RealtimeErrorBody> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : err(errorFromIssues(parsed.error.issues, raw, prefix));
}

/** Parses one client item; `allowReference` admits `{type:"item_reference"}` as in `response.create` `input`. */
export function parseClientItem(raw: unknown, prefix: readonly PropertyKey[], allowReference = false): Result<ClientItemOrReference, RealtimeErrorBody> {
  const typeHead = parseWith(itemTypeHead, raw, prefix);
  if (!typeHead.ok) return typeHead;
  if (typeHead.value.type === 'item_reference' && !allowReference) {
    return err(realtimeErrors.invalidValue(formatPath([...prefix, 'type']), `Invalid value: 'item_reference'. Supported values are: ${ITEM_TYPES.map((type) => `'${type}'`).join(', ')}.`));
  }
  switch (typeHead.value.type) {
    case 'function_call':
      return parseWith(itemSchemas.function_call, raw, prefix);
    case 'function_call_output':
      return parseWith(itemSchemas.function_call_output, raw, prefix);
    case 'item_reference':
      return parseWith(itemSchemas.item_reference, raw, prefix);
    case 'message': {
      const role = parseWith(roleHead, raw, prefix);
      if (!role.ok) return role;
      switch (role.value.role) {
        case 'system':
          return parseWith(itemSchemas.system, raw, prefix);
        case 'user':
          return parseWith(itemSchemas.user, raw, prefix);
        case 'assistant':
          return parseWith(itemSchemas.assistant, raw, prefix);
        default:
          return assertNever(role.value.role, 'message role');
      }
    }
    default:
      return assertNever(typeHead.value.type, 'item type');
  }
}
