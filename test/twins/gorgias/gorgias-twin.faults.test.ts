import { describe, expect, it } from 'vitest';
import { field, startTestTwin } from './twin-http.ts';

const customerBody = { channels: [{ type: 'phone', address: '+14155550123' }] };

describe('Gorgias twin fault injection', () => {
  it.each([[500], [502], [503]] as const)('fails the next requests with %i without processing them', async (status) => {
    const { twin, api } = await startTestTwin();
    twin.failNext(2, { status });
    const answers = [await api.post('/customers', customerBody), await api.post('/customers', customerBody), await api.post('/customers', customerBody)];
    expect(answers.map((answer) => answer.status)).toEqual([status, status, 201]);
    expect(answers[0]?.body).toEqual({ error: { msg: expect.any(String) } });
    expect(answers[0]?.headers.get('x-gorgias-account-api-call-limit')).toBe('0/40');
    expect(twin.customers()).toHaveLength(1);
    expect(twin.requests().map((request) => request.outcome)).toEqual(['injected-failure', 'injected-failure', 'answered']);
  });

  it('fails with a scripted 429 carrying the given Retry-After', async () => {
    const { twin, api } = await startTestTwin();
    twin.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const answer = await api.get('/tickets');
    expect([answer.status, answer.headers.get('retry-after'), answer.headers.get('x-gorgias-account-api-call-limit')]).toEqual([429, '7', '40/40']);
  });

  it('accepts then drops: the ticket is stored but the caller sees a socket error', async () => {
    const { twin, api } = await startTestTwin();
    const customer = twin.seedCustomer({ name: 'Jane', phone: '+14155550123' });
    twin.acceptThenDrop(1);
    const ticket = {
      channel: 'phone', via: 'api', external_id: 'aicall:CA1', customer: { id: customer.id },
      messages: [{ channel: 'phone', via: 'api', from_agent: false, sender: { id: customer.id }, body_text: 'hi', sent_datetime: '2026-11-21T04:00:00Z' }],
    };
    await expect(api.post('/tickets', ticket)).rejects.toThrow();
    expect(twin.tickets()).toEqual([expect.objectContaining({ external_id: 'aicall:CA1' })]);
    expect(twin.requests()).toEqual([expect.objectContaining({ method: 'POST', path: '/api/tickets', status: 201, outcome: 'dropped' })]);
    const check = await api.get('/tickets?external_id=aicall%3ACA1');
    expect(check.status).toBe(200);
    expect(field(check.body, 'data', 0, 'external_id')).toBe('aicall:CA1');
  });

  it('applies queued faults in the order they were scripted', async () => {
    const { twin, api } = await startTestTwin();
    twin.failNext(1, { status: 503 });
    twin.acceptThenDrop(1);
    twin.failNext(1, { status: 500 });
    expect((await api.get('/account')).status).toBe(503);
    await expect(api.get('/account')).rejects.toThrow();
    expect((await api.get('/account')).status).toBe(500);
    expect((await api.get('/account')).status).toBe(200);
  });

  it('holds each response back by the added latency on the injected clock, after storing', async () => {
    const { twin, api, clock } = await startTestTwin();
    twin.addLatency(150);
    const scheduled = clock.nextTimerScheduled();
    const pending = api.post('/customers', customerBody);
    await scheduled;
    expect(twin.customers()).toHaveLength(1);
    clock.advance(149);
    expect(clock.pendingTimerCount()).toBe(1);
    clock.advance(1);
    expect((await pending).status).toBe(201);
    twin.addLatency(0);
    expect((await api.get('/account')).status).toBe(200);
  });

  it('reports scripted faults that never triggered', async () => {
    const { twin } = await startTestTwin();
    twin.failNext(1, { status: 502 });
    expect(() => twin.assertNoLeftovers()).toThrow(/1 scripted fault/);
    twin.failNext(1, { status: 502 });
    expect(() => twin.failNext(0, { status: 500 })).toThrow(/count/);
  });

  it('leaves OAuth and sandbox pages out of the fault script', async () => {
    const { twin, api } = await startTestTwin({ hasSandboxPages: true });
    twin.failNext(1, { status: 503 });
    expect((await fetch(`${twin.origin}/twin/tickets`)).status).toBe(200);
    expect((await api.get('/account')).status).toBe(503);
    twin.assertNoLeftovers();
  });

  it('closes while a response is held back, and closing twice is safe', async () => {
    const { twin, api, clock } = await startTestTwin();
    twin.addLatency(1000);
    const scheduled = clock.nextTimerScheduled();
    const pending = api.get('/account');
    await scheduled;
    await twin.close();
    await expect(pending).rejects.toThrow();
    await twin.close();
  });
});
