// A claimed outbox job's lease as the worker holds it: renewed on a heartbeat while a step runs, so a slow step
// (a long 429 storm) never lets a second worker take the job mid-create, and every write names the current lease.
import type { Clock } from '../shared/clock.ts';
import type { OutboxLease, OutboxStore } from '../store/outbox.ts';

export class HeldLease {
  readonly #store: OutboxStore;
  readonly #clock: Clock;
  readonly #leaseMs: number;
  #lease: OutboxLease;
  // Writes and renewals run one after another: a renewal racing a write would make the write's fence miss.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(store: OutboxStore, lease: OutboxLease, options: { clock: Clock; leaseMs: number }) {
    this.#store = store;
    this.#lease = lease;
    this.#clock = options.clock;
    this.#leaseMs = options.leaseMs;
  }

  /** Runs `write` with the lease current when its turn comes; it reports false when the lease was lost. */
  write(write: (lease: OutboxLease, now: Date) => Promise<boolean>): Promise<boolean> {
    const done = this.#queue.then(() => write(this.#lease, new Date(this.#clock.now())));
    this.#queue = done.catch(() => undefined);
    return done;
  }

  renew(): Promise<boolean> {
    return this.write(async (lease, now) => {
      const renewed = await this.#store.renewLease(lease, { now, leaseMs: this.#leaseMs });
      if (renewed) this.#lease = renewed;
      return renewed !== undefined;
    });
  }

  /** Keeps the lease alive, renewing every third of it, until `work` settles. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    const heartbeat = this.#clock.setInterval(() => void this.renew().catch(() => undefined), Math.max(1_000, Math.floor(this.#leaseMs / 3)));
    try {
      return await work();
    } finally {
      heartbeat.cancel();
    }
  }
}
