// Speech audio for test callers: espeak-ng speech as 8 kHz µ-law, or synthetic voiced audio when espeak-ng is absent.
// It never touches a socket; results are cached by text so 200 callers saying one line spawn one process.
import { spawn } from 'node:child_process';
import { encodeMulaw, mulawSilence, MULAW_SAMPLE_RATE_HZ } from '../../shared/mulaw.ts';

export const SpeechEngine = { espeakNg: 'espeak-ng', synthetic: 'synthetic' } as const;
export type SpeechEngine = (typeof SpeechEngine)[keyof typeof SpeechEngine];

export type SpeechOptions = { voice?: string };

export type SynthesizedSpeech = { audio: Buffer; engine: SpeechEngine };

export type SpeechSynthesizer = {
  /** 8 kHz µ-law speech; the returned Buffer is shared by the cache and must not be mutated. */
  synthesize(text: string, options?: SpeechOptions): Promise<SynthesizedSpeech>;
  /** Which engine this synthesizer uses (probes for espeak-ng once). */
  engine(): Promise<SpeechEngine>;
};

export type SpeechSynthesizerOptions = {
  /** `auto` uses espeak-ng when it runs and falls back to synthetic audio otherwise. */
  engine?: 'auto' | SpeechEngine;
  espeakPath?: string;
  defaultVoice?: string;
};

const SYNTHETIC_MS_PER_CHARACTER = 65;
const SYNTHETIC_PITCH_HZ = 120;
const SYNTHETIC_SYLLABLE_RATE_HZ = 4;

export function createSpeechSynthesizer(options: SpeechSynthesizerOptions = {}): SpeechSynthesizer {
  const espeakPath = options.espeakPath ?? 'espeak-ng';
  const defaultVoice = options.defaultVoice ?? 'en-us';
  const cache = new Map<string, Promise<SynthesizedSpeech>>();
  let engineProbe: Promise<SpeechEngine> | undefined;

  function engine(): Promise<SpeechEngine> {
    if (options.engine === 'synthetic') return Promise.resolve(SpeechEngine.synthetic);
    engineProbe ??= runEspeak(espeakPath, ['--version'], '').then(
      () => SpeechEngine.espeakNg,
      (error: unknown) => {
        if (options.engine === 'espeak-ng') throw error;
        return SpeechEngine.synthetic;
      },
    );
    return engineProbe;
  }

  async function render(text: string, voice: string): Promise<SynthesizedSpeech> {
    const chosen = await engine();
    if (chosen === SpeechEngine.synthetic) return { audio: synthesizeVoicedAudio(text), engine: chosen };
    const wav = await runEspeak(espeakPath, ['--stdout', '-v', voice], text);
    const pcm = readWavPcm(wav);
    if (pcm.samples.length === 0) throw new Error(`espeak-ng produced no audio for voice "${voice}"`);
    return { audio: encodeMulaw(resampleTo8k(pcm.samples, pcm.sampleRateHz)), engine: chosen };
  }

  return {
    engine,
    synthesize(text, speechOptions = {}) {
      const voice = speechOptions.voice ?? defaultVoice;
      const key = `${voice}\u0000${text}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = render(text, voice);
        cache.set(key, pending);
        pending.catch(() => cache.delete(key));
      }
      return pending;
    },
  };
}

// One process-wide synthesizer: its only state is a memo of a deterministic function, so sharing it is safe and
// lets many callers in one benchmark reuse one rendering per line.
let defaultSynthesizer: SpeechSynthesizer | undefined;

export function defaultSpeechSynthesizer(): SpeechSynthesizer {
  defaultSynthesizer ??= createSpeechSynthesizer();
  return defaultSynthesizer;
}

/** 8 kHz µ-law speech for `text` (espeak-ng when installed, synthetic voiced audio otherwise). */
export async function synthesizeSpeech(text: string, options: SpeechOptions = {}): Promise<Buffer> {
  return (await defaultSpeechSynthesizer().synthesize(text, options)).audio;
}

/** Like `synthesizeSpeech`, and says which engine produced the audio. */
export function synthesizeSpeechDetailed(text: string, options: SpeechOptions = {}): Promise<SynthesizedSpeech> {
  return defaultSpeechSynthesizer().synthesize(text, options);
}

export function silence(durationMs: number): Buffer {
  return mulawSilence(durationMs);
}

function runEspeak(path: string, args: readonly string[], stdinText: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(errors).toString('utf8').trim();
      if (code === 0 && stderr === '') resolve(Buffer.concat(chunks));
      else reject(new Error(`espeak-ng exited with ${String(code)}: ${stderr}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(stdinText);
  });
}

