// Our session configuration for the Realtime model and the one builder of it for phone calls (µ-law both ways).
// Pure: realtime-codec.ts turns it into the GA `session.update` wire shape (openai-realtime.md, 2).

export type NoiseReduction = 'near_field' | 'far_field';

export type SemanticVadEagerness = 'low' | 'medium' | 'high' | 'auto';

export type TurnDetectionConfig =
  | {
      readonly type: 'server_vad';
      readonly threshold: number;
      readonly prefixPaddingMs: number;
      readonly silenceDurationMs: number;
      readonly idleTimeoutMs: number | null;
      readonly createResponse: boolean;
      readonly interruptResponse: boolean;
    }
  | {
      readonly type: 'semantic_vad';
      readonly eagerness: SemanticVadEagerness;
      readonly createResponse: boolean;
      readonly interruptResponse: boolean;
    };

export type RealtimeFunctionTool = {
  readonly name: string;
  readonly description: string;
  /** JSON schema of the arguments. */
  readonly parameters: Readonly<Record<string, unknown>>;
};

export type RealtimeToolChoice = 'auto' | 'none' | 'required';

export type RealtimeSessionConfig = {
  readonly model: string;
  readonly instructions: string;
  /** GA allows audio or text, never both; audio includes the transcript (2). */
  readonly outputModality: 'audio';
  readonly audio: {
    readonly input: {
      /** G.711 µ-law at 8 kHz, the Twilio format, so audio passes through untouched (2, note A). */
      readonly format: 'audio/pcmu';
      readonly noiseReduction: NoiseReduction | null;
      readonly transcription: { readonly model: string; readonly language: string | null } | null;
      readonly turnDetection: TurnDetectionConfig | null;
    };
    readonly output: {
      readonly format: 'audio/pcmu';
      readonly voice: string;
      readonly speedRatio: number;
    };
  };
  readonly tools: readonly RealtimeFunctionTool[];
  readonly toolChoice: RealtimeToolChoice;
  readonly maxOutputTokens: number | 'inf';
  readonly truncation: 'auto' | 'disabled';
};

export type SessionConfigOptions = {
  readonly model: string;
  readonly instructions: string;
  readonly voice: string;
  readonly turnDetection: 'server_vad' | 'semantic_vad';
  /** Used by server_vad only; semantic_vad decides the end of a turn itself. */
  readonly vadSilenceMs: number;
  /** Null turns input transcription off. */
  readonly transcriptionModel: string | null;
  /** ISO-639-1 hint for the transcription model; null lets it detect the language. */
  readonly transcriptionLanguage?: string | null;
  readonly tools: ReadonlyArray<RealtimeFunctionTool>;
  /** Defaults to near_field, the recommendation for a phone handset (2). */
  readonly noiseReduction?: NoiseReduction | null;
  /** Defaults to auto (= medium). */
  readonly semanticEagerness?: SemanticVadEagerness;
};

// Explicit VAD values: the server's own defaults differ from the documented ones (2, note C).
export const SERVER_VAD_THRESHOLD = 0.5;
export const SERVER_VAD_PREFIX_PADDING_MS = 300;

const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** Builds the session for a phone call. Throws only on programmer error (a bad or duplicate tool name, bad VAD). */
export function buildSessionConfig(options: SessionConfigOptions): RealtimeSessionConfig {
  assertToolNames(options.tools);
  return {
    model: options.model,
    instructions: options.instructions,
    outputModality: 'audio',
    audio: {
      input: {
        format: 'audio/pcmu',
        noiseReduction: options.noiseReduction === undefined ? 'near_field' : options.noiseReduction,
        transcription:
          options.transcriptionModel === null
            ? null
            : { model: options.transcriptionModel, language: options.transcriptionLanguage ?? null },
        turnDetection: buildTurnDetection(options),
      },
      output: { format: 'audio/pcmu', voice: options.voice, speedRatio: 1 },
    },
    tools: options.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
    })),
    toolChoice: 'auto',
    maxOutputTokens: 'inf',
    truncation: 'auto',
  };
}

function buildTurnDetection(options: SessionConfigOptions): TurnDetectionConfig {
  if (options.turnDetection === 'semantic_vad') {
    return {
      type: 'semantic_vad',
      eagerness: options.semanticEagerness ?? 'auto',
      createResponse: true,
      interruptResponse: true,
    };
  }
  if (!Number.isInteger(options.vadSilenceMs) || options.vadSilenceMs <= 0) {
    throw new RangeError(`vadSilenceMs must be a positive integer, got ${options.vadSilenceMs}`);
  }
  return {
    type: 'server_vad',
    threshold: SERVER_VAD_THRESHOLD,
    prefixPaddingMs: SERVER_VAD_PREFIX_PADDING_MS,
    silenceDurationMs: options.vadSilenceMs,
    idleTimeoutMs: null,
    createResponse: true,
    interruptResponse: true,
  };
}

function assertToolNames(tools: ReadonlyArray<RealtimeFunctionTool>): void {
  const seen = new Set<string>();
  for (const tool of tools) {
    if (!TOOL_NAME_PATTERN.test(tool.name)) throw new Error(`Invalid tool name: ${JSON.stringify(tool.name)}`);
    if (seen.has(tool.name)) throw new Error(`Duplicate tool name: ${tool.name}`);
    seen.add(tool.name);
  }
}
