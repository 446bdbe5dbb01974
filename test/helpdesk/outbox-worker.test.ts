import { describe, expect, it } from 'vitest';
import { createOutboxWorker } from '../../src/helpdesk/outbox-worker.ts';
import { captureLog } from '../support/log-capture.ts';
import { flushMicrotasks, ManualClock } from '../support/manual-clock.ts';
import { escalationConfig, longTurns } from './support/escalated-calls.ts';
import { startWorkerHarness } from './support/worker-harness.ts';

const ticketCreates = (requests: { method: string; path: string }[]) => requests.filter((request) => request.method === 'POST' && request.path === '/api/tickets');

describe('outbox worker delivering escalations to the Gorgias twin', () => {
  it('delivers an escalated call: the caller upserted, one phone ticket, the transcript in order, then the note', async () => {
    const { newWorker, seedCall, twin, store, captured } = await startWorkerHarness();
    const jobId = await seedCall({ id: 'c1' });
    const worker = newWorker();
    expect(await worker.runOnce()).toEqual({ claimed: 1, delivered: 1, waiting: 0, failed: 0, dead: 0, released: 0 });

    const [customer] = twin.customers();
    expect(customer).toMatchObject({ name: 'Jane Caller', email: 'jane@example.com' });
    const [ticket] = twin.tickets();
    expect(twin.tickets()).toHaveLength(1);
    expect(ticket).toMatchObject({ external_id: 'aicall:CAc1', channel: 'phone', via: 'api', status: 'open', priority: 'high', customer: { id: customer?.id } });
    expect(ticket?.tags.map((tag) => tag.name)).toEqual(['ai-phone', 'ai-escalated', 'wismo', 'delivery_exception']);
    const messages = twin.messages(ticket?.id ?? 0);
    expect(messages.map((message) => [message.channel, message.from_agent, message.sender?.id])).toEqual([
      ['phone', true, twin.botUserId],
      ['phone', false, customer?.id],
      ['phone', true, twin.botUserId],
      ['phone', false, customer?.id],
      ['phone', true, twin.botUserId],
      ['internal-note', true, twin.botUserId],
    ]);
    expect(messages.at(-1)?.body_text).toContain('Why escalated: Delivery problem (late, lost or failed)');
    expect(twin.deliveries()).toEqual([]);
    expect(await store.get(jobId)).toMatchObject({ status: 'done', steps: { customer: { how: 'created' }, ticket: { ticketId: ticket?.id, how: 'created' } } });
    expect(await worker.counts()).toEqual({ delivered: 1, pending: 0, failing: 0, dead: 0 });
    expect(captured.events('outbox.delivery.succeeded')).toMatchObject([{ jobId, callId: 'c1', ticketId: ticket?.id }]);
    expect(twin.requests().map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/customers', 'POST /api/customers', 'POST /api/tickets']);
  });

  it('creates past-cap calls with 500 messages and appends the rest in order: exactly one ticket', async () => {
    const { newWorker, seedCall, twin } = await startWorkerHarness({ twin: { rateLimit: { apiKey: { capacity: 1_000, windowMs: 20_000 } } } });
    await seedCall({ id: 'long', turns: longTurns(530) });
    expect(await newWorker().runOnce()).toMatchObject({ delivered: 1 });
    expect(twin.tickets()).toHaveLength(1);
    const messages = twin.messages(twin.tickets()[0]?.id ?? 0);
    expect(messages).toHaveLength(531);
    const turns = messages.filter((message) => message.channel === 'phone').map((message) => message.body_text);
    expect(turns).toEqual(Array.from({ length: 530 }, (_, index) => `Turn number ${index + 1}.`));
  });

  it('sets the contact reason when configured, and completes despite a field id Gorgias refuses', async () => {
    const { newWorker, seedCall, twin, captured } = await startWorkerHarness({ allowedProblems: ['outbox.contact_reason.rejected'] });
    const field = twin.seedCustomField({ label: 'Contact reason', dataType: 'text' });
    await seedCall({ id: 'f1' });
    await newWorker({ config: { escalation: { ...escalationConfig, botUserId: twin.botUserId, contactReasonFieldId: field.id } } }).runOnce();
    expect(twin.tickets()[0]?.custom_fields).toMatchObject({ [field.id]: { value: 'Where is my order' } });

    await seedCall({ id: 'f2' });
    const refused = await newWorker({ config: { escalation: { ...escalationConfig, botUserId: twin.botUserId, contactReasonFieldId: 999 } } }).runOnce();
    expect(refused).toMatchObject({ delivered: 1 });
    expect(captured.events('outbox.contact_reason.rejected')).toHaveLength(1);
  });
});

describe('outbox worker polling', () => {
  it('polls at start, every interval, at once when woken, and leaves no timer after stop', async () => {
    const { db, calls, newClient } = await startWorkerHarness();
    let claims = 0;
    let claimed: () => void = () => undefined;
    const nextClaim = () => new Promise<void>((resolve) => (claimed = resolve));
    const counted = {
      ...db,
      async query(sql: string, params?: readonly unknown[]) {
        const result = await db.query(sql, params);
        if (sql.includes('skip locked')) (claims += 1), claimed();
        return result;
      },
    };
    const clock = new ManualClock();
    const { log } = captureLog();
    const worker = createOutboxWorker({ db: counted, calls, gorgias: newClient(), clock, random: () => 0.5, log, pollIntervalMs: 1_000, config: { escalation: escalationConfig } });
    let claim = nextClaim();
    worker.start();
    await clock.advance(0);
    await claim;
    await flushMicrotasks();
    await clock.advance(999);
    expect(claims).toBe(1);
    claim = nextClaim();
    await clock.advance(1);
    await claim;
    await flushMicrotasks();
    expect(claims).toBe(2);
    claim = nextClaim();
    worker.wake();
    await clock.advance(0);
    await claim;
    await flushMicrotasks();
    expect(claims).toBe(3);
    await worker.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
