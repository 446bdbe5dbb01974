import { describe, expect, it } from 'vitest';
import type { GorgiasClient } from '../../src/helpdesk/gorgias-client.ts';
import type { CreateTicketInput } from '../../src/helpdesk/gorgias-request-codec.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { startHarness } from './support/gorgias-harness.ts';
import type { SkippingClock } from './support/skipping-clock.ts';

async function callerId(client: GorgiasClient): Promise<number> {
  const created = await client.createCustomer({ channels: [{ type: 'phone', address: '+14155550123', isPreferred: true }] });
  if (!created.ok) throw new Error(created.error.message);
  return created.value.id;
}

function escalation(customerId: number, externalId?: string): CreateTicketInput {
  return {
    ...(externalId ? { externalId } : {}),
    via: 'api',
    channel: 'phone',
    customer: { id: customerId },
    messages: [{ channel: 'phone', via: 'api', fromAgent: false, sender: { id: customerId }, bodyText: 'Where is my order?', sentDatetime: '2026-11-20T10:00:00.000Z' }],
  };
}

const ticketPosts = (requests: { method: string; path: string; status: number }[]) => requests.filter((request) => request.method === 'POST' && request.path === '/api/tickets');

describe('Gorgias client retries: nothing lost, nothing doubled', () => {
  it('retries a GET after a 503 with a jittered backoff', async () => {
    const { client, twin, clock } = await startHarness();
    twin.failNext(2, { status: 503 });
    expect(await client.getAccount()).toMatchObject({ ok: true });
    expect(twin.requests().map((request) => request.status)).toEqual([503, 503, 200]);
    // random 0.5 with base 500 ms: 375 ms, then 750 ms (equal jitter).
    expect((clock as SkippingClock).waitsMs).toEqual([375, 750]);
  });

  it('after a 500 on a ticket create, checks by external id before sending again: one ticket', async () => {
    const { client, twin, captured } = await startHarness();
    const customerId = await callerId(client);
    twin.failNext(1, { status: 500 });
    const created = await client.createTicket(escalation(customerId, 'aicall:CA500'));
    expect(created).toMatchObject({ ok: true, value: { externalId: 'aicall:CA500' } });
    expect(twin.tickets()).toHaveLength(1);
    expect(twin.requests().slice(1).map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual(['POST /api/tickets 500', 'GET /api/tickets 200', 'POST /api/tickets 201']);
    expect(captured.events('gorgias.request.retrying')).toHaveLength(1);
    twin.assertNoLeftovers();
  });

  it('never resends a create that carries no external id to check by', async () => {
    const { client, twin } = await startHarness();
    const customerId = await callerId(client);
    twin.failNext(1, { status: 502 });
    expect(await client.createTicket(escalation(customerId))).toMatchObject({ ok: false, error: { code: 'unavailable', status: 502 } });
    expect(ticketPosts(twin.requests())).toHaveLength(1);
  });

  it('recovers a ticket create whose answer was lost after Gorgias accepted it', async () => {
    const { client, twin, captured } = await startHarness();
    const customerId = await callerId(client);
    twin.acceptThenDrop(1);
    const created = await client.createTicket(escalation(customerId, 'aicall:CAdrop'));
    expect(created).toMatchObject({ ok: true, value: { externalId: 'aicall:CAdrop' } });
    expect(twin.tickets()).toHaveLength(1);
    expect(ticketPosts(twin.requests())).toHaveLength(1);
    expect(captured.events('gorgias.request.recovered')).toHaveLength(1);
  });

  it('recovers a message append whose answer was lost, by its external id', async () => {
    const { client, twin } = await startHarness();
    const customerId = await callerId(client);
    const ticket = await client.createTicket(escalation(customerId, 'aicall:CA1'));
    if (!ticket.ok) throw new Error(ticket.error.message);
    twin.acceptThenDrop(1);
    const appended = await client.createMessage(ticket.value.id, { channel: 'phone', via: 'api', fromAgent: false, sender: { id: customerId }, bodyText: 'More', sentDatetime: '2026-11-20T10:01:00.000Z', externalId: 'aicall:CA1:turn:2' });
    expect(appended).toMatchObject({ ok: true, value: { externalId: 'aicall:CA1:turn:2' } });
    expect(twin.messages(ticket.value.id)).toHaveLength(2);
  });

  it('recovers a customer create whose answer was lost, by its external id', async () => {
    const { client, twin } = await startHarness();
    twin.acceptThenDrop(1);
    const created = await client.createCustomer({ channels: [{ type: 'phone', address: '+14155550123' }], externalId: 'aicall-caller:+14155550123' });
    expect(created).toMatchObject({ ok: true, value: { externalId: 'aicall-caller:+14155550123' } });
    expect(twin.customers()).toHaveLength(1);
  });

  it('times out a slow answer, retries reads, and never resends a timed-out create it cannot check', async () => {
    const { newClient, client: setup, twin } = await startHarness();
    const customerId = await callerId(setup);
    const client = newClient({ timeoutMs: 100, retry: { maxAttempts: 2 } });
    twin.addLatency(400);
    expect(await client.getAccount()).toMatchObject({ ok: false, error: { code: 'network' } });
    const created = await client.createTicket(escalation(customerId, 'aicall:CAslow'));
    expect(created).toMatchObject({ ok: false, error: { code: 'network' } });
    twin.addLatency(0);
    expect(twin.tickets()).toHaveLength(1);
    expect(ticketPosts(twin.requests())).toHaveLength(1);
    expect(await client.findTicketByExternalId('aicall:CAslow')).toMatchObject({ ok: true, value: { externalId: 'aicall:CAslow' } });
  });

  it('waits out a 429 storm for Retry-After each time and creates one ticket', async () => {
    const { client, twin, clock, captured } = await startHarness();
    const customerId = await callerId(client);
    twin.failNext(4, { status: 429, retryAfterSeconds: 2 });
    expect(await client.createTicket(escalation(customerId, 'aicall:CAstorm'))).toMatchObject({ ok: true });
    expect(twin.tickets()).toHaveLength(1);
    expect(ticketPosts(twin.requests()).map((request) => request.status)).toEqual([429, 429, 429, 429, 201]);
    // Each wait runs to the Retry-After instant; the few real milliseconds spent in between count towards it.
    expect((clock as SkippingClock).waitsMs.filter((waitMs) => waitMs > 1_900)).toHaveLength(4);
    expect(captured.events('gorgias.rate_limited')).toHaveLength(4);
  });

  it('gives up with rate_limited and the wait when Retry-After is longer than it may block', async () => {
    const { client, twin } = await startHarness();
    twin.failNext(1, { status: 429, retryAfterSeconds: 120 });
    expect(await client.getAccount()).toMatchObject({ ok: false, error: { code: 'rate_limited', status: 429, retryAfterMs: 120_000 } });
    expect(twin.requests()).toHaveLength(1);
  });

  it('paces a burst so it stays within the bucket: no 429 at all', async () => {
    const { newClient, twin } = await startHarness({
      twin: { clock: systemClock, rateLimit: { apiKey: { capacity: 4, windowMs: 500 } } },
      client: { clock: systemClock, bucket: { limit: 4, windowMs: 500, headroom: 1 } },
    });
    const client = newClient();
    const startedMs = performance.now();
    const results = await Promise.all(Array.from({ length: 16 }, () => client.getAccount()));
    const elapsedMs = performance.now() - startedMs;
    expect(results.every((result) => result.ok)).toBe(true);
    expect(twin.requests().filter((request) => request.status === 429)).toEqual([]);
    // 3 at once, then 13 at the leak rate of 8 per second.
    expect(elapsedMs).toBeGreaterThan(1_400);
    expect(client.bucketState().limit).toBe(4);
  });
});
