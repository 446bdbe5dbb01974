// The GA session as the twin validates, stores and echoes it: strict zod schemas, the default session, merge rules.
// Wire spelling on purpose: this document is what `session.created` / `session.updated` carry (openai-realtime.md, §2, §4.1).
import { z } from 'zod';
import type { WireAudioFormat } from './audio-formats.ts';
import type { PlannedToolCall } from './scenario.ts';
import { realtimeErrors, type RealtimeErrorBody } from './wire-errors.ts';

export const VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'] as const;

/** GA-era and later transcription models from note B [C]; anything else is rejected as invalid_value. */
export const TRANSCRIPTION_MODELS = [
  'whisper-1',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
  'gpt-4o-transcribe-latest',
  'gpt-4o-transcribe-diarize',
  'gpt-4o-mini-transcribe-2025-12-15',
  'gpt-realtime-whisper',
  'gpt-transcribe',
  'gpt-live-transcribe',
] as const;

/** Formats are objects in GA; `{type:"g711_ulaw"}` and bare strings are rejected [C]/[F] (§2 note A). */
export const audioFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('audio/pcm'), rate: z.literal(24000).optional() }),
  z.strictObject({ type: z.literal('audio/pcmu') }),
  z.strictObject({ type: z.literal('audio/pcma') }),
]);

const serverVadSchema = z.strictObject({
  type: z.literal('server_vad'),
  threshold: z.number().min(0).max(1).optional(),
  prefix_padding_ms: z.int().min(0).optional(),
  silence_duration_ms: z.int().min(0).optional(),
  idle_timeout_ms: z.int().min(0).nullable().optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
});

const semanticVadSchema = z.strictObject({
  type: z.literal('semantic_vad'),
  eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
});

const transcriptionSchema = z.strictObject({
  model: z.enum(TRANSCRIPTION_MODELS),
  language: z.string().optional(),
  prompt: z.string().optional(),
  // Added after GA for the newer transcription models (§2 note B).
  delay: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
  keywords: z.array(z.string()).optional(),
  languages: z.array(z.string()).optional(),
});

export const voiceSchema = z.union([z.enum(VOICES), z.strictObject({ id: z.string().regex(/^voice_/) })]);

/** The flat GA tool shape; the Chat Completions `{function:{…}}` nesting is an unknown parameter [C]. */
export const functionToolSchema = z.strictObject({
  type: z.literal('function'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

// MCP tools are allowed [C] but carry many optional fields a phone bridge never uses, so only the label is checked [I].
const mcpToolSchema = z.looseObject({ type: z.literal('mcp'), server_label: z.string() });

export const toolSchema = z.discriminatedUnion('type', [functionToolSchema, mcpToolSchema]);

export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.strictObject({ type: z.literal('function'), name: z.string() }),
  z.strictObject({ type: z.literal('mcp'), server_label: z.string(), name: z.string().optional() }),
]);

export const maxOutputTokensSchema = z.union([z.int().min(1).max(4096), z.literal('inf')]);

/** "It is not possible to request both" audio and text [C]. */
export const outputModalitiesSchema = z.union([z.tuple([z.literal('audio')]), z.tuple([z.literal('text')])]);

export const promptSchema = z.strictObject({ id: z.string(), version: z.string().optional(), variables: z.record(z.string(), z.unknown()).optional() });

export const reasoningSchema = z.strictObject({ effort: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).optional() });

const tracingSchema = z.union([
  z.literal('auto'),
  z.strictObject({ workflow_name: z.string().optional(), group_id: z.string().optional(), metadata: z.record(z.string(), z.unknown()).optional() }),
]);

const truncationSchema = z.union([
  z.enum(['auto', 'disabled']),
  z.strictObject({
    type: z.literal('retention_ratio'),
    retention_ratio: z.number().min(0).max(1),
    token_limits: z.strictObject({ post_instructions: z.int().min(0).optional() }).optional(),
  }),
]);

