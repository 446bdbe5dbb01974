// The outbox worker: claims due Gorgias jobs (a call's ticket, a hand-off note for it), delivers them step by step,
// retries with backoff until the job's deadline, then parks it as dead with its last error (STYLE.md, 9). It never
// runs on a call's path.
import type { Clock, TimerHandle } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { redactText } from '../shared/redact.ts';
import { assertNever } from '../shared/assert-never.ts';
import type { CallEnding, CallRecord, CallRecords, HandoffResult, OutboxJobSeed } from '../store/call-records.ts';
import type { Database } from '../store/database.ts';
import { OutboxStore, type OutboxCounts, type OutboxJob } from '../store/outbox.ts';
import { backoffDelayMs, type BackoffPolicy } from './backoff.ts';
import type { GorgiasError } from './errors.ts';
import { deliveryStepsSchema, nextDeliveryStep, runDeliveryStep, type DeliveryPort, type DeliverySteps } from './escalation-delivery.ts';
import { callGetsTicket, planEscalation, type EscalationConfig } from './escalation-mapper.ts';
import { handoffDedupeKey, handoffNotePayload, handoffNotePayloadSchema, planHandoffNote } from './handoff-note.ts';
import { deliverHandoffNote, handoffNoteStepsSchema } from './handoff-note-delivery.ts';
import { HeldLease } from './outbox-lease.ts';

/**
 * The job kinds this worker delivers: a call ticket (open for an escalation, closed for a call log), and an internal
 * note appended to that ticket when a hand-off result arrives after the call.
 */
export const GorgiasJobKind = { escalation: 'gorgias_escalation', callLog: 'gorgias_call_log', handoffNote: 'gorgias_handoff_note' } as const;
export type GorgiasJobKind = (typeof GorgiasJobKind)[keyof typeof GorgiasJobKind];
const JOB_KINDS: readonly GorgiasJobKind[] = Object.values(GorgiasJobKind);

/** Between delivery attempts: 5 s doubling to 15 min, jittered. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseDelayMs: 5_000, maxDelayMs: 15 * 60_000 };

/** A hand-off note waiting for its ticket looks again sooner: the ticket's own job is usually seconds away. */
export const TICKET_WAIT_BACKOFF: BackoffPolicy = { baseDelayMs: 2_000, maxDelayMs: 5 * 60_000 };

/** When attempt number `attempt` (1 = the first, failed one) may be retried. Pure. */
export function nextAttemptAt(attempt: number, now: Date, random: () => number, policy: BackoffPolicy = OUTBOX_BACKOFF): Date {
  return new Date(now.getTime() + backoffDelayMs(attempt, random, policy));
}

/**
 * The jobs born with a call's outcome (`CallRecords.recordOutcome`): an escalation always, a resolved call only with
 * LOG_RESOLVED_CALLS. The payload is empty: the call record is the data.
 */
export function gorgiasJobsFor(ending: Pick<CallEnding, 'outcome' | 'endedAt'>, options: JobOptions): OutboxJobSeed[] {
  if (!callGetsTicket(ending.outcome, options.logResolvedCalls)) return [];
  const kind = ending.outcome === 'escalated' ? GorgiasJobKind.escalation : GorgiasJobKind.callLog;
  return [{ id: options.newId(), kind, payload: {}, deadlineAt: deadlineAfter(ending.endedAt, options) }];
}

/**
 * The note job born with a hand-off result (`CallRecords.recordHandoff`): none for a call that ended without a
 * ticket; otherwise one, which waits until the call's own job has created the ticket. A call not ended yet gets one
 * too, because its outcome may still be on its way.
 */
export function gorgiasHandoffJobsFor(call: Pick<CallRecord, 'phase' | 'outcome'>, result: HandoffResult, options: JobOptions): OutboxJobSeed[] {
  const hasNoTicket = call.phase === 'ended' && (call.outcome === null || !callGetsTicket(call.outcome, options.logResolvedCalls));
  if (hasNoTicket) return [];
  return [{ id: options.newId(), kind: GorgiasJobKind.handoffNote, payload: handoffNotePayload(result), deadlineAt: deadlineAfter(result.at, options), dedupeKey: handoffDedupeKey(result) }];
}

