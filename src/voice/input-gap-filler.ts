// Keeps the model's input timeline aligned with the call: a jump in Twilio's media timestamps is filled with
// µ-law silence so server VAD can end a turn and input ms stay equal to stream ms (openai-realtime.md, 6).

/** Gaps shorter than this are jitter in Twilio's approximate timestamps, not lost audio. */
export const GAP_TOLERANCE_MS = 40;
/** Longer gaps are capped; more silence would only delay the model. */
export const MAX_GAP_FILL_MS = 10_000;

/** Milliseconds of silence to append before a frame stamped `frameTimestampMs`, given where the last frame ended. */
export function silenceBeforeFrameMs(expectedTimestampMs: number | null, frameTimestampMs: number): number {
  if (expectedTimestampMs === null) return 0;
  const gapMs = frameTimestampMs - expectedTimestampMs;
  if (gapMs < GAP_TOLERANCE_MS) return 0;
  return Math.min(gapMs, MAX_GAP_FILL_MS);
}
