// Deterministic energy VAD on the input timeline: RMS of 10 ms frames against a level derived from `threshold`.
// Pure: it only sees decoded samples and positions; it never sends events or reads a clock.

export type VadSettings = {
  /** Frames at or above this RMS level count as speech. */
  thresholdDbfs: number;
  prefixPaddingMs: number;
  silenceDurationMs: number;
};

export type VadEvent = { type: 'speech_started'; audioStartMs: number } | { type: 'speech_stopped'; audioEndMs: number };

const FRAME_MS = 10;

/**
 * Maps `turn_detection.threshold` (0–1, "a higher threshold will require louder audio") onto an RMS level:
 * 0 → −60 dBFS, 0.5 → −35 dBFS, 1 → −10 dBFS. Linear in dB; the real model's mapping is not published [I].
 */
export function thresholdToDbfs(threshold: number): number {
  return -60 + 50 * threshold;
}

export function rmsDbfs(samples: Int16Array): number {
  if (samples.length === 0) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / samples.length);
  return rms === 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(rms / 32768);
}

export class EnergyVad {
  #settings: VadSettings;
  #carry = new Int16Array(0);
  #carryRateHz = 0;
  /** Input-timeline position of the first sample in `#carry`. */
  #positionMs: number;
  /** Speech cannot start before the last commit or clear (prefix padding is clamped to it). */
  #floorMs: number;
  #isSpeaking = false;
  #lastVoicedEndMs = 0;

  constructor(settings: VadSettings, startMs: number) {
    this.#settings = settings;
    this.#positionMs = startMs;
    this.#floorMs = startMs;
  }

  get isSpeaking(): boolean {
    return this.#isSpeaking;
  }

  updateSettings(settings: VadSettings): void {
    this.#settings = settings;
  }

  /** Forgets any speech in progress; the next speech cannot start before `atMs` (after commit or clear). */
  reset(atMs: number): void {
    this.#carry = new Int16Array(0);
    this.#positionMs = atMs;
    this.#floorMs = atMs;
    this.#isSpeaking = false;
  }

  push(samples: Int16Array, sampleRateHz: number): VadEvent[] {
    if (sampleRateHz !== this.#carryRateHz) {
      // A format change restarts framing; the partial frame of the old format is dropped.
      this.#positionMs += (this.#carry.length * 1000) / Math.max(1, this.#carryRateHz);
      this.#carry = new Int16Array(0);
      this.#carryRateHz = sampleRateHz;
    }
    const all = new Int16Array(this.#carry.length + samples.length);
    all.set(this.#carry);
    all.set(samples, this.#carry.length);
    const frameSamples = (sampleRateHz * FRAME_MS) / 1000;
    const events: VadEvent[] = [];
    let offset = 0;
    for (; offset + frameSamples <= all.length; offset += frameSamples) {
      const event = this.#onFrame(rmsDbfs(all.subarray(offset, offset + frameSamples)));
      if (event) events.push(event);
      this.#positionMs += FRAME_MS;
    }
    this.#carry = all.slice(offset);
    return events;
  }

  #onFrame(levelDbfs: number): VadEvent | undefined {
    const frameEndMs = this.#positionMs + FRAME_MS;
    const isVoiced = levelDbfs >= this.#settings.thresholdDbfs;
    if (!this.#isSpeaking) {
      if (!isVoiced) return undefined;
      this.#isSpeaking = true;
      this.#lastVoicedEndMs = frameEndMs;
      // The start includes prefix_padding_ms (openai-realtime.md, §4.2).
      return { type: 'speech_started', audioStartMs: Math.round(Math.max(this.#floorMs, this.#positionMs - this.#settings.prefixPaddingMs)) };
    }
    if (isVoiced) {
      this.#lastVoicedEndMs = frameEndMs;
      return undefined;
    }
    if (frameEndMs - this.#lastVoicedEndMs < this.#settings.silenceDurationMs) return undefined;
    // The end includes the silence duration (openai-realtime.md, §4.2).
    this.#isSpeaking = false;
    this.#floorMs = frameEndMs;
    return { type: 'speech_stopped', audioEndMs: Math.round(frameEndMs) };
  }
}