/** Field reference (GA) of §2: every key not listed here is `unknown_parameter`. */
export const sessionUpdateSchema = z.strictObject({
  type: z.enum(['realtime', 'transcription']),
  model: z.string().optional(),
  instructions: z.string().optional(),
  output_modalities: outputModalitiesSchema.optional(),
  audio: z
    .strictObject({
      input: z
        .strictObject({
          format: audioFormatSchema.optional(),
          noise_reduction: z.strictObject({ type: z.enum(['near_field', 'far_field']) }).nullable().optional(),
          transcription: transcriptionSchema.nullable().optional(),
          turn_detection: z.discriminatedUnion('type', [serverVadSchema, semanticVadSchema]).nullable().optional(),
        })
        .optional(),
      output: z
        .strictObject({ format: audioFormatSchema.optional(), voice: voiceSchema.optional(), speed: z.number().min(0.25).max(1.5).optional() })
        .optional(),
    })
    .optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  max_output_tokens: maxOutputTokensSchema.optional(),
  truncation: truncationSchema.optional(),
  tracing: tracingSchema.nullable().optional(),
  include: z.array(z.literal('item.input_audio_transcription.logprobs')).nullable().optional(),
  prompt: promptSchema.nullable().optional(),
  // Only for reasoning models, added after GA (§2).
  reasoning: reasoningSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
});

export type SessionUpdate = z.infer<typeof sessionUpdateSchema>;
export type WireTool = z.infer<typeof toolSchema>;
export type WireToolChoice = z.infer<typeof toolChoiceSchema>;
export type WireVoice = z.infer<typeof voiceSchema>;
export type WireTranscription = z.infer<typeof transcriptionSchema>;

export type WireTurnDetection =
  | {
      type: 'server_vad';
      threshold: number;
      prefix_padding_ms: number;
      silence_duration_ms: number;
      idle_timeout_ms: number | null;
      create_response: boolean;
      interrupt_response: boolean;
    }
  | { type: 'semantic_vad'; eagerness: 'low' | 'medium' | 'high' | 'auto'; create_response: boolean; interrupt_response: boolean };

export type WireSession = {
  type: 'realtime';
  object: 'realtime.session';
  id: string;
  model: string;
  output_modalities: ['audio'] | ['text'];
  instructions: string;
  tools: WireTool[];
  tool_choice: WireToolChoice;
  max_output_tokens: number | 'inf';
  tracing: z.infer<typeof tracingSchema> | null;
  truncation: z.infer<typeof truncationSchema>;
  prompt: z.infer<typeof promptSchema> | null;
  expires_at: number;
  include: 'item.input_audio_transcription.logprobs'[] | null;
  audio: {
    input: {
      format: WireAudioFormat;
      transcription: WireTranscription | null;
      noise_reduction: { type: 'near_field' | 'far_field' } | null;
      turn_detection: WireTurnDetection | null;
    };
    output: { format: WireAudioFormat; voice: WireVoice; speed: number };
  };
  reasoning?: z.infer<typeof reasoningSchema>;
  parallel_tool_calls?: boolean;
};

/** The server's default instructions are not published; this stands in for them [I]. */
export const DEFAULT_INSTRUCTIONS = 'You are a helpful, witty, and friendly AI. Talk quickly and keep your answers short.';

/** Defaults of §4.1: PCM16 24 kHz both ways, voice alloy, server_vad with the field-observed 200 ms silence [F]/[I]. */
export function buildDefaultSession(input: { id: string; model: string; expiresAtSec: number }): WireSession {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: input.id,
    model: input.model,
    output_modalities: ['audio'],
    instructions: DEFAULT_INSTRUCTIONS,
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    expires_at: input.expiresAtSec,
    include: null,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: {
          type: 'server_vad',
          threshold: 0.5,
          prefix_padding_ms: 300,
          silence_duration_ms: 200,
          idle_timeout_ms: null,
          create_response: true,
          interrupt_response: true,
        },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy', speed: 1 },
    },
  };
}

export function normalizeFormat(format: z.infer<typeof audioFormatSchema>): WireAudioFormat {
  return format.type === 'audio/pcm' ? { type: 'audio/pcm', rate: 24000 } : format;
}

/**
 * A sent turn_detection replaces the old one whole, with the documented defaults for what it leaves out
 * (threshold 0.5, prefix 300 ms, silence 500 ms) [C]; the twin does not carry fields over from the old type [I].
 */
function withTurnDetectionDefaults(sent: NonNullable<NonNullable<NonNullable<SessionUpdate['audio']>['input']>['turn_detection']>): WireTurnDetection {
  if (sent.type === 'semantic_vad') {
    return { type: 'semantic_vad', eagerness: sent.eagerness ?? 'auto', create_response: sent.create_response ?? true, interrupt_response: sent.interrupt_response ?? true };
  }
  return {
    type: 'server_vad',
    threshold: sent.threshold ?? 0.5,
    prefix_padding_ms: sent.prefix_padding_ms ?? 300,
    silence_duration_ms: sent.silence_duration_ms ?? 500,
    idle_timeout_ms: sent.idle_timeout_ms ?? null,
    create_response: sent.create_response ?? true,
    interrupt_response: sent.interrupt_response ?? true,
  };
}

