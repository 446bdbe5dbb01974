import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeMulaw, mulawLevelDbfs } from '../../../src/shared/mulaw.ts';
import { createSpeechSynthesizer, readWavPcm, resampleTo8k, silence, synthesizeVoicedAudio } from '../../../src/twins/twilio/speech-audio.ts';

const isEspeakInstalled = spawnSync('espeak-ng', ['--version']).status === 0;

function wav(samples: Int16Array, sampleRateHz: number, placeholderSizes: boolean): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(placeholderSizes ? 0x7ffff024 : 36 + samples.length * 2, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(placeholderSizes ? 0x7ffff000 : samples.length * 2, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer)]);
}

function sine(frequencyHz: number, sampleRateHz: number, seconds: number): Int16Array {
  return Int16Array.from({ length: Math.round(sampleRateHz * seconds) }, (_, i) => Math.round(10000 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz)));
}

describe('speech audio', () => {
  it.runIf(isEspeakInstalled)('speaks with espeak-ng as 8 kHz µ-law of a plausible length and level', async () => {
    const speech = createSpeechSynthesizer();
    const text = 'Hi, I would like to know where my order is.';
    const { audio, engine } = await speech.synthesize(text);
    expect(engine).toBe('espeak-ng');
    expect(audio.length / 8).toBeGreaterThan(1500);
    expect(audio.length / 8).toBeLessThan(5000);
    expect(mulawLevelDbfs(audio)).toBeGreaterThan(-35);
    expect(mulawLevelDbfs(audio)).toBeLessThan(-3);
    expect((await speech.synthesize(text)).audio).toBe(audio);
  });

  it('falls back to synthetic voiced audio, about 65 ms per character, when espeak-ng cannot run', async () => {
    const speech = createSpeechSynthesizer({ espeakPath: '/nonexistent/espeak-ng' });
    const { audio, engine } = await speech.synthesize('where is my order');
    expect(engine).toBe('synthetic');
    expect(await speech.engine()).toBe('synthetic');
    expect(audio.length).toBe(Math.round(17 * 65 * 8));
    expect(mulawLevelDbfs(audio)).toBeGreaterThan(-30);
    expect(audio).toEqual(synthesizeVoicedAudio('where is my order'));
  });

  it('gives synthetic audio a ~120 Hz voice pitch', () => {
    const pcm = decodeMulaw(synthesizeVoicedAudio('aaaaaaaaaaaaaaaaaaaa'));
    const autocorrelationAt = (lag: number): number => {
      let sum = 0;
      for (let i = 0; i + lag < pcm.length; i++) sum += (pcm[i] ?? 0) * (pcm[i + lag] ?? 0);
      return sum;
    };
    let bestLag = 0;
    for (let lag = 40; lag <= 100; lag++) if (autocorrelationAt(lag) > autocorrelationAt(bestLag || 40)) bestLag = lag;
    expect(8000 / bestLag).toBeGreaterThan(100);
    expect(8000 / bestLag).toBeLessThan(140);
  });

  it('refuses to fall back when espeak-ng is required but missing', async () => {
    const speech = createSpeechSynthesizer({ engine: 'espeak-ng', espeakPath: '/nonexistent/espeak-ng' });
    await expect(speech.synthesize('hello')).rejects.toThrow();
  });

  it('reads streamed WAV whose headers carry placeholder sizes', () => {
    const samples = sine(440, 22050, 0.1);
    expect(readWavPcm(wav(samples, 22050, true))).toEqual({ sampleRateHz: 22050, samples });
    expect(readWavPcm(wav(samples, 22050, false)).samples).toEqual(samples);
  });

  it('resamples to 8 kHz keeping the telephone band and removing what lies above it', () => {
    const level = (samples: Float64Array): number => Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / samples.length);
    const inBand = resampleTo8k(sine(1000, 22050, 0.5), 22050);
    const aboveBand = resampleTo8k(sine(6000, 22050, 0.5), 22050);
    expect(inBand.length).toBe(4000);
    expect(level(inBand)).toBeGreaterThan(6000);
    expect(level(aboveBand)).toBeLessThan(300);
  });

  it('makes µ-law silence of the requested length', () => {
    expect(silence(20)).toEqual(Buffer.alloc(160, 0xff));
  });
});