export type JobOptions = { newId: () => string; deadlineHours: number; logResolvedCalls: boolean };

function deadlineAfter(at: Date, options: JobOptions): Date {
  return new Date(at.getTime() + options.deadlineHours * 3_600_000);
}

export type OutboxWorkerConfig = {
  escalation: EscalationConfig;
  /** How long a claim holds a job without news; renewed before each step and every third of it while one runs. */
  leaseMs?: number;
  batchSize?: number;
  backoff?: BackoffPolicy;
  ticketWait?: BackoffPolicy;
};

export type OutboxWorkerDeps = {
  db: Database;
  calls: Pick<CallRecords, 'getCall' | 'listTurns' | 'listToolCalls'>;
  gorgias: DeliveryPort;
  clock: Clock;
  random: () => number;
  log: Logger;
  pollIntervalMs: number;
  config: OutboxWorkerConfig;
};

export type OutboxRunSummary = { claimed: number; delivered: number; waiting: number; failed: number; dead: number; released: number };

export type OutboxWorker = {
  start(): void;
  /** Stops polling and waits for the step in flight; a job left half-way is released for the next worker. */
  stop(): Promise<void>;
  /** Polls now instead of at the next interval (after a call's outcome is recorded). */
  wake(): void;
  runOnce(): Promise<OutboxRunSummary>;
  counts(): Promise<OutboxCounts>;
};

