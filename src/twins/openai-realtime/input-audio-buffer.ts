// The input side of a connection: the input timeline (ms of all audio appended), the uncommitted buffer, and the VAD.
// Holds audio state only; the connection turns VAD events into server events.
import { bytesPerMs, decodeAudio, type WireAudioFormat } from './audio-formats.ts';
import { EnergyVad, thresholdToDbfs, type VadEvent, type VadSettings } from './energy-vad.ts';
import type { WireTurnDetection } from './session-schema.ts';

/**
 * semantic_vad runs the same energy VAD with server_vad defaults; eagerness only sets the silence that ends a turn
 * (low 1000 ms, medium/auto 500 ms, high 250 ms) [I]: the real turn-end model is not reproducible.
 */
const SEMANTIC_SILENCE_MS = { low: 1000, medium: 500, auto: 500, high: 250 } as const;

export function vadSettingsOf(turnDetection: WireTurnDetection): VadSettings {
  if (turnDetection.type === 'semantic_vad') {
    return { thresholdDbfs: thresholdToDbfs(0.5), prefixPaddingMs: 300, silenceDurationMs: SEMANTIC_SILENCE_MS[turnDetection.eagerness] };
  }
  return {
    thresholdDbfs: thresholdToDbfs(turnDetection.threshold),
    prefixPaddingMs: turnDetection.prefix_padding_ms,
    silenceDurationMs: turnDetection.silence_duration_ms,
  };
}

export class InputAudioBuffer {
  #format: WireAudioFormat = { type: 'audio/pcm', rate: 24000 };
  #timelineMs = 0;
  #bufferStartMs = 0;
  #buffered: Buffer[] = [];
  #bufferedBytes = 0;
  #vad: EnergyVad | null = null;

  /** Applies the session's input format and turn detection; VAD state survives a change of its parameters. */
  configure(format: WireAudioFormat, turnDetection: WireTurnDetection | null): void {
    this.#format = format;
    if (!turnDetection) {
      this.#vad = null;
      return;
    }
    const settings = vadSettingsOf(turnDetection);
    if (this.#vad) this.#vad.updateSettings(settings);
    else this.#vad = new EnergyVad(settings, this.#timelineMs);
  }

  /** Milliseconds of all audio appended this session: the timeline of audio_start_ms/audio_end_ms (§4.2). */
  get timelineMs(): number {
    return this.#timelineMs;
  }

  get bufferedMs(): number {
    return this.#timelineMs - this.#bufferStartMs;
  }

  get isSpeechActive(): boolean {
    return this.#vad?.isSpeaking ?? false;
  }

  append(bytes: Buffer): VadEvent[] {
    this.#buffered.push(bytes);
    this.#bufferedBytes += bytes.length;
    this.#timelineMs += bytes.length / bytesPerMs(this.#format);
    if (!this.#vad) return [];
    const { samples, sampleRateHz } = decodeAudio(this.#format, bytes);
    return this.#vad.push(samples, sampleRateHz);
  }

  /**
   * Commits the buffer up to `endMs` and returns the audio of [startMs, endMs] as the new item's audio;
   * audio before startMs was silence the VAD filtered out (§7: not billed). Audio after endMs stays buffered.
   */
  commit(startMs: number, endMs: number): { audio: Buffer; durationMs: number } {
    const all = Buffer.concat(this.#buffered, this.#bufferedBytes);
    const perMs = bytesPerMs(this.#format);
    const alignBytes = this.#format.type === 'audio/pcm' ? 2 : 1;
    const offsetOf = (ms: number) => {
      const raw = Math.round((Math.max(ms, this.#bufferStartMs) - this.#bufferStartMs) * perMs);
      return Math.min(all.length, raw - (raw % alignBytes));
    };
    const endOffset = offsetOf(endMs);
    const audio = Buffer.from(all.subarray(offsetOf(startMs), endOffset));
    const rest = Buffer.from(all.subarray(endOffset));
    this.#buffered = rest.length > 0 ? [rest] : [];
    this.#bufferedBytes = rest.length;
    this.#bufferStartMs = Math.max(this.#bufferStartMs, endMs);
    return { audio, durationMs: audio.length / perMs };
  }

  /** Manual commit or clear: the whole buffer goes, and any speech in progress is forgotten. */
  resetVad(): void {
    this.#vad?.reset(this.#timelineMs);
  }

  clear(): void {
    this.#buffered = [];
    this.#bufferedBytes = 0;
    this.#bufferStartMs = this.#timelineMs;
    this.resetVad();
  }

  get bufferStartMs(): number {
    return this.#bufferStartMs;
  }
}
