import { describe, expect, it } from 'vitest';
import { nextDeliveryStep, runDeliveryStep, type DeliverablePlan, type DeliverySteps } from '../../src/helpdesk/escalation-delivery.ts';
import { planEscalation } from '../../src/helpdesk/escalation-mapper.ts';
import { gorgiasError, GORGIAS_ERROR_DESCRIPTIONS, GorgiasErrorCode, gorgiasErrorCodeForStatus } from '../../src/helpdesk/errors.ts';
import { gorgiasJobsFor, nextAttemptAt } from '../../src/helpdesk/outbox-worker.ts';
import { err, ok } from '../../src/shared/result.ts';
import { escalationConfig, longTurns, wismoCall } from './support/escalated-calls.ts';
import { scriptedGorgias } from './support/scripted-gorgias.ts';

function plan(overrides: Partial<typeof escalationConfig> = {}, turns = wismoCall.turns): DeliverablePlan {
  const planned = planEscalation({ ...wismoCall, turns }, { ...escalationConfig, ...overrides });
  if (planned.kind !== 'deliver') throw new Error(planned.why);
  return planned;
}

const customer = { customerId: 5, how: 'found' as const };
const ticket = { ticketId: 9, how: 'created' as const };

describe('delivery steps', () => {
  it.each([
    ['nothing done', plan(), {}, 'customer'],
    ['the customer upserted', plan(), { customer }, 'ticket'],
    ['the ticket created', plan(), { customer, ticket }, null],
    ['the ticket created, field configured', plan({ contactReasonFieldId: 3 }), { customer, ticket }, 'contact_reason'],
    ['the field set', plan({ contactReasonFieldId: 3 }), { customer, ticket, contactReason: { status: 'set' as const } }, null],
    ['turns past the cap waiting', plan({}, longTurns(505)), { customer, ticket }, 'overflow'],
    ['some turns appended', plan({}, longTurns(505)), { customer, ticket, overflow: { appended: 5 } }, 'overflow'],
    ['all turns appended', plan({}, longTurns(505)), { customer, ticket, overflow: { appended: 6 } }, null],
  ])('after %s the next step is %s', (_name, deliverable, steps: DeliverySteps, expected) => {
    expect(nextDeliveryStep(deliverable, steps)).toBe(expected);
  });

  it('records the create as sent before sending it, so a crash after it is looked up, not repeated', async () => {
    const gorgias = scriptedGorgias([{ method: 'createTicket', reply: err(gorgiasError('network', 'reset')) }]);
    const saved: DeliverySteps[] = [];
    const outcome = await runDeliveryStep({ gorgias, plan: plan(), steps: { customer }, save: async (steps) => (saved.push(steps), true) }, 'ticket');
    expect(saved).toEqual([{ customer, isTicketCreateSent: true }]);
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'network' }, steps: { isTicketCreateSent: true } });
    gorgias.assertComplete();
  });

  it('looks a sent create up by external id and records what it finds', async () => {
    const gorgias = scriptedGorgias([{ method: 'findTicketByExternalId', reply: ok({ id: 77 }), check: (externalId) => expect(externalId).toBe('aicall:CA5f1e0c2a') }]);
    const outcome = await runDeliveryStep({ gorgias, plan: plan(), steps: { customer, isTicketCreateSent: true }, save: async () => true }, 'ticket');
    expect(outcome).toEqual({ kind: 'advanced', steps: { customer, isTicketCreateSent: true, ticket: { ticketId: 77, how: 'found' } } });
    gorgias.assertComplete();
  });

  it('creates again when the sent create never landed', async () => {
    const gorgias = scriptedGorgias([
      { method: 'findTicketByExternalId', reply: ok(null) },
      { method: 'createTicket', reply: ok({ id: 78 }), check: (input) => expect(input).toMatchObject({ customer: { id: 5 } }) },
    ]);
    const outcome = await runDeliveryStep({ gorgias, plan: plan(), steps: { customer, isTicketCreateSent: true }, save: async () => true }, 'ticket');
    expect(outcome).toMatchObject({ kind: 'advanced', steps: { ticket: { ticketId: 78, how: 'created' } } });
    gorgias.assertComplete();
  });

  it('resumes appending past the cap, skipping what the ticket already holds', async () => {
    const gorgias = scriptedGorgias([
      { method: 'fetchAllMessages', reply: ok([{ externalId: 'aicall:CA5f1e0c2a:turn:502' }]) },
      { method: 'createMessage', reply: ok({ id: 1 }), check: (_ticketId, input) => expect(input).toMatchObject({ externalId: 'aicall:CA5f1e0c2a:turn:503' }) },
    ]);
    const saved: DeliverySteps[] = [];
    const outcome = await runDeliveryStep({ gorgias, plan: plan({}, longTurns(503)), steps: { customer, ticket, overflow: { appended: 2 } }, save: async (steps) => (saved.push(steps), true) }, 'overflow');
    expect(saved.map((steps) => steps.overflow?.appended)).toEqual([3, 4]);
    expect(outcome).toMatchObject({ kind: 'advanced', steps: { overflow: { appended: 4 } } });
    gorgias.assertComplete();
  });

  it('stops at once when the lease is lost', async () => {
    const gorgias = scriptedGorgias([]);
    expect(await runDeliveryStep({ gorgias, plan: plan(), steps: { customer }, save: async () => false }, 'ticket')).toEqual({ kind: 'lease_lost' });
    gorgias.assertComplete();
  });
});

describe('retry schedule and error catalog', () => {
  it.each([
    [1, 0, 2_500],
    [1, 1, 5_000],
    [3, 0.5, 15_000],
    [9, 1, 900_000],
    [30, 0, 450_000],
  ])('attempt %i with random %f retries after %i ms', (attempt, random, delayMs) => {
    const now = new Date('2026-11-20T10:00:00Z');
    expect(nextAttemptAt(attempt, now, () => random).getTime() - now.getTime()).toBe(delayMs);
  });

  it.each([
    ['escalated', false, ['gorgias_escalation']],
    ['resolved', true, ['gorgias_call_log']],
    ['resolved', false, []],
    ['abandoned', true, []],
    ['failed', true, []],
  ] as const)('gives a %s call (logging resolved calls: %s) the jobs %j', (outcome, logResolvedCalls, kinds) => {
    const endedAt = new Date('2026-11-20T10:00:00Z');
    const jobs = gorgiasJobsFor({ outcome, endedAt }, { newId: () => 'job_1', deadlineHours: 24, logResolvedCalls });
    expect(jobs.map((job) => job.kind)).toEqual(kinds);
    for (const job of jobs) expect(job).toEqual({ id: 'job_1', kind: job.kind, payload: {}, deadlineAt: new Date('2026-11-21T10:00:00Z') });
  });

  it('describes every error code, and only those', () => {
    expect(Object.keys(GORGIAS_ERROR_DESCRIPTIONS).sort()).toEqual(Object.values(GorgiasErrorCode).sort());
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [404, 'not_found'],
    [409, 'conflict'],
    [429, 'rate_limited'],
    [400, 'validation'],
    [413, 'validation'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ])('maps HTTP %i to %s', (status, code) => {
    expect(gorgiasErrorCodeForStatus(status)).toBe(code);
  });

  it('keeps the cause and leaves optional facts empty', () => {
    const cause = new Error('socket hang up');
    expect(gorgiasError('network', 'no answer', { cause })).toEqual({ code: 'network', message: 'no answer', status: null, retryAfterMs: null, fields: {}, cause });
  });
});
