// The twin's "voice": deterministic voiced audio for a text, so callers hear something a VAD calls speech.
// Pure: the same text, speed and rate always give the same samples; no I/O, no clock.

/** Spoken length per character at speed 1.0; the duration of any line is therefore known in advance. */
export const MS_PER_CHARACTER = 60;

const FUNDAMENTAL_HZ = 180;
const HARMONICS = 5;
const CHARACTERS_PER_SYLLABLE = 3;
const PEAK_LEVEL = 0.35 * 32767;
/** Spaces and punctuation are quieter but never silent, so a caller-side VAD sees one continuous utterance. */
const PAUSE_GAIN = 0.35;

const HARMONIC_NORM = Array.from({ length: HARMONICS }, (_, k) => 1 / (k + 1)).reduce((sum, gain) => sum + gain, 0);

/** Whole milliseconds of speech for a text; `speed` follows `audio.output.speed` (openai-realtime.md, §2). */
export function syntheticSpeechMs(text: string, speed = 1): number {
  return Math.round((text.length * MS_PER_CHARACTER) / speed);
}

/** Characters of `text` spoken by `elapsedMs`, for transcript deltas and proportional truncation. */
export function charactersSpokenBy(text: string, elapsedMs: number, speed = 1): number {
  const totalMs = syntheticSpeechMs(text, speed);
  if (totalMs === 0) return text.length;
  return Math.min(text.length, Math.floor((text.length * Math.max(0, elapsedMs)) / totalMs));
}

/**
 * Harmonics of a ~180 Hz voice with a gentle pitch contour, shaped by a syllable envelope of
 * three characters; quieter (not silent) on spaces and punctuation.
 */
export function synthesizeSpeech(text: string, sampleRateHz: number, speed = 1): Int16Array {
  const durationMs = syntheticSpeechMs(text, speed);
  const sampleCount = Math.round((durationMs * sampleRateHz) / 1000);
  const samples = new Int16Array(sampleCount);
  const msPerCharacter = MS_PER_CHARACTER / speed;
  const syllableMs = msPerCharacter * CHARACTERS_PER_SYLLABLE;
  const characterGains = text.split('').map((character) => (/[\p{L}\p{N}]/u.test(character) ? 1 : PAUSE_GAIN));
  let phase = 0;
  for (let i = 0; i < sampleCount; i++) {
    const timeMs = (i * 1000) / sampleRateHz;
    const characterGain = characterGains[Math.min(text.length - 1, Math.floor(timeMs / msPerCharacter))] ?? PAUSE_GAIN;
    const syllablePosition = (timeMs % syllableMs) / syllableMs;
    const envelope = (0.25 + 0.75 * Math.sin(Math.PI * syllablePosition)) * characterGain;
    const pitchHz = FUNDAMENTAL_HZ * (1 + 0.05 * Math.sin((2 * Math.PI * 3 * timeMs) / 1000));
    phase += (2 * Math.PI * pitchHz) / sampleRateHz;
    let value = 0;
    for (let k = 1; k <= HARMONICS; k++) value += Math.sin(k * phase) / k;
    samples[i] = Math.round((PEAK_LEVEL * envelope * value) / HARMONIC_NORM);
  }
  return samples;
}
