// Our camelCase view of the OpenAI Realtime server events (GA). Types only; realtime-codec.ts maps the wire to these.
// Sections cited are in openai-realtime.md.

/** Token counts of one response, split as billed (4.5); cached tokens are a subset of the input tokens. */
export type ResponseUsage = {
  readonly inputTextTokens: number;
  readonly inputAudioTokens: number;
  readonly cachedTextTokens: number;
  readonly cachedAudioTokens: number;
  readonly outputTextTokens: number;
  readonly outputAudioTokens: number;
};

/** Billing of one input transcription: by tokens (gpt-4o-*-transcribe) or by duration (whisper-style) (4.4). */
export type TranscriptionUsage =
  | {
      readonly type: 'tokens';
      readonly inputTokens: number;
      readonly outputTokens: number;
      readonly inputAudioTokens: number;
      readonly inputTextTokens: number;
    }
  | { readonly type: 'duration'; readonly durationSeconds: number };

export type ResponseStatus = 'completed' | 'cancelled' | 'failed' | 'incomplete';

export type ItemType = 'message' | 'function_call' | 'function_call_output' | 'other';

export type ItemRole = 'user' | 'assistant' | 'system';

export type ItemStatus = 'completed' | 'incomplete' | 'in_progress';

export type RateLimit = {
  readonly name: string;
  readonly limit: number;
  readonly remaining: number;
  readonly resetSeconds: number;
};

export type RealtimeServerEvent =
  // 4.1 Session.
  | { readonly type: 'sessionCreated'; readonly sessionId: string; readonly model: string }
  | { readonly type: 'sessionUpdated' }
  // 4.2 Input audio buffer; times are on the input stream timeline, not playback.
  | { readonly type: 'speechStarted'; readonly audioStartMs: number; readonly itemId: string }
  | { readonly type: 'speechStopped'; readonly audioEndMs: number; readonly itemId: string }
  | { readonly type: 'inputCommitted'; readonly itemId: string; readonly previousItemId: string | null }
  | { readonly type: 'inputCleared' }
  | {
      readonly type: 'inputIdleTimeout';
      readonly audioStartMs: number;
      readonly audioEndMs: number;
      readonly itemId: string;
    }
  // 4.3 Conversation items.
  | {
      readonly type: 'itemAdded';
      readonly itemId: string;
      readonly previousItemId: string | null;
      readonly itemType: ItemType;
      readonly role: ItemRole | null;
      readonly status: ItemStatus | null;
    }
  | {
      readonly type: 'itemDone';
      readonly itemId: string;
      readonly previousItemId: string | null;
      readonly itemType: ItemType;
      readonly role: ItemRole | null;
      readonly status: ItemStatus | null;
    }
  | {
      readonly type: 'itemRetrieved';
      readonly itemId: string;
      readonly itemType: ItemType;
      readonly role: ItemRole | null;
      /** Text and transcripts of the content parts joined; audio bytes are never kept. */
      readonly text: string | null;
    }
  | {
      readonly type: 'itemTruncated';
      readonly itemId: string;
      readonly contentIndex: number;
      readonly audioEndMs: number;
    }
  | { readonly type: 'itemDeleted'; readonly itemId: string }
  // 4.4 Input transcription (asynchronous to the response events).
  | { readonly type: 'inputTranscriptDelta'; readonly itemId: string; readonly delta: string }
  | {
      readonly type: 'inputTranscriptCompleted';
      readonly itemId: string;
      readonly transcript: string;
      readonly usage: TranscriptionUsage | null;
    }
  | { readonly type: 'inputTranscriptFailed'; readonly itemId: string; readonly message: string }
  // 4.5 Response lifecycle.
  | { readonly type: 'responseCreated'; readonly responseId: string }
  | {
      readonly type: 'outputItemAdded';
      readonly responseId: string;
      readonly itemId: string;
      readonly itemType: 'message' | 'function_call' | 'other';
    }
  | {
      /** A finished output item that is not a function call (those arrive as functionCallRequested). */
      readonly type: 'outputItemDone';
      readonly responseId: string;
      readonly itemId: string;
      readonly itemType: 'message' | 'other';
      readonly status: ItemStatus | null;
    }
  | {
      readonly type: 'audioDelta';
      readonly responseId: string;
      readonly itemId: string;
      readonly contentIndex: number;
      /** µ-law bytes as base64, forwarded to Twilio untouched (6). */
      readonly audioBase64: string;
    }
  | { readonly type: 'audioDone'; readonly responseId: string; readonly itemId: string; readonly contentIndex: number }
  | { readonly type: 'transcriptDelta'; readonly responseId: string; readonly itemId: string; readonly delta: string }
  | {
      readonly type: 'transcriptDone';
      readonly responseId: string;
      readonly itemId: string;
      readonly transcript: string;
    }
  // 4.6 Function calls, taken from response.output_item.done where `name` is always present.
  | {
      readonly type: 'functionCallRequested';
      readonly responseId: string;
      readonly itemId: string;
      readonly callId: string;
      readonly name: string;
      /** The model's arguments as sent; parse defensively (5). */
      readonly argumentsJson: string;
    }
  | {
      readonly type: 'responseDone';
      readonly responseId: string;
      readonly status: ResponseStatus;
      /** status_details.reason, or for a failed response its error code (else error type). */
      readonly reason: string | null;
      readonly usage: ResponseUsage | null;
      readonly outputItemIds: readonly string[];
    }
  | { readonly type: 'rateLimits'; readonly limits: readonly RateLimit[] }
  // 4.9 Errors; most leave the session open.
  | {
      readonly type: 'error';
      readonly code: string | null;
      readonly message: string;
      readonly errorType: string;
      readonly param: string | null;
      /** The `event_id` of our client event that failed, when we sent one. */
      readonly clientEventId: string | null;
      /** A race the session may ignore: cancel with nothing active, or truncate past the end (6). */
      readonly isBenign: boolean;
    }
  /** A known event the bridge deliberately does not use (content parts, argument deltas, text mode, MCP, WebRTC). */
  | { readonly type: 'ignored'; readonly rawType: string }
  /** A well-formed event of a type this codec does not know. */
  | { readonly type: 'unknown'; readonly rawType: string; readonly raw: unknown };

export type RealtimeServerEventType = RealtimeServerEvent['type'];
