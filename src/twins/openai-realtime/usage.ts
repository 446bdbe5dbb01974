// Synthetic token accounting for `response.done.usage` and transcription usage (openai-realtime.md, §4.5, §7).
// Pure arithmetic: the real tokenizer is unknown, so these rules are fixed and documented instead [I].
import { assertNever } from '../../shared/assert-never.ts';
import type { StoredItem } from './conversation.ts';

/** User audio: 1 token per 100 ms [C]. Assistant audio: 1 token per 50 ms [C], also when re-read as context [I]. */
export const USER_AUDIO_MS_PER_TOKEN = 100;
export const ASSISTANT_AUDIO_MS_PER_TOKEN = 50;
/** Text: one token per four characters, rounded up [I]. */
export const CHARACTERS_PER_TEXT_TOKEN = 4;

export type ContextTally = { textChars: number; userAudioMs: number; assistantAudioMs: number };
export type OutputTally = { textChars: number; audioMs: number };

export type WireUsage = {
  total_tokens: number;
  input_tokens: number;
  output_tokens: number;
  input_token_details: {
    text_tokens: number;
    audio_tokens: number;
    image_tokens: number;
    cached_tokens: number;
    cached_tokens_details: { text_tokens: number; audio_tokens: number; image_tokens: number };
  };
  output_token_details: { text_tokens: number; audio_tokens: number };
};

export function textTokens(chars: number): number {
  return Math.ceil(chars / CHARACTERS_PER_TEXT_TOKEN);
}

/**
 * What a response re-reads as input: instructions and tool definitions as text, text parts and function
 * call arguments/outputs as text, audio parts as audio (after truncation). The whole context is re-sent on
 * every response, so later turns cost more (§7 "Token accounting").
 */
export function tallyContext(entries: readonly StoredItem[], instructions: string, toolsJson: string): ContextTally {
  const tally: ContextTally = { textChars: instructions.length + toolsJson.length, userAudioMs: 0, assistantAudioMs: 0 };
  for (const { item, audioDurationMs } of entries) {
    switch (item.type) {
      case 'function_call':
        tally.textChars += item.name.length + item.arguments.length;
        break;
      case 'function_call_output':
        tally.textChars += item.output.length;
        break;
      case 'message':
        for (const part of item.content) {
          if (part.type === 'input_text' || part.type === 'output_text') tally.textChars += part.text.length;
        }
        if (item.role === 'assistant') tally.assistantAudioMs += audioDurationMs;
        else tally.userAudioMs += audioDurationMs;
        break;
      default:
        assertNever(item, 'conversation item');
    }
  }
  return tally;
}

export function computeUsage(context: ContextTally, output: OutputTally): WireUsage {
  const inputText = textTokens(context.textChars);
  const inputAudio =
    Math.ceil(context.userAudioMs / USER_AUDIO_MS_PER_TOKEN) + Math.ceil(context.assistantAudioMs / ASSISTANT_AUDIO_MS_PER_TOKEN);
  const outputText = textTokens(output.textChars);
  const outputAudio = Math.ceil(output.audioMs / ASSISTANT_AUDIO_MS_PER_TOKEN);
  const inputTokens = inputText + inputAudio;
  const outputTokens = outputText + outputAudio;
  return {
    total_tokens: inputTokens + outputTokens,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    // Prompt caching is not modelled: cached_tokens stays 0 [I].
    input_token_details: {
      text_tokens: inputText,
      audio_tokens: inputAudio,
      image_tokens: 0,
      cached_tokens: 0,
      cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
    },
    output_token_details: { text_tokens: outputText, audio_tokens: outputAudio },
  };
}

/** Transcription usage: token billing for the gpt-4o family, duration billing for whisper-1 (§4.4). */
export function transcriptionUsage(model: string, audioMs: number, transcript: string) {
  if (model === 'whisper-1') return { type: 'duration' as const, seconds: Math.round(audioMs) / 1000 };
  const audioTokens = Math.ceil(audioMs / USER_AUDIO_MS_PER_TOKEN);
  const outputTokens = textTokens(transcript.length);
  return {
    type: 'tokens' as const,
    input_tokens: audioTokens,
    output_tokens: outputTokens,
    total_tokens: audioTokens + outputTokens,
    input_token_details: { text_tokens: 0, audio_tokens: audioTokens },
  };
}
