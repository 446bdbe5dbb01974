// The three GA audio formats as the twin hears and speaks them: bytes per ms, decoding for VAD, encoding for speech.
// Pure: no I/O. µ-law comes from src/shared/mulaw.ts; A-law is small enough to live here.
import { assertNever } from '../../shared/assert-never.ts';
import { decodeMulaw, encodeMulaw, MULAW_BYTES_PER_MS, MULAW_SAMPLE_RATE_HZ } from '../../shared/mulaw.ts';

/** A GA audio format object as it appears on the wire (openai-realtime.md, §2 note A). */
export type WireAudioFormat = { type: 'audio/pcm'; rate: 24000 } | { type: 'audio/pcmu' } | { type: 'audio/pcma' };

export type LinearAudio = { samples: Int16Array; sampleRateHz: number };

const PCM_SAMPLE_RATE_HZ = 24_000;

export function sampleRateOf(format: WireAudioFormat): number {
  return format.type === 'audio/pcm' ? PCM_SAMPLE_RATE_HZ : MULAW_SAMPLE_RATE_HZ;
}

/** µ-law and A-law are 8 bytes per ms; PCM16 at 24 kHz is 48 (openai-realtime.md, §9 "Audio buffer"). */
export function bytesPerMs(format: WireAudioFormat): number {
  return format.type === 'audio/pcm' ? (PCM_SAMPLE_RATE_HZ / 1000) * 2 : MULAW_BYTES_PER_MS;
}

export function decodeAudio(format: WireAudioFormat, bytes: Uint8Array): LinearAudio {
  switch (format.type) {
    case 'audio/pcmu':
      return { samples: decodeMulaw(bytes), sampleRateHz: MULAW_SAMPLE_RATE_HZ };
    case 'audio/pcma':
      return { samples: decodeAlaw(bytes), sampleRateHz: MULAW_SAMPLE_RATE_HZ };
    case 'audio/pcm': {
      // PCM16 little-endian; a trailing odd byte cannot form a sample and is ignored.
      const samples = new Int16Array(Math.floor(bytes.length / 2));
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
      return { samples, sampleRateHz: PCM_SAMPLE_RATE_HZ };
    }
    default:
      return assertNever(format, 'audio format');
  }
}

export function encodeAudio(format: WireAudioFormat, samples: Int16Array): Buffer {
  switch (format.type) {
    case 'audio/pcmu':
      return encodeMulaw(samples);
    case 'audio/pcma':
      return encodeAlaw(samples);
    case 'audio/pcm': {
      const out = Buffer.allocUnsafe(samples.length * 2);
      for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, i * 2);
      return out;
    }
    default:
      return assertNever(format, 'audio format');
  }
}

function decodeAlaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const value = (bytes[i] ?? 0xd5) ^ 0x55;
    const exponent = (value >> 4) & 0x07;
    const mantissa = value & 0x0f;
    let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    if ((value & 0x80) === 0) magnitude = -magnitude;
    out[i] = magnitude;
  }
  return out;
}

function encodeAlaw(samples: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i] ?? 0;
    const sign = sample >= 0 ? 0x80 : 0;
    const magnitude = Math.min(32767, Math.abs(sample)) >> 3;
    let exponent = 0;
    while (exponent < 7 && magnitude >= 32 << exponent) exponent++;
    const mantissa = exponent === 0 ? magnitude >> 1 : (magnitude >> exponent) & 0x0f;
    out[i] = (sign | (exponent << 4) | mantissa) ^ 0x55;
  }
  return out;
}
