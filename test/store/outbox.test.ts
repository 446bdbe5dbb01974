import { describe, expect, it, onTestFinished } from 'vitest';
import { CallRecords } from '../../src/store/call-records.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { ENGINES, isPostgresReachable, openTestDatabase, type Engine } from '../support/databases.ts';

const hasPostgres = await isPostgresReachable();
const T0 = new Date('2026-11-20T10:05:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const KINDS = ['gorgias_escalation'];

async function outbox(engine: Engine, jobCount: number) {
  const database = await openTestDatabase(engine);
  onTestFinished(() => database.close());
  const calls = new CallRecords(database);
  for (let n = 1; n <= jobCount; n++) {
    await calls.createCall({ id: `call_${n}`, callSid: `CA${n}`, fromNumber: '+14155550100', toNumber: '+18005550199', startedAt: T0, model: 'gpt-realtime' });
    const ending = { endedAt: T0, endedBy: 'agent', outcome: 'escalated' as const, reason: 'delivery_exception', intent: 'wismo', summary: null, callerWants: null, isVerified: false, handoff: null, details: {} };
    await calls.recordOutcome(`call_${n}`, ending, [{ id: `job_${n}`, kind: 'gorgias_escalation', payload: {}, deadlineAt: at(3600) }]);
  }
  return { database, store: new OutboxStore(database) };
}

describe.each(ENGINES)('outbox store on %s', (engine) => {
  const skip = engine === 'postgres' && !hasPostgres;

  it.skipIf(skip)('claims due jobs under a lease and counts the attempt', async () => {
    const { store } = await outbox(engine, 2);
    const claimed = await store.claimDue({ now: at(0), leaseMs: 60_000, limit: 5, kinds: KINDS });
    expect(claimed.map((job) => [job.id, job.attempts, job.lockedUntil?.toISOString()])).toEqual([
      ['job_1', 1, at(60).toISOString()],
      ['job_2', 1, at(60).toISOString()],
    ]);
    expect(await store.claimDue({ now: at(30), leaseMs: 60_000, limit: 5, kinds: KINDS })).toEqual([]);
    expect(await store.claimDue({ now: at(0), leaseMs: 60_000, limit: 5, kinds: ['other_kind'] })).toEqual([]);
  });

  it.skipIf(skip)('lets concurrent claimers share the work without taking the same job', async () => {
    const { store } = await outbox(engine, 4);
    const claims = await Promise.all([1, 2, 3, 4].map(() => store.claimDue({ now: at(0), leaseMs: 60_000, limit: 1, kinds: KINDS })));
    const ids = claims.flat().map((job) => job.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(skip)('fences an expired lease: the new owner writes, the old one cannot', async () => {
    const { store } = await outbox(engine, 1);
    const [first] = await store.claimDue({ now: at(0), leaseMs: 60_000, limit: 1, kinds: KINDS });
    const old = { jobId: 'job_1', until: first?.lockedUntil ?? at(0) };
    expect(await store.saveSteps(old, { customer: { customerId: 7, how: 'created' } }, at(1))).toBe(true);
    const [second] = await store.claimDue({ now: at(61), leaseMs: 60_000, limit: 1, kinds: KINDS });
    expect(second).toMatchObject({ id: 'job_1', attempts: 2, steps: { customer: { customerId: 7 } } });
    expect(await store.saveSteps(old, {}, at(62))).toBe(false);
    expect(await store.complete(old, {}, at(62))).toBe(false);
    expect(await store.renewLease(old, { now: at(62), leaseMs: 60_000 })).toBeUndefined();
    const current = { jobId: 'job_1', until: second?.lockedUntil ?? at(0) };
    const renewed = await store.renewLease(current, { now: at(90), leaseMs: 60_000 });
    expect(renewed?.until.toISOString()).toBe(at(150).toISOString());
    expect(renewed && (await store.complete(renewed, { ticket: { ticketId: 3, how: 'created' } }, at(91)))).toBe(true);
    expect(await store.get('job_1')).toMatchObject({ status: 'done', lockedUntil: null, steps: { ticket: { ticketId: 3 } } });
  });

  it.skipIf(skip)('reschedules a failure, parks a dead job, and revives it from the CLI with its steps', async () => {
    const { store } = await outbox(engine, 2);
    const [job1, job2] = await store.claimDue({ now: at(0), leaseMs: 60_000, limit: 2, kinds: KINDS });
    const lease1 = { jobId: 'job_1', until: job1?.lockedUntil ?? at(0) };
    const lease2 = { jobId: 'job_2', until: job2?.lockedUntil ?? at(0) };
    expect(await store.reschedule(lease1, { nextAttemptAt: at(30), lastError: 'ticket: unavailable', now: at(1) })).toBe(true);
    expect(await store.saveSteps(lease2, { isTicketCreateSent: true }, at(1))).toBe(true);
    expect(await store.markDead(lease2, { lastError: 'ticket: validation: refused', now: at(2) })).toBe(true);
    expect(await store.counts()).toEqual({ delivered: 0, pending: 1, failing: 1, dead: 1 });
    expect(await store.claimDue({ now: at(29), leaseMs: 60_000, limit: 5, kinds: KINDS })).toEqual([]);
    expect((await store.claimDue({ now: at(30), leaseMs: 60_000, limit: 5, kinds: KINDS })).map((job) => job.id)).toEqual(['job_1']);

    const revived = await store.retry('job_2', { now: at(7200), deadlineAt: at(7200 + 86_400) });
    expect(revived).toMatchObject({ status: 'pending', lastError: 'ticket: validation: refused', steps: { isTicketCreateSent: true } });
    expect(revived?.deadlineAt.toISOString()).toBe(at(7200 + 86_400).toISOString());
    expect(await store.retry('job_404', { now: at(0), deadlineAt: at(1) })).toBeUndefined();
    expect((await store.list({ status: 'pending', limit: 10 })).map((job) => job.id).sort()).toEqual(['job_1', 'job_2']);
  });

  it.skipIf(skip)('gives a job back on release without counting the claim as an attempt', async () => {
    const { store } = await outbox(engine, 1);
    const [job] = await store.claimDue({ now: at(0), leaseMs: 60_000, limit: 1, kinds: KINDS });
    expect(await store.release({ jobId: 'job_1', until: job?.lockedUntil ?? at(0) }, at(5))).toBe(true);
    expect(await store.claimDue({ now: at(5), leaseMs: 60_000, limit: 1, kinds: KINDS })).toMatchObject([{ id: 'job_1', attempts: 1 }]);
  });
});
