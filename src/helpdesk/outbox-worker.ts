// The outbox worker: claims due escalation jobs, delivers them to Gorgias step by step, retries with backoff until
// the job's deadline, then parks it as dead with its last error (STYLE.md, 9). It never runs on a call's path.
import type { Clock, TimerHandle } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { redactText } from '../shared/redact.ts';
import type { CallEnding, CallRecords, OutboxJobSeed } from '../store/call-records.ts';
import type { Database } from '../store/database.ts';
import { OutboxStore, type OutboxCounts, type OutboxJob } from '../store/outbox.ts';
import { backoffDelayMs, type BackoffPolicy } from './backoff.ts';
import type { GorgiasError } from './errors.ts';
import { deliveryStepsSchema, nextDeliveryStep, runDeliveryStep, type DeliverablePlan, type DeliveryPort, type DeliveryStep, type DeliverySteps } from './escalation-delivery.ts';
import { planEscalation, type EscalationConfig } from './escalation-mapper.ts';
import { HeldLease } from './outbox-lease.ts';

/** The job kinds this worker delivers: both become a call ticket, open for an escalation, closed for a call log. */
export const GorgiasJobKind = { escalation: 'gorgias_escalation', callLog: 'gorgias_call_log' } as const;
export type GorgiasJobKind = (typeof GorgiasJobKind)[keyof typeof GorgiasJobKind];
const JOB_KINDS: readonly GorgiasJobKind[] = Object.values(GorgiasJobKind);

/** Between delivery attempts: 5 s doubling to 15 min, jittered. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseDelayMs: 5_000, maxDelayMs: 15 * 60_000 };

/** When attempt number `attempt` (1 = the first, failed one) may be retried. Pure. */
export function nextAttemptAt(attempt: number, now: Date, random: () => number, policy: BackoffPolicy = OUTBOX_BACKOFF): Date {
  return new Date(now.getTime() + backoffDelayMs(attempt, random, policy));
}

/**
 * The jobs born with a call's outcome (`CallRecords.recordOutcome`): an escalation always, a resolved call only with
 * LOG_RESOLVED_CALLS. The payload is empty: the call record is the data.
 */
export function gorgiasJobsFor(ending: Pick<CallEnding, 'outcome' | 'endedAt'>, options: { newId: () => string; deadlineHours: number; logResolvedCalls: boolean }): OutboxJobSeed[] {
  const deadlineAt = new Date(ending.endedAt.getTime() + options.deadlineHours * 3_600_000);
  if (ending.outcome === 'escalated') return [{ id: options.newId(), kind: GorgiasJobKind.escalation, payload: {}, deadlineAt }];
  if (ending.outcome === 'resolved' && options.logResolvedCalls) return [{ id: options.newId(), kind: GorgiasJobKind.callLog, payload: {}, deadlineAt }];
  return [];
}

export type OutboxWorkerConfig = {
  escalation: EscalationConfig;
  /** How long a claim holds a job without news; renewed before each step and every third of it while one runs. */
  leaseMs?: number;
  batchSize?: number;
  backoff?: BackoffPolicy;
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

export type OutboxRunSummary = { claimed: number; delivered: number; failed: number; dead: number; released: number };

export type OutboxWorker = {
  start(): void;
  /** Stops polling and waits for the step in flight; a job left half-way is released for the next worker. */
  stop(): Promise<void>;
  /** Polls now instead of at the next interval (after a call's outcome is recorded). */
  wake(): void;
  runOnce(): Promise<OutboxRunSummary>;
  counts(): Promise<OutboxCounts>;
};

type JobResult = 'delivered' | 'failed' | 'dead' | 'released' | 'lost';

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { clock, log } = deps;
  const store = new OutboxStore(deps.db);
  const leaseMs = deps.config.leaseMs ?? 60_000;
  const batchSize = deps.config.batchSize ?? 5;
  const backoff = deps.config.backoff ?? OUTBOX_BACKOFF;
  const now = () => new Date(clock.now());
  let isStopping = false;
  let isStarted = false;
  let timer: TimerHandle | null = null;
  let running: Promise<OutboxRunSummary> | null = null;
  let isWakeRequested = false;

  async function runOnce(): Promise<OutboxRunSummary> {
    const summary: OutboxRunSummary = { claimed: 0, delivered: 0, failed: 0, dead: 0, released: 0 };
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
      if (outcome.kind === 'failed') return fail(job, lease, plan, step, outcome.error, jobLog);
      if (step === 'contact_reason' && outcome.steps.contactReason?.status === 'rejected') {
        jobLog.warn({ code: outcome.steps.contactReason.code }, 'outbox.contact_reason.rejected');
      }
      steps = outcome.steps;
    }
  }

  async function fail(job: OutboxJob, lease: HeldLease, plan: DeliverablePlan, step: DeliveryStep, error: GorgiasError, jobLog: Logger): Promise<JobResult> {
    const lastError = redactText(`${step}: ${error.code}: ${error.message}`).slice(0, 1_000);
    const at = now();
    // Gorgias refuses an invalid request forever; past the deadline nothing more is tried (issue 4).
    if (error.code === 'validation' || at.getTime() >= job.deadlineAt.getTime()) return bury(jobLog, job, lease, lastError);
    const backoffAt = nextAttemptAt(job.attempts, at, deps.random, backoff).getTime();
    const retryAt = new Date(Math.min(Math.max(backoffAt, at.getTime() + (error.retryAfterMs ?? 0)), job.deadlineAt.getTime()));
    if (!(await lease.write((current, writeAt) => store.reschedule(current, { nextAttemptAt: retryAt, lastError, now: writeAt })))) return 'lost';
    jobLog.warn({ step, code: error.code, status: error.status, attempt: job.attempts, nextAttemptAt: retryAt.toISOString(), externalId: plan.externalId }, 'outbox.delivery.failed');
    return 'failed';
  }

  async function bury(jobLog: Logger, job: OutboxJob, lease: HeldLease, lastError: string): Promise<JobResult> {
    if (!(await lease.write((current, at) => store.markDead(current, { lastError, now: at })))) return 'lost';
    jobLog.error({ lastError, attempts: job.attempts }, 'outbox.delivery.dead');
    return 'dead';
  }

  function leaseLost(jobLog: Logger, step: DeliveryStep): JobResult {
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

