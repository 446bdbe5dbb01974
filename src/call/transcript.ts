// The call's turns in the order they began: caller turns from input transcription, agent turns from the output
// transcript, cut to what the caller heard when interrupted. Pure: the session persists what it returns.
import type { TurnRecord } from '../store/call-records.ts';

type Turn = TurnRecord & { isFinal: boolean; audioMs: number | null };

export class Transcript {
  readonly #turns: Turn[] = [];
  readonly #byItem = new Map<string, Turn>();

  get turns(): readonly TurnRecord[] {
    return this.#turns;
  }

  callerTurnStarted(itemId: string, startedMs: number): void {
    this.#open(itemId, 'caller', startedMs);
  }

  callerTurnEnded(itemId: string, endedMs: number): void {
    const turn = this.#byItem.get(itemId) ?? this.#open(itemId, 'caller', null);
    turn.endedMs = endedMs;
  }

  /** The caller's words arrived (asynchronously, possibly after the agent answered). */
  callerText(itemId: string, text: string): TurnRecord {
    const turn = this.#byItem.get(itemId) ?? this.#open(itemId, 'caller', null);
    turn.text = text.trim();
    turn.isFinal = true;
    return { ...turn };
  }

  /** A caller entry that did not come from speech, such as digits keyed on the phone. */
  callerKeyed(text: string, atMs: number): TurnRecord {
    const turn = this.#open(`keyed_${this.#turns.length + 1}`, 'caller', atMs);
    turn.text = text;
    turn.endedMs = atMs;
    turn.isFinal = true;
    return { ...turn };
  }

  agentTurnStarted(itemId: string): void {
    if (!this.#byItem.has(itemId)) this.#open(itemId, 'agent', null);
  }

  agentTextDelta(itemId: string, delta: string): void {
    const turn = this.#byItem.get(itemId) ?? this.#open(itemId, 'agent', null);
    if (!turn.isInterrupted) turn.text += delta;
  }

  agentTextDone(itemId: string, text: string): void {
    const turn = this.#byItem.get(itemId) ?? this.#open(itemId, 'agent', null);
    if (!turn.isInterrupted) turn.text = text;
  }

  agentAudioStarted(itemId: string, streamMs: number, latencyMs: number | null): void {
    const turn = this.#byItem.get(itemId);
    if (!turn) return;
    turn.startedMs = streamMs;
    if (turn.audioMs !== null && !turn.isInterrupted) turn.endedMs = streamMs + turn.audioMs;
    if (latencyMs !== null) turn.latencyMs = latencyMs;
  }

  /** The turn as it stands, for storing; undefined while it has no words yet. */
  snapshot(itemId: string): TurnRecord | undefined {
    const turn = this.#byItem.get(itemId);
    if (!turn || turn.text.length === 0) return undefined;
    const { isFinal: _isFinal, audioMs: _audioMs, ...record } = turn;
    return record;
  }

  /** Cuts an agent turn to the share of its audio the caller heard; words are assumed evenly spread. */
  agentInterrupted(itemId: string, heardMs: number, generatedMs: number): TurnRecord | null {
    const turn = this.#byItem.get(itemId);
    if (!turn) return null;
    const words = turn.text.split(/\s+/).filter((word) => word.length > 0);
    const share = generatedMs > 0 ? Math.min(1, heardMs / generatedMs) : 0;
    turn.text = words.slice(0, Math.round(words.length * share)).join(' ');
    turn.isInterrupted = true;
    turn.endedMs = turn.startedMs === null ? null : turn.startedMs + heardMs;
    turn.isFinal = true;
    return { ...turn };
  }

  /** The agent's item finished; `audioMs` is how much audio it carried. */
  agentTurnDone(itemId: string, audioMs: number): TurnRecord | null {
    const turn = this.#byItem.get(itemId);
    if (!turn || turn.isInterrupted) return null;
    turn.audioMs = audioMs;
    if (turn.startedMs !== null) turn.endedMs = turn.startedMs + audioMs;
    turn.isFinal = true;
    return { ...turn };
  }

  /** Final turns with text, oldest first: what a new model session is given to carry on the conversation. */
  replayable(): Array<{ speaker: 'caller' | 'agent'; text: string }> {
    return this.#turns.filter((turn) => turn.isFinal && turn.text.length > 0).map((turn) => ({ speaker: turn.speaker, text: turn.text }));
  }

  #open(itemId: string, speaker: 'caller' | 'agent', startedMs: number | null): Turn {
    const turn: Turn = { seq: this.#turns.length + 1, speaker, text: '', startedMs, endedMs: null, isInterrupted: false, latencyMs: null, itemId, isFinal: false, audioMs: null };
    this.#turns.push(turn);
    this.#byItem.set(itemId, turn);
    return turn;
  }
}
