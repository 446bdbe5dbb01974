import { describe, expect, it } from 'vitest';
import { decodeMulaw } from '../../../src/shared/mulaw.ts';
import { bytesPerMs, decodeAudio, encodeAudio, sampleRateOf, type WireAudioFormat } from '../../../src/twins/openai-realtime/audio-formats.ts';
import { rmsDbfs } from '../../../src/twins/openai-realtime/energy-vad.ts';
import { charactersSpokenBy, MS_PER_CHARACTER, syntheticSpeechMs, synthesizeSpeech } from '../../../src/twins/openai-realtime/synthetic-voice.ts';

describe('synthetic voice', () => {
  it('lasts 60 ms per character, scaled by speed', () => {
    expect(MS_PER_CHARACTER).toBe(60);
    expect(syntheticSpeechMs('Sure, let me check.')).toBe(19 * 60);
    expect(syntheticSpeechMs('abc', 1.5)).toBe(120);
    expect(synthesizeSpeech('Sure, let me check.', 8000)).toHaveLength(19 * 60 * 8);
  });

  it('is voiced in every 100 ms window, spaces and punctuation included', () => {
    const bytes = encodeAudio({ type: 'audio/pcmu' }, synthesizeSpeech('Yes. I can help, one moment.', 8000));
    for (let offset = 0; offset < bytes.length; offset += 800) {
      expect(rmsDbfs(decodeMulaw(bytes.subarray(offset, offset + 800)))).toBeGreaterThan(-35);
    }
  });

  it('is deterministic', () => {
    expect(synthesizeSpeech('Order A1234 shipped.', 8000)).toEqual(synthesizeSpeech('Order A1234 shipped.', 8000));
  });

  it.each([
    [0, 0],
    [600, 10],
    [1199, 19],
    [99_999, 20],
  ])('has spoken %s ms → %s characters of a 20-character line', (elapsedMs, characters) => {
    expect(charactersSpokenBy('x'.repeat(20), elapsedMs)).toBe(characters);
  });
});

describe('audio formats', () => {
  it.each<[WireAudioFormat, number, number]>([
    [{ type: 'audio/pcmu' }, 8, 8000],
    [{ type: 'audio/pcma' }, 8, 8000],
    [{ type: 'audio/pcm', rate: 24000 }, 48, 24000],
  ])('%j is %s bytes per ms at %s Hz and survives a round trip', (format, perMs, rateHz) => {
    expect(bytesPerMs(format)).toBe(perMs);
    expect(sampleRateOf(format)).toBe(rateHz);
    const samples = synthesizeSpeech('Hello there', rateHz);
    const decoded = decodeAudio(format, encodeAudio(format, samples)).samples;
    expect(decoded).toHaveLength(samples.length);
    let worst = 0;
    for (let i = 0; i < samples.length; i++) worst = Math.max(worst, Math.abs((decoded[i] ?? 0) - (samples[i] ?? 0)) / (Math.abs(samples[i] ?? 0) + 256));
    expect(worst).toBeLessThan(0.1);
  });
});
