// Everything one call writes to the store, in order and off the audio path. A failed write is logged and never
// breaks the call; settled() tells when all of them are done.
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { CallEnding, ToolCallRecord, TurnRecord, UsageRecord } from '../store/call-records.ts';
import type { CallRecorder } from './ports.ts';

export class CallJournal {
  readonly #recorder: CallRecorder;
  readonly #callId: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  #writes: Promise<void> = Promise.resolve();
  #eventSeq = 0;
  #toolSeq = 0;

  constructor(recorder: CallRecorder, callId: string, clock: Clock, log: Logger) {
    this.#recorder = recorder;
    this.#callId = callId;
    this.#clock = clock;
    this.#log = log;
  }

  get toolCallCount(): number {
    return this.#toolSeq;
  }

  markLive(streamSid: string): void {
    const answeredAt = new Date(this.#clock.now());
    this.#write(() => this.#recorder.markLive(this.#callId, streamSid, answeredAt));
  }

  /** Stores a turn as it stands; a later save of the same turn updates it. */
  turn(turn: TurnRecord): void {
    this.#write(() => this.#recorder.appendTurn(this.#callId, turn));
  }

  usage(usage: UsageRecord): void {
    this.#write(() => this.#recorder.recordUsage(this.#callId, usage));
  }

  /** Numbers a tool call when it starts, so calls keep their order whatever order they finish in. */
  nextToolSeq(): number {
    return ++this.#toolSeq;
  }

  toolCall(call: ToolCallRecord): void {
    this.#write(() => this.#recorder.recordToolCall(this.#callId, call));
  }

  /** A moment in the call's story (greeting, barge-in, model lost, fallback) for the manager's timeline. */
  event(name: string, detail: Record<string, unknown> = {}): void {
    const seq = ++this.#eventSeq;
    const at = new Date(this.#clock.now());
    this.#write(() => this.#recorder.recordEvent(this.#callId, { seq, at, name, detail }));
  }

  outcome(ending: CallEnding): void {
    this.#write(() => this.#recorder.recordOutcome(this.#callId, ending));
  }

  settled(): Promise<void> {
    return this.#writes;
  }

  #write(write: () => Promise<unknown>): void {
    this.#writes = this.#writes.then(write).then(
      () => undefined,
      (error: unknown) => this.#log.error({ err: error }, 'call.store.write_failed'),
    );
  }
}
