// Stream time and per-turn latency as the caller feels it: end of caller speech to the first agent audio
// Twilio acknowledges playing (voice-peers.md, 9.4). Pure arithmetic over times the session passes in.

/** Maps the session's monotonic clock onto Twilio's stream clock (ms since the stream started). */
export class StreamClock {
  #lastMediaEndMs = 0;
  #lastMediaAtMonotonicMs: number | null = null;

  /** Called for each inbound frame: its timestamp plus its duration is "now" on the stream clock. */
  observeFrame(timestampMs: number, durationMs: number, atMonotonicMs: number): void {
    this.#lastMediaEndMs = timestampMs + durationMs;
    this.#lastMediaAtMonotonicMs = atMonotonicMs;
  }

  /** Where the last frame ended: the timestamp the next frame should carry. */
  get expectedNextTimestampMs(): number | null {
    return this.#lastMediaAtMonotonicMs === null ? null : this.#lastMediaEndMs;
  }

  streamMsAt(monotonicMs: number): number {
    if (this.#lastMediaAtMonotonicMs === null) return 0;
    return Math.max(0, this.#lastMediaEndMs + (monotonicMs - this.#lastMediaAtMonotonicMs));
  }
}

/** Pairs each end of caller speech with the first agent audio after it; one latency per caller turn. */
export class TurnLatency {
  #callerSpeechEndMs: number | null = null;

  callerStoppedSpeaking(streamMs: number): void {
    this.#callerSpeechEndMs = streamMs;
  }

  callerStartedSpeaking(): void {
    this.#callerSpeechEndMs = null;
  }

  /** The first audio of an agent turn reached the caller; returns the latency once per caller turn. */
  agentAudioStarted(streamMs: number): number | null {
    if (this.#callerSpeechEndMs === null) return null;
    const latencyMs = Math.max(0, Math.round(streamMs - this.#callerSpeechEndMs));
    this.#callerSpeechEndMs = null;
    return latencyMs;
  }
}
