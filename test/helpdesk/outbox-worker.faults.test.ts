import { describe, expect, it } from 'vitest';
import type { DeliveryPort } from '../../src/helpdesk/escalation-delivery.ts';
import type { GorgiasClient } from '../../src/helpdesk/gorgias-client.ts';
import { runOutboxCli } from '../../src/helpdesk/outbox-cli.ts';
import { gorgiasError } from '../../src/helpdesk/errors.ts';
import { err } from '../../src/shared/result.ts';
import { ENGINES, isPostgresReachable } from '../support/databases.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { escalationConfig } from './support/escalated-calls.ts';
import { startWorkerHarness } from './support/worker-harness.ts';

const hasPostgres = await isPostgresReachable();

function deferred<T = void>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** The real client, with the ticket create wrapped to script what happens around it. */
function aroundTicketCreate(client: GorgiasClient, around: (create: () => ReturnType<GorgiasClient['createTicket']>) => ReturnType<GorgiasClient['createTicket']>): DeliveryPort {
  return { ...client, createTicket: (input) => around(() => client.createTicket(input)) };
}

describe('outbox worker: exactly one ticket whatever happens', () => {
  it('creates one ticket when Gorgias answers 500 to the create', async () => {
    const { newWorker, seedCall, twin, newClient } = await startWorkerHarness();
    await seedCall({ id: 'c500' });
    const client = newClient();
    const worker = newWorker({ gorgias: aroundTicketCreate(client, (create) => (twin.failNext(1, { status: 500 }), create())) });
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
  });

  it('after a create that timed out unanswered, finds the ticket on the next attempt instead of creating another', async () => {
    const { newWorker, seedCall, twin, newClient, clock, store, captured } = await startWorkerHarness({ allowedProblems: ['outbox.delivery.failed'] });
    const jobId = await seedCall({ id: 'slow' });
    const impatient = newClient({ timeoutMs: 100, retry: { maxAttempts: 2 } });
    const gorgias: DeliveryPort = {
      ...newClient(),
      async createTicket(input) {
        twin.addLatency(400);
        const created = await impatient.createTicket(input);
        twin.addLatency(0);
        return created;
      },
    };
    const worker = newWorker({ gorgias });
    expect(await worker.runOnce()).toMatchObject({ failed: 1 });
    expect(await store.get(jobId)).toMatchObject({ status: 'pending', attempts: 1, steps: { isTicketCreateSent: true }, lastError: expect.stringContaining('ticket: network') });
    expect(captured.events('outbox.delivery.failed')).toMatchObject([{ step: 'ticket', code: 'network' }]);

    clock.advance(60_000);
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
    expect(await store.get(jobId)).toMatchObject({ status: 'done', steps: { ticket: { how: 'found' } } });
  });

  it('honours a long Retry-After, then rides out a 429 storm: one ticket', async () => {
    const { newWorker, seedCall, twin, clock, store } = await startWorkerHarness({ client: { retry: { maxRetryAfterWaitMs: 5_000 } }, allowedProblems: ['outbox.delivery.failed'] });
    const jobId = await seedCall({ id: 'storm' });
    const worker = newWorker();
    twin.failNext(1, { status: 429, retryAfterSeconds: 60 });
    expect(await worker.runOnce()).toMatchObject({ failed: 1 });
    const failed = await store.get(jobId);
    expect((failed?.nextAttemptAt.getTime() ?? 0) - clock.now()).toBeGreaterThan(59_000);

    clock.advance(50_000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(10_000);
    twin.failNext(5, { status: 429, retryAfterSeconds: 1 });
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
    twin.assertNoLeftovers();
  });

  it('survives a create accepted then dropped with its landing check failing: a fresh worker on the same store finds it', async () => {
    const { newWorker, seedCall, twin, newClient, clock, store } = await startWorkerHarness({ allowedProblems: ['outbox.delivery.failed'] });
    const jobId = await seedCall({ id: 'drop' });
    // The answer is lost after Gorgias stored the ticket, and every landing check fails too.
    const lost = (create: () => ReturnType<GorgiasClient['createTicket']>) => (twin.acceptThenDrop(1), twin.failNext(4, { status: 503 }), create());
    const first = newWorker({ gorgias: aroundTicketCreate(newClient(), lost) });
    expect(await first.runOnce()).toMatchObject({ failed: 1 });
    expect(twin.tickets()).toHaveLength(1);

    clock.advance(60_000);
    expect(await newWorker().runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
    expect(await store.get(jobId)).toMatchObject({ status: 'done', steps: { ticket: { how: 'found' } } });
  });

  it('survives the process dying after Gorgias accepted the ticket: after the lease, a new worker completes without a second ticket', async () => {
    const { newWorker, seedCall, twin, newClient, clock, store } = await startWorkerHarness();
    const jobId = await seedCall({ id: 'killed' });
    const accepted = deferred();
    const dying = newWorker({
      gorgias: aroundTicketCreate(newClient(), async (create) => {
        await create();
        accepted.resolve();
        return new Promise(() => undefined);
      }),
    });
    void dying.runOnce();
    await accepted.promise;
    expect(twin.tickets()).toHaveLength(1);

    const restarted = newWorker();
    expect(await restarted.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(61_000);
    expect(await restarted.runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
    expect(await store.get(jobId)).toMatchObject({ status: 'done', attempts: 2, steps: { ticket: { how: 'found' } } });
  });

  it('parks a job as dead after its deadline, and the CLI puts it back in line', async () => {
    const { newWorker, seedCall, twin, newClient, clock, store, captured } = await startWorkerHarness({ allowedProblems: ['outbox.delivery.failed', 'outbox.delivery.dead'] });
    const jobId = await seedCall({ id: 'late', deadlineHours: 1 });
    const client = newClient();
    const down: DeliveryPort = { ...client, findCustomersByPhone: async () => err(gorgiasError('unavailable', 'Gorgias GET /customers answered 503', { status: 503 })) };
    const worker = newWorker({ gorgias: down });
    expect(await worker.runOnce()).toMatchObject({ failed: 1 });
    clock.advance(3_600_000);
    expect(await worker.runOnce()).toMatchObject({ dead: 1 });
    expect(await store.get(jobId)).toMatchObject({ status: 'dead', lastError: 'customer: unavailable: Gorgias GET /customers answered 503' });
    expect(captured.events('outbox.delivery.dead')).toMatchObject([{ jobId, attempts: 2 }]);
    expect(await worker.counts()).toEqual({ delivered: 0, pending: 0, failing: 0, dead: 1 });

    const out: string[] = [];
    const cli = { store, now: new Date(clock.now()), deadlineHours: 24, out: (line: string) => out.push(line) };
    expect(await runOutboxCli(['list', '--status', 'dead'], cli)).toBe(0);
    expect(out.join('\n')).toContain(`${jobId}  dead`);
    expect(await runOutboxCli(['retry', jobId], cli)).toBe(0);
    expect(await newWorker().runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
    expect(await runOutboxCli(['retry', jobId], cli)).toBe(1);
    expect(await runOutboxCli(['frobnicate'], cli)).toBe(2);
  });

  it('parks a request Gorgias refuses as invalid at once, with the reason', async () => {
    const { newWorker, seedCall, store, twin } = await startWorkerHarness({ allowedProblems: ['outbox.delivery.dead'] });
    const jobId = await seedCall({ id: 'bad' });
    const worker = newWorker({ config: { escalation: { ...escalationConfig, botUserId: 999_999 } } });
    expect(await worker.runOnce()).toMatchObject({ dead: 1 });
    expect(await store.get(jobId)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('ticket: validation: Gorgias POST /tickets answered 400') });
    expect(twin.tickets()).toEqual([]);
  });

  it('stops after the step in flight and releases the job, half-way, to the next worker', async () => {
    const { newWorker, seedCall, twin, newClient, store, clock } = await startWorkerHarness();
    const field = twin.seedCustomField({ label: 'Contact reason', dataType: 'text' });
    const config = { escalation: { ...escalationConfig, botUserId: twin.botUserId, contactReasonFieldId: field.id } };
    const jobId = await seedCall({ id: 'stop' });
    const creating = deferred();
    const gate = deferred();
    const workerClock = new ManualClock(new Date(clock.now() + 1_000).toISOString());
    const worker = newWorker({
      clock: workerClock,
      config,
      gorgias: aroundTicketCreate(newClient(), async (create) => {
        creating.resolve();
        await gate.promise;
        return create();
      }),
    });
    worker.start();
    await workerClock.advance(0);
    await creating.promise;
    const stopped = worker.stop();
    gate.resolve();
    await stopped;
    expect(await store.get(jobId)).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: null, steps: { ticket: { how: 'created' } } });
    expect(await store.get(jobId)).not.toHaveProperty('steps.contactReason');
    expect(workerClock.pendingTimers).toBe(0);

    clock.advance(2_000);
    expect(await newWorker({ config }).runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
    expect(await store.get(jobId)).toMatchObject({ status: 'done', steps: { contactReason: { status: 'set' } } });
  });

  it('keeps its lease alive through a step longer than the lease, so no second worker takes the job mid-create', async () => {
    const { newWorker, seedCall, twin, newClient, clock, store } = await startWorkerHarness();
    const jobId = await seedCall({ id: 'slowstep' });
    const creating = deferred();
    const gate = deferred();
    const firstClock = new ManualClock(new Date(clock.now() + 1_000).toISOString());
    const first = newWorker({
      clock: firstClock,
      gorgias: aroundTicketCreate(newClient(), async (create) => {
        creating.resolve();
        await gate.promise;
        return create();
      }),
    });
    const running = first.runOnce();
    await creating.promise;
    for (let second = 0; second < 70; second += 10) await firstClock.advance(10_000);
    const second = newWorker({ clock: new ManualClock(new Date(firstClock.now()).toISOString()) });
    expect(await second.runOnce()).toMatchObject({ claimed: 0 });
    gate.resolve();
    expect(await running).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
    expect(await store.get(jobId)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('logs a resolved call as a closed ticket tagged ai-resolved only with LOG_RESOLVED_CALLS', async () => {
    const { newWorker, seedCall, twin, captured } = await startWorkerHarness();
    const resolved = { outcome: 'resolved' as const, reason: null };
    await seedCall({ id: 'r1', ending: resolved });
    expect(await newWorker().runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toEqual([]);
    expect(captured.events('outbox.delivery.skipped')).toHaveLength(1);

    await seedCall({ id: 'r2', ending: resolved });
    await newWorker({ config: { escalation: { ...escalationConfig, botUserId: twin.botUserId, logResolvedCalls: true } } }).runOnce();
    expect(twin.tickets()).toMatchObject([{ status: 'closed', priority: 'low' }]);
    expect(twin.tickets()[0]?.tags.map((tag) => tag.name)).toEqual(['ai-phone', 'ai-resolved', 'wismo']);
  });
});

describe.each(ENGINES)('several outbox workers on one %s store', (engine) => {
  it.skipIf(engine === 'postgres' && !hasPostgres)('share the due jobs without delivering any twice', async () => {
    const { newWorker, seedCall, twin } = await startWorkerHarness({ engine, config: { batchSize: 2 } });
    for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) await seedCall({ id, fromNumber: `+1415555010${id.slice(1)}` });
    const workers = [newWorker(), newWorker(), newWorker()];
    const summaries = await Promise.all(workers.map((worker) => worker.runOnce()));
    const again = await Promise.all(workers.map((worker) => worker.runOnce()));
    const delivered = [...summaries, ...again].reduce((sum, summary) => sum + summary.delivered, 0);
    expect(delivered).toBe(5);
    expect(twin.tickets().map((ticket) => ticket.external_id).sort()).toEqual(['aicall:CAm1', 'aicall:CAm2', 'aicall:CAm3', 'aicall:CAm4', 'aicall:CAm5']);
  });
});
