// G.711 µ-law at 8 kHz: the one audio format on both legs of a call (8 bytes per millisecond, 0xFF is silence).

export const MULAW_SAMPLE_RATE_HZ = 8000;
export const MULAW_BYTES_PER_MS = 8;
export const MULAW_SILENCE_BYTE = 0xff;

const BIAS = 0x84;
const CLIP = 32635;

const DECODE_TABLE = (() => {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const value = ~i & 0xff;
    const sign = value & 0x80;
    const exponent = (value >> 4) & 0x07;
    const mantissa = value & 0x0f;
    const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    table[i] = sign ? -magnitude : magnitude;
  }
  return table;
})();

/** Encodes one signed 16-bit linear PCM sample as a µ-law byte. */
export function encodeMulawSample(sample: number): number {
  let pcm = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = pcm < 0 ? 0x80 : 0;
  if (pcm < 0) pcm = -pcm;
  if (pcm > CLIP) pcm = CLIP;
  pcm += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (pcm & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (pcm >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function decodeMulawSample(byte: number): number {
  return DECODE_TABLE[byte & 0xff] ?? 0;
}

export function encodeMulaw(samples: Int16Array | Float64Array | readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = encodeMulawSample(samples[i] ?? 0);
  return out;
}

export function decodeMulaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = DECODE_TABLE[bytes[i] ?? MULAW_SILENCE_BYTE] ?? 0;
  return out;
}

export function mulawSilence(durationMs: number): Buffer {
  return Buffer.alloc(Math.max(0, Math.round(durationMs * MULAW_BYTES_PER_MS)), MULAW_SILENCE_BYTE);
}

/** Root-mean-square level of µ-law audio in dBFS (−∞ for digital silence). */
export function mulawLevelDbfs(bytes: Uint8Array): number {
  if (bytes.length === 0) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) {
    const sample = DECODE_TABLE[bytes[i] ?? MULAW_SILENCE_BYTE] ?? 0;
    sum += sample * sample;
  }
  const rms = Math.sqrt(sum / bytes.length);
  return rms === 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(rms / 32768);
}

export function mulawDurationMs(byteLength: number): number {
  return byteLength / MULAW_BYTES_PER_MS;
}
