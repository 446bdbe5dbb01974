// Marked caller audio for the benchmark: loud voiced µ-law whose every 20 ms frame starts with (call, sequence), so a
// frame can be recognised wherever its bytes travel (Twilio frame → append → echo delta → Twilio media). Pure.
import { encodeMulaw, MULAW_BYTES_PER_MS, MULAW_SAMPLE_RATE_HZ } from '../../src/shared/mulaw.ts';

export const FRAME_MS = 20;
export const FRAME_BYTES = FRAME_MS * MULAW_BYTES_PER_MS;

const MAGIC_0 = 0x5a;
const MAGIC_1 = 0xa5;
const MARKER_BYTES = 8;
const MAX_CALLS = 0xffff;
const MAX_SEQUENCE = 0xffffff;

export type FrameMarker = { call: number; seq: number };

/**
 * `frames` frames of a steady voiced tone: about −13 dBFS, well above the −35 dBFS VAD threshold, with no pause that
 * could end a speech segment.
 */
export function voicedTone(frames: number): Buffer {
  if (!Number.isInteger(frames) || frames < 1 || frames > MAX_SEQUENCE) throw new RangeError(`frame count out of range: ${frames}`);
  const samples = new Float64Array(frames * FRAME_BYTES);
  for (let i = 0; i < samples.length; i++) {
    const t = i / MULAW_SAMPLE_RATE_HZ;
    samples[i] = 32767 * (0.25 * Math.sin(2 * Math.PI * 180 * t) + 0.12 * Math.sin(2 * Math.PI * 360 * t) + 0.06 * Math.sin(2 * Math.PI * 540 * t));
  }
  return encodeMulaw(samples);
}

/** A copy of `tone` whose every frame starts with its marker (8 bytes), for call number `call`. */
export function markedSpeech(call: number, tone: Buffer): Buffer {
  if (!Number.isInteger(call) || call < 0 || call > MAX_CALLS) throw new RangeError(`call index out of range: ${call}`);
  const audio = Buffer.from(tone);
  const frames = Math.floor(audio.length / FRAME_BYTES);
  for (let seq = 0; seq < frames; seq++) writeMarker(audio, seq * FRAME_BYTES, { call, seq });
  return audio;
}

function writeMarker(into: Buffer, offset: number, marker: FrameMarker): void {
  into[offset] = MAGIC_0;
  into[offset + 1] = MAGIC_1;
  into.writeUInt16BE(marker.call, offset + 2);
  into.writeUIntBE(marker.seq, offset + 4, 3);
  into[offset + 7] = checksum(into, offset);
}

function checksum(bytes: Uint8Array, offset: number): number {
  let sum = 0x3c;
  for (let i = 0; i < MARKER_BYTES - 1; i++) sum = (sum + (bytes[offset + i] ?? 0) * (i + 1)) & 0xff;
  return sum;
}

/** The marker at `offset`, or null when the bytes there are not one (unmarked audio, or a misaligned guess). */
export function readMarker(bytes: Buffer, offset = 0): FrameMarker | null {
  if (offset < 0 || offset + MARKER_BYTES > bytes.length) return null;
  if (bytes[offset] !== MAGIC_0 || bytes[offset + 1] !== MAGIC_1) return null;
  if (bytes[offset + 7] !== checksum(bytes, offset)) return null;
  return { call: bytes.readUInt16BE(offset + 2), seq: bytes.readUIntBE(offset + 4, 3) };
}

/** Key of a marker in maps: one number, `call * 2^24 + seq`. */
export function markerKey(marker: FrameMarker): number {
  return marker.call * 0x1000000 + marker.seq;
}

export type Arrival = { atMs: number; bytes: number };

/**
 * Which marked frame each media arrival carried. The caller twin records arrival times and sizes, and the audio it
 * heard; heard audio + audio dropped at hang-up is the tail of everything received (a `clear` only removes audio
 * queued before it), so walking back from the end gives each later arrival its bytes. A misaligned guess never
 * passes the marker check, so a wrong walk loses frames rather than mismatching them.
 */
export function markArrivals(arrivals: readonly Arrival[], heardAudio: Buffer, droppedBytes: number): Map<number, number> {
  const found = new Map<number, number>();
  let end = heardAudio.length + droppedBytes;
  for (let i = arrivals.length - 1; i >= 0 && end > 0; i--) {
    const arrival = arrivals[i];
    if (!arrival) continue;
    const start = end - arrival.bytes;
    end = start;
    if (start < 0 || start + MARKER_BYTES > heardAudio.length) continue;
    const marker = readMarker(heardAudio, start);
    if (marker) found.set(markerKey(marker), arrival.atMs);
  }
  return found;
}

/** Nearest-rank percentile of an unsorted list; NaN when empty. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