type JobResult = 'delivered' | 'waiting' | 'failed' | 'dead' | 'released' | 'lost';

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { clock, log } = deps;
  const store = new OutboxStore(deps.db);
  const leaseMs = deps.config.leaseMs ?? 60_000;
  const batchSize = deps.config.batchSize ?? 5;
  const backoff = deps.config.backoff ?? OUTBOX_BACKOFF;
  const ticketWait = deps.config.ticketWait ?? TICKET_WAIT_BACKOFF;
  const now = () => new Date(clock.now());
  let isStopping = false;
  let isStarted = false;
  let timer: TimerHandle | null = null;
  let running: Promise<OutboxRunSummary> | null = null;
  let isWakeRequested = false;

  async function runOnce(): Promise<OutboxRunSummary> {
    const summary: OutboxRunSummary = { claimed: 0, delivered: 0, waiting: 0, failed: 0, dead: 0, released: 0 };
    const jobs = await store.claimDue({ now: now(), leaseMs, limit: batchSize, kinds: JOB_KINDS });
    summary.claimed = jobs.length;
    for (const job of jobs) {
      const lease = new HeldLease(store, { jobId: job.id, until: job.lockedUntil ?? now() }, { clock, leaseMs });
      const result = isStopping ? await releaseJob(lease) : await deliverJob(job, lease);
      if (result !== 'lost') summary[result] += 1;
    }
    return summary;
  }

  async function releaseJob(lease: HeldLease): Promise<JobResult> {
    return (await lease.write((current, at) => store.release(current, at))) ? 'released' : 'lost';
  }

  async function deliverJob(job: OutboxJob, lease: HeldLease): Promise<JobResult> {
    const jobLog = log.child({ jobId: job.id, callId: job.callId });
    const startedMs = clock.monotonicMs();
    const call = await deps.calls.getCall(job.callId);
    if (!call) return bury(jobLog, job, lease, 'call record not found');
    if (job.kind === GorgiasJobKind.handoffNote) return deliverNote(job, call, lease, jobLog);
    const storedSteps = deliveryStepsSchema.safeParse(job.steps);
    // Unreadable steps could hide a ticket already created; a person must look before anything is sent again.
    if (!storedSteps.success) return bury(jobLog, job, lease, 'recorded steps are unreadable');
    const plan = planEscalation({ call, turns: await deps.calls.listTurns(job.callId), toolCalls: await deps.calls.listToolCalls(job.callId) }, deps.config.escalation);
    if (plan.kind === 'skip') {
      if (!(await lease.write((current, at) => store.complete(current, job.steps, at)))) return 'lost';
      jobLog.info({ why: plan.why }, 'outbox.delivery.skipped');
      return 'delivered';
    }
    if (plan.issues.length > 0) jobLog.warn({ issues: plan.issues }, 'outbox.details.invalid');

    let steps: DeliverySteps = storedSteps.data;
    for (;;) {
      const step = nextDeliveryStep(plan, steps);
      if (step === null) {
        const done = steps;
        if (!(await lease.write((current, at) => store.complete(current, done, at)))) return 'lost';
        jobLog.info({ ticketId: steps.ticket?.ticketId, customer: steps.customer?.how, ticket: steps.ticket?.how, attempts: job.attempts, durationMs: Math.round(clock.monotonicMs() - startedMs) }, 'outbox.delivery.succeeded');
        return 'delivered';
      }
      if (isStopping) return releaseJob(lease);
      if (!(await lease.renew())) return leaseLost(jobLog, step);
      const run = { gorgias: deps.gorgias, plan, steps, save: (next: DeliverySteps) => lease.write((current, at) => store.saveSteps(current, next, at)) };
      const outcome = await lease.during(() => runDeliveryStep(run, step));
      if (outcome.kind === 'lease_lost') return leaseLost(jobLog, step);
      if (outcome.kind === 'failed') return fail(job, lease, { step, externalId: plan.externalId }, outcome.error, jobLog);
      if (step === 'contact_reason' && outcome.steps.contactReason?.status === 'rejected') {
        jobLog.warn({ code: outcome.steps.contactReason.code }, 'outbox.contact_reason.rejected');
      }
      steps = outcome.steps;
    }
  }

  /** A hand-off note: appended to the ticket the call's own job created, waiting while there is none. */
  async function deliverNote(job: OutboxJob, call: CallRecord, lease: HeldLease, jobLog: Logger): Promise<JobResult> {
    const payload = handoffNotePayloadSchema.safeParse(job.payload);
    if (!payload.success) return bury(jobLog, job, lease, 'the hand-off payload is unreadable');
    const storedSteps = handoffNoteStepsSchema.safeParse(job.steps);
    if (!storedSteps.success) return bury(jobLog, job, lease, 'recorded steps are unreadable');
    const plan = planHandoffNote({ call, payload: payload.data, jobId: job.id }, deps.config.escalation);
    if (plan.kind === 'skip') {
      if (!(await lease.write((current, at) => store.complete(current, job.steps, at)))) return 'lost';
      jobLog.info({ why: plan.why }, 'outbox.delivery.skipped');
      return 'delivered';
    }
    if (plan.kind === 'wait') return wait(job, lease, plan.why, jobLog);
    if (isStopping) return releaseJob(lease);
    if (!(await lease.renew())) return leaseLost(jobLog, 'handoff_note');
    const save = (next: Record<string, unknown>) => lease.write((current, at) => store.saveSteps(current, next, at));
    const outcome = await lease.during(() => deliverHandoffNote({ gorgias: deps.gorgias, plan, steps: storedSteps.data, save }));
    switch (outcome.kind) {
      case 'delivered': {
        const done = outcome.steps;
        if (!(await lease.write((current, at) => store.complete(current, done, at)))) return 'lost';
        jobLog.info({ ticketId: done.ticketId, messageId: done.messageId, note: done.how, handoff: payload.data.kind, attempts: job.attempts }, 'outbox.delivery.succeeded');
        return 'delivered';
      }
      case 'waiting':
        return wait(job, lease, outcome.why, jobLog);
      case 'failed':
        return fail(job, lease, { step: 'handoff_note', externalId: plan.ticketExternalId }, outcome.error, jobLog);
      case 'lease_lost':
        return leaseLost(jobLog, 'handoff_note');
      default:
        return assertNever(outcome, 'hand-off note outcome');
    }
  }

  /** Not a failure: the job looks again soon, and is parked as dead only if its deadline passes first. */
  async function wait(job: OutboxJob, lease: HeldLease, why: string, jobLog: Logger): Promise<JobResult> {
    const at = now();
    if (at.getTime() >= job.deadlineAt.getTime()) return bury(jobLog, job, lease, `waited until the deadline: ${why}`);
    const retryAt = new Date(Math.min(nextAttemptAt(job.attempts, at, deps.random, ticketWait).getTime(), job.deadlineAt.getTime()));
    if (!(await lease.write((current, writeAt) => store.reschedule(current, { nextAttemptAt: retryAt, lastError: `waiting: ${why}`, now: writeAt })))) return 'lost';
    jobLog.info({ why, attempt: job.attempts, nextAttemptAt: retryAt.toISOString() }, 'outbox.delivery.waiting');
    return 'waiting';
  }

  async function fail(job: OutboxJob, lease: HeldLease, where: { step: string; externalId: string }, error: GorgiasError, jobLog: Logger): Promise<JobResult> {
    const { step } = where;
    const lastError = redactText(`${step}: ${error.code}: ${error.message}`).slice(0, 1_000);
    const at = now();
    // Gorgias refuses an invalid request forever; past the deadline nothing more is tried (issue 4).
    if (error.code === 'validation' || at.getTime() >= job.deadlineAt.getTime()) return bury(jobLog, job, lease, lastError);
    const backoffAt = nextAttemptAt(job.attempts, at, deps.random, backoff).getTime();
    const retryAt = new Date(Math.min(Math.max(backoffAt, at.getTime() + (error.retryAfterMs ?? 0)), job.deadlineAt.getTime()));
    if (!(await lease.write((current, writeAt) => store.reschedule(current, { nextAttemptAt: retryAt, lastError, now: writeAt })))) return 'lost';
    jobLog.warn({ step, code: error.code, status: error.status, attempt: job.attempts, nextAttemptAt: retryAt.toISOString(), externalId: where.externalId }, 'outbox.delivery.failed');
    return 'failed';
  }

  async function bury(jobLog: Logger, job: OutboxJob, lease: HeldLease, lastError: string): Promise<JobResult> {
    if (!(await lease.write((current, at) => store.markDead(current, { lastError, now: at })))) return 'lost';
    jobLog.error({ lastError, attempts: job.attempts }, 'outbox.delivery.dead');
    return 'dead';
  }

  function leaseLost(jobLog: Logger, step: string): JobResult {
    jobLog.warn({ step }, 'outbox.lease.lost');
    return 'lost';
  }

  function schedule(delayMs: number): void {
    if (!isStarted || isStopping) return;
    timer?.cancel();
    timer = clock.setTimeout(() => {
      timer = null;
      void poll();
    }, delayMs);
  }

  async function poll(): Promise<void> {
    if (running) return;
    let delayMs = deps.pollIntervalMs;
    isWakeRequested = false;
    running = runOnce();
    try {
      const summary = await running;
      // A full batch means more may be due, and a wake during the run may name a job it missed: go again at once.
      if (summary.claimed === batchSize || isWakeRequested) delayMs = 0;
    } catch (error) {
      log.error({ err: error }, 'outbox.poll.failed');
    } finally {
      running = null;
    }
    schedule(delayMs);
  }

  return {
    start() {
      if (isStarted) return;
      isStarted = true;
      isStopping = false;
      schedule(0);
    },
    async stop() {
      isStopping = true;
      timer?.cancel();
      timer = null;
      await running?.catch(() => undefined);
      isStarted = false;
    },
    wake() {
      if (running) isWakeRequested = true;
      else schedule(0);
    },
    runOnce,
    counts: () => store.counts(),
  };
}

