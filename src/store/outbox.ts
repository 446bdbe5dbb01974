// Queries over the outbox: claim due jobs under a lease, record step results, reschedule, park as dead, count.
// A job's `locked_until` is its lease and its fencing token: every write names it, so a worker whose lease ran out
// and was taken over can no longer change the job.
import { z } from 'zod';
import type { Database } from './database.ts';

export const OutboxStatus = { pending: 'pending', done: 'done', dead: 'dead' } as const;
export type OutboxStatus = (typeof OutboxStatus)[keyof typeof OutboxStatus];

const jobRowSchema = z.object({
  id: z.string(),
  call_id: z.string(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'done', 'dead']),
  attempts: z.number().int(),
  next_attempt_at: z.date(),
  deadline_at: z.date(),
  locked_until: z.date().nullable(),
  last_error: z.string().nullable(),
  steps: z.record(z.string(), z.unknown()),
  created_at: z.date(),
  updated_at: z.date(),
});

export type OutboxJob = {
  id: string;
  callId: string;
  kind: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  /** Claims so far, the current one included. */
  attempts: number;
  nextAttemptAt: Date;
  deadlineAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  /** Each finished delivery step's result, so a retry resumes where the last attempt stopped. */
  steps: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
};

/** A claimed job's lease: writes succeed only while `until` is still the job's `locked_until`. */
export type OutboxLease = { readonly jobId: string; readonly until: Date };

export type OutboxCounts = { delivered: number; pending: number; failing: number; dead: number };

function toJob(row: Record<string, unknown>): OutboxJob {
  const r = jobRowSchema.parse(row);
  return {
    id: r.id,
    callId: r.call_id,
    kind: r.kind,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    deadlineAt: r.deadline_at,
    lockedUntil: r.locked_until,
    lastError: r.last_error,
    steps: r.steps,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const countsSchema = z.object({ delivered: z.coerce.number(), pending: z.coerce.number(), failing: z.coerce.number(), dead: z.coerce.number() });

export class OutboxStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Claims up to `limit` due jobs of `kinds` for `leaseMs`. `FOR UPDATE SKIP LOCKED` lets several workers claim at
   * once without waiting on or taking each other's rows; an expired lease makes a job claimable again.
   */
  async claimDue(options: { now: Date; leaseMs: number; limit: number; kinds: readonly string[] }): Promise<OutboxJob[]> {
    const until = new Date(options.now.getTime() + options.leaseMs);
    const { rows } = await this.#db.query(
      `update outbox set locked_until = $2, attempts = attempts + 1, updated_at = $1
       where id in (
         select id from outbox
         where status = 'pending' and next_attempt_at <= $1 and (locked_until is null or locked_until <= $1) and kind = any($4)
         order by next_attempt_at, id limit $3
         for update skip locked)
       returning *`,
      [options.now, until, options.limit, options.kinds],
    );
    return rows.map(toJob).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id.localeCompare(b.id));
  }

  /** Moves the lease forward before a long step; undefined when the lease was lost. */
  async renewLease(lease: OutboxLease, options: { now: Date; leaseMs: number }): Promise<OutboxLease | undefined> {
    const until = new Date(options.now.getTime() + options.leaseMs);
    const { rows } = await this.#db.query(`update outbox set locked_until = $3, updated_at = $4 where id = $1 and locked_until = $2 and status = 'pending' returning id`, [
      lease.jobId,
      lease.until,
      until,
      options.now,
    ]);
    return rows.length > 0 ? { jobId: lease.jobId, until } : undefined;
  }

  /** Stores the steps after each one finishes; false when the lease was lost (another worker owns the job). */
  async saveSteps(lease: OutboxLease, steps: Record<string, unknown>, now: Date): Promise<boolean> {
    return this.#fenced(lease, 'steps = $3, updated_at = $4', [JSON.stringify(steps), now]);
  }

  async complete(lease: OutboxLease, steps: Record<string, unknown>, now: Date): Promise<boolean> {
    return this.#fenced(lease, `status = 'done', steps = $3, updated_at = $4, locked_until = null, last_error = null`, [JSON.stringify(steps), now]);
  }

  async reschedule(lease: OutboxLease, options: { nextAttemptAt: Date; lastError: string; now: Date }): Promise<boolean> {
    return this.#fenced(lease, 'next_attempt_at = $3, last_error = $4, updated_at = $5, locked_until = null', [options.nextAttemptAt, options.lastError, options.now]);
  }

  async markDead(lease: OutboxLease, options: { lastError: string; now: Date }): Promise<boolean> {
    return this.#fenced(lease, `status = 'dead', last_error = $3, updated_at = $4, locked_until = null`, [options.lastError, options.now]);
  }

  /** Gives a claimed job back at once (a worker stopping between steps); the claim does not count as an attempt. */
  async release(lease: OutboxLease, now: Date): Promise<boolean> {
    return this.#fenced(lease, 'locked_until = null, next_attempt_at = $3, attempts = greatest(attempts - 1, 0), updated_at = $3', [now]);
  }

  /** Puts a dead or failing job back in line now, with a new deadline; its recorded steps are kept. */
  async retry(jobId: string, options: { now: Date; deadlineAt: Date }): Promise<OutboxJob | undefined> {
    const { rows } = await this.#db.query(
      `update outbox set status = 'pending', next_attempt_at = $2, deadline_at = greatest(deadline_at, $3), locked_until = null, updated_at = $2
       where id = $1 and status <> 'done' returning *`,
      [jobId, options.now, options.deadlineAt],
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async get(jobId: string): Promise<OutboxJob | undefined> {
    const { rows } = await this.#db.query('select * from outbox where id = $1', [jobId]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async list(options: { status?: OutboxStatus; limit: number }): Promise<OutboxJob[]> {
    const { rows } = options.status
      ? await this.#db.query('select * from outbox where status = $1 order by created_at desc, id limit $2', [options.status, options.limit])
      : await this.#db.query('select * from outbox order by created_at desc, id limit $1', [options.limit]);
    return rows.map(toJob);
  }

  /** For /metrics and the dashboard: `failing` are pending jobs whose last attempt failed. */
  async counts(): Promise<OutboxCounts> {
    const { rows } = await this.#db.query(
      `select count(*) filter (where status = 'done') as delivered, count(*) filter (where status = 'pending') as pending,
         count(*) filter (where status = 'pending' and last_error is not null) as failing, count(*) filter (where status = 'dead') as dead
       from outbox`,
    );
    return countsSchema.parse(rows[0]);
  }

  async #fenced(lease: OutboxLease, assignments: string, values: readonly unknown[]): Promise<boolean> {
    const { rows } = await this.#db.query(`update outbox set ${assignments} where id = $1 and locked_until = $2 and status = 'pending' returning id`, [
      lease.jobId,
      lease.until,
      ...values,
    ]);
    return rows.length > 0;
  }
}
