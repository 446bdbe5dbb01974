// Model sessions opened while Twilio fetches the TwiML, held per CallSid until the stream arrives, so the
// greeting can start the moment it does (voice-peers.md, 9.6). An unclaimed session is closed when it expires.
import type { Clock, TimerHandle } from '../shared/clock.ts';
import type { Result } from '../shared/result.ts';
import type { RealtimeLink } from '../voice/realtime-link.ts';

type LinkAttempt = Promise<Result<RealtimeLink, unknown>>;

export class PrewarmedLinks {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { attempt: LinkAttempt; expiry: TimerHandle }>();

  constructor(clock: Clock, ttlMs: number) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  hold(callSid: string, attempt: LinkAttempt): void {
    this.discard(callSid);
    const expiry = this.#clock.setTimeout(() => this.discard(callSid), this.#ttlMs);
    this.#entries.set(callSid, { attempt, expiry });
  }

  /** Hands the session over to the stream that claims it; undefined when none was opened here. */
  take(callSid: string): LinkAttempt | undefined {
    const entry = this.#entries.get(callSid);
    if (!entry) return undefined;
    entry.expiry.cancel();
    this.#entries.delete(callSid);
    return entry.attempt;
  }

  discard(callSid: string): void {
    const attempt = this.take(callSid);
    void attempt?.then((result) => (result.ok ? result.value.close() : undefined));
  }

  close(): void {
    for (const callSid of [...this.#entries.keys()]) this.discard(callSid);
  }
}