type WavPcm = { sampleRateHz: number; samples: Int16Array };

/**
 * Reads 16-bit PCM from a WAV buffer. espeak-ng writing to a pipe leaves placeholder sizes in the RIFF and data
 * headers, so the data chunk runs to the end of the buffer whenever its declared size overshoots.
 */
export function readWavPcm(wav: Buffer): WavPcm {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE buffer');
  }
  let offset = 12;
  let sampleRateHz = 0;
  let channels = 1;
  let bitsPerSample = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = wav.readUInt16LE(body + 2);
      sampleRateHz = wav.readUInt32LE(body + 4);
      bitsPerSample = wav.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bitsPerSample !== 16 || sampleRateHz === 0) throw new Error('only 16-bit PCM WAV is supported');
      const end = Math.min(wav.length, body + size);
      const frameCount = Math.floor((end - body) / (2 * channels));
      const samples = new Int16Array(frameCount);
      for (let i = 0; i < frameCount; i++) samples[i] = wav.readInt16LE(body + i * 2 * channels);
      return { sampleRateHz, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV buffer has no data chunk');
}

const RESAMPLE_HALF_TAPS = 16;

/** Band-limits to ~3.6 kHz and resamples to 8 kHz with a Hann-windowed sinc (telephone band). */
export function resampleTo8k(samples: Int16Array, sampleRateHz: number): Float64Array {
  if (sampleRateHz === MULAW_SAMPLE_RATE_HZ) return Float64Array.from(samples);
  const step = sampleRateHz / MULAW_SAMPLE_RATE_HZ;
  const cutoff = Math.min(3600, sampleRateHz * 0.45) / sampleRateHz;
  const halfWidth = Math.ceil(RESAMPLE_HALF_TAPS * Math.max(1, step));
  const outLength = Math.floor(samples.length / step);
  const out = new Float64Array(outLength);
  for (let n = 0; n < outLength; n++) {
    const center = n * step;
    const first = Math.max(0, Math.floor(center) - halfWidth + 1);
    const last = Math.min(samples.length - 1, Math.floor(center) + halfWidth);
    let sum = 0;
    for (let k = first; k <= last; k++) {
      const distance = center - k;
      const argument = 2 * cutoff * distance;
      const sinc = argument === 0 ? 1 : Math.sin(Math.PI * argument) / (Math.PI * argument);
      const window = 0.5 * (1 + Math.cos((Math.PI * distance) / halfWidth));
      sum += (samples[k] ?? 0) * 2 * cutoff * sinc * window;
    }
    out[n] = sum;
  }
  return out;
}

/**
 * Synthetic voiced audio: a glottal-pulse-like harmonic series at ~120 Hz with a syllable-rate envelope, about
 * 65 ms per character, with dips at spaces and punctuation. Deterministic, so cached results are stable.
 */
export function synthesizeVoicedAudio(text: string): Buffer {
  const characters = Math.max(1, text.length);
  const totalSamples = Math.round((characters * SYNTHETIC_MS_PER_CHARACTER * MULAW_SAMPLE_RATE_HZ) / 1000);
  const samplesPerCharacter = totalSamples / characters;
  const pcm = new Float64Array(totalSamples);
  const harmonics = Math.floor(3400 / (SYNTHETIC_PITCH_HZ * 1.1));
  const isPauseAt = Array.from(text.length > 0 ? text : ' ', (character) => /[\s.,;:!?-]/.test(character));
  let phase = 0;
  for (let i = 0; i < totalSamples; i++) {
    const seconds = i / MULAW_SAMPLE_RATE_HZ;
    const isPause = isPauseAt[Math.min(isPauseAt.length - 1, Math.floor(i / samplesPerCharacter))] ?? true;
    const pitchHz = SYNTHETIC_PITCH_HZ * (1 + 0.08 * Math.sin(2 * Math.PI * 0.7 * seconds));
    phase += (2 * Math.PI * pitchHz) / MULAW_SAMPLE_RATE_HZ;
    let voiced = 0;
    for (let h = 1; h <= harmonics; h++) voiced += Math.sin(h * phase) / h ** 1.3;
    const syllable = 0.5 - 0.5 * Math.cos(2 * Math.PI * SYNTHETIC_SYLLABLE_RATE_HZ * seconds);
    const envelope = isPause ? 0.05 : 0.25 + 0.75 * syllable;
    pcm[i] = voiced * envelope * 6000;
  }
  return encodeMulaw(pcm);
}
