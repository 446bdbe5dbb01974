// Zod schemas that read the Realtime usage objects into our token counts, for cost accounting.
// Response usage is billed per response (openai-realtime.md, 4.5, 7); transcription usage separately (4.4).
import { z } from 'zod';
import type { ResponseUsage, TranscriptionUsage } from './realtime-server-event.ts';

const count = z.number().optional();

const tokenSplit = z.object({ text_tokens: count, audio_tokens: count }).nullish();

export const responseUsageSchema = z
  .object({
    input_tokens: count,
    output_tokens: count,
    input_token_details: z
      .object({ text_tokens: count, audio_tokens: count, cached_tokens: count, cached_tokens_details: tokenSplit })
      .nullish(),
    output_token_details: tokenSplit,
  })
  .transform((usage): ResponseUsage => {
    const input = usage.input_token_details;
    const output = usage.output_token_details;
    // Without a split, count all as text; observed payloads always carry the details (4.5).
    const inputTextTokens = input ? (input.text_tokens ?? 0) : (usage.input_tokens ?? 0);
    const cachedSplit = input?.cached_tokens_details;
    // With only a cached total, attribute it to text first, the rest to audio (cached is a subset of input, 4.5).
    const cachedTotal = input?.cached_tokens ?? 0;
    const cachedTextTokens = cachedSplit ? (cachedSplit.text_tokens ?? 0) : Math.min(cachedTotal, inputTextTokens);
    const cachedAudioTokens = cachedSplit ? (cachedSplit.audio_tokens ?? 0) : cachedTotal - cachedTextTokens;
    return {
      inputTextTokens,
      inputAudioTokens: input?.audio_tokens ?? 0,
      cachedTextTokens,
      cachedAudioTokens,
      outputTextTokens: output ? (output.text_tokens ?? 0) : (usage.output_tokens ?? 0),
      outputAudioTokens: output?.audio_tokens ?? 0,
    };
  });

export const transcriptionUsageSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('tokens'),
      input_tokens: z.number(),
      output_tokens: z.number(),
      input_token_details: tokenSplit,
    }),
    z.object({ type: z.literal('duration'), seconds: z.number() }),
  ])
  .transform((usage): TranscriptionUsage => {
    if (usage.type === 'duration') return { type: 'duration', durationSeconds: usage.seconds };
    return {
      type: 'tokens',
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      inputAudioTokens: usage.input_token_details?.audio_tokens ?? 0,
      inputTextTokens: usage.input_token_details?.text_tokens ?? 0,
    };
  });
