// Scripted faults for the client's zero-loss tests: fail the next N requests, accept then drop, added latency.
// Faults queue in the order they were asked for and apply to `/api` requests only (not OAuth, not `/twin`).

export type InjectedFailureStatus = 500 | 502 | 503 | 429;

export type Fault =
  | { kind: 'fail'; status: InjectedFailureStatus; retryAfterSeconds: number | undefined }
  | { kind: 'accept-then-drop' };

type QueuedFault = { fault: Fault; remaining: number };

export class FaultPlan {
  #queue: QueuedFault[] = [];
  #latencyMs = 0;

  failNext(count: number, options: { status: InjectedFailureStatus; retryAfterSeconds?: number }): void {
    assertCount(count);
    if (options.retryAfterSeconds !== undefined && !(Number.isInteger(options.retryAfterSeconds) && options.retryAfterSeconds >= 0)) {
      throw new Error(`retryAfterSeconds must be a whole number of seconds, got ${options.retryAfterSeconds}`);
    }
    this.#queue.push({ fault: { kind: 'fail', status: options.status, retryAfterSeconds: options.retryAfterSeconds }, remaining: count });
  }

  acceptThenDrop(count: number): void {
    assertCount(count);
    this.#queue.push({ fault: { kind: 'accept-then-drop' }, remaining: count });
  }

  /** Sets the delay before each response is written; 0 removes it. */
  setLatency(latencyMs: number): void {
    if (!(latencyMs >= 0) || !Number.isFinite(latencyMs)) throw new Error(`latency must be a finite number of ms >= 0, got ${latencyMs}`);
    this.#latencyMs = latencyMs;
  }

  latencyMs(): number {
    return this.#latencyMs;
  }

  /** The fault for the request arriving now, if any; consumes it. */
  take(): Fault | undefined {
    const head = this.#queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.#queue.shift();
    return head.fault;
  }

  pendingCount(): number {
    return this.#queue.reduce((sum, queued) => sum + queued.remaining, 0);
  }
}

function assertCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a whole number >= 1, got ${count}`);
}