/** "Only the fields that are present in the session.update are updated" [C]; `audio.input`/`audio.output` merge per key. */
export function mergeSession(current: WireSession, update: SessionUpdate): WireSession {
  const next: WireSession = structuredClone(current);
  if (update.instructions !== undefined) next.instructions = update.instructions;
  if (update.output_modalities !== undefined) next.output_modalities = update.output_modalities;
  if (update.tools !== undefined) next.tools = update.tools;
  if (update.tool_choice !== undefined) next.tool_choice = update.tool_choice;
  if (update.max_output_tokens !== undefined) next.max_output_tokens = update.max_output_tokens;
  if (update.truncation !== undefined) next.truncation = update.truncation;
  if (update.tracing !== undefined) next.tracing = update.tracing;
  if (update.include !== undefined) next.include = update.include;
  if (update.prompt !== undefined) next.prompt = update.prompt;
  if (update.reasoning !== undefined) next.reasoning = update.reasoning;
  if (update.parallel_tool_calls !== undefined) next.parallel_tool_calls = update.parallel_tool_calls;
  const input = update.audio?.input;
  if (input?.format !== undefined) next.audio.input.format = normalizeFormat(input.format);
  if (input?.noise_reduction !== undefined) next.audio.input.noise_reduction = input.noise_reduction;
  if (input?.transcription !== undefined) next.audio.input.transcription = input.transcription;
  if (input?.turn_detection !== undefined) {
    next.audio.input.turn_detection = input.turn_detection === null ? null : withTurnDetectionDefaults(input.turn_detection);
  }
  const output = update.audio?.output;
  if (output?.format !== undefined) next.audio.output.format = normalizeFormat(output.format);
  if (output?.voice !== undefined) next.audio.output.voice = output.voice;
  if (output?.speed !== undefined) next.audio.output.speed = output.speed;
  return next;
}

const REASONING_MODEL = /^gpt-realtime-2/;

/** Rules a well-formed update can still break; any of them rejects the whole frame (§2, §9). */
export function checkSessionUpdate(current: WireSession, update: SessionUpdate, hasProducedAudio: boolean): RealtimeErrorBody | null {
  // The twin emulates `/v1/realtime?model=` sessions only; transcription sessions are out of scope [I].
  if (update.type === 'transcription') return realtimeErrors.invalidValue('session.type', "Invalid value: 'transcription'. Supported values are: 'realtime'.");
  // "model cannot be changed by session.update" [C]; resending the same model is what agents-js does.
  if (update.model !== undefined && update.model !== current.model) {
    return realtimeErrors.invalidValue('session.model', `Invalid value: '${update.model}'. The model of a session cannot be changed.`);
  }
  const voice = update.audio?.output?.voice;
  if (voice !== undefined && hasProducedAudio && JSON.stringify(voice) !== JSON.stringify(current.audio.output.voice)) {
    return realtimeErrors.cannotUpdateVoice();
  }
  // tracing "cannot be changed once set" [C]; the same value again is accepted [I].
  if (update.tracing !== undefined && current.tracing !== null && JSON.stringify(update.tracing) !== JSON.stringify(current.tracing)) {
    return realtimeErrors.invalidValue('session.tracing', 'Tracing cannot be modified once it has been set.');
  }
  // reasoning and parallel_tool_calls exist for reasoning models only (gpt-realtime-2 and later) [C].
  for (const key of ['reasoning', 'parallel_tool_calls'] as const) {
    if (update[key] !== undefined && !REASONING_MODEL.test(current.model)) {
      return realtimeErrors.invalidValue(`session.${key}`, `'session.${key}' is not supported with model ${current.model}.`);
    }
  }
  return null;
}

/** The real model only calls declared tools; a scripted call to anything else is a scenario or client bug to report. */
export function undeclaredToolCalls(plan: { label: string; toolCalls: readonly PlannedToolCall[] }, tools: readonly WireTool[], toolChoice: WireToolChoice): string[] {
  return plan.toolCalls.flatMap((call) => {
    if (!tools.some((tool) => tool.type === 'function' && tool.name === call.name)) return [`${plan.label} calls tool "${call.name}", which the session does not declare`];
    if (toolChoice === 'none') return [`${plan.label} calls tool "${call.name}" while tool_choice is "none"`];
    return [];
  });
}
