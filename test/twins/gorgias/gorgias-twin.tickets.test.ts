import { describe, expect, it } from 'vitest';
import type { GorgiasTwin } from '../../../src/twins/gorgias/gorgias-twin.ts';
import { loadFixture } from './fixtures.ts';
import { dataOf, field, startTestTwin, type TwinApi } from './twin-http.ts';

function escalation(twin: GorgiasTwin, customerId: number): unknown {
  return loadFixture('escalation-ticket', { 987654: customerId, 4321: twin.botUserId });
}

/** A minimal valid ticket: one incoming phone message from the customer. */
function phoneTicket(customerId: number, overrides: Record<string, unknown> = {}, message: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'phone',
    via: 'api',
    customer: { id: customerId },
    messages: [{ channel: 'phone', via: 'api', from_agent: false, sender: { id: customerId }, body_text: 'Hello', sent_datetime: '2026-11-21T04:00:00Z', ...message }],
    ...overrides,
  };
}

async function setUp() {
  const started = await startTestTwin();
  const customer = started.twin.seedCustomer({ name: 'Jane Caller', phone: '+14155550123' });
  return { ...started, customerId: customer.id };
}

async function walkTickets(api: TwinApi, query: string, onPage: (pageIndex: number) => Promise<void> = async () => {}): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null = null;
  for (let pageIndex = 0; pageIndex < 50; pageIndex += 1) {
    const answer = await api.get(`/tickets?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(answer.status).toBe(200);
    seen.push(...dataOf(answer).map((ticket) => Number(field(ticket, 'id'))));
    await onPage(pageIndex);
    const next = field(answer.body, 'meta', 'next_cursor');
    if (next === null) return seen;
    cursor = String(next);
  }
  throw new Error('pagination did not end');
}

describe('Gorgias twin tickets', () => {
  it('creates the contract escalation ticket with 201, and it appears in the list', async () => {
    const { twin, api, customerId } = await setUp();
    const created = await api.post('/tickets', escalation(twin, customerId));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number), external_id: 'aicall:CA5f1e0c2a', channel: 'phone', via: 'api', status: 'open', priority: 'high',
      customer: { id: customerId }, tags: [{ name: 'ai-escalation' }, { name: 'voice-ai' }],
      messages: [
        { channel: 'phone', from_agent: false, public: true, sender: { id: customerId }, receiver: null, sent_datetime: '2026-11-21T04:14:12.000000+00:00' },
        { channel: 'internal-note', from_agent: true, public: false, sender: { id: twin.botUserId }, sent_datetime: '2026-11-21T04:14:13.000000+00:00' },
      ],
    });
    const id = field(created.body, 'id');
    expect(field(created.body, 'uri')).toBe(`/api/tickets/${String(id)}/`);
    const list = await api.get('/tickets');
    expect(list.body).toMatchObject({ object: 'list', uri: '/api/tickets', meta: { prev_cursor: null, next_cursor: null, total_resources: null } });
    expect(dataOf(list)).toEqual([expect.objectContaining({ id, messages_count: 2, excerpt: expect.any(String) })]);
    expect(field(dataOf(list)[0], 'messages')).toBeUndefined();
    expect(twin.tickets().map((ticket) => ticket.id)).toEqual([id]);
    expect(twin.deliveries()).toEqual([]);
  });

  it('rejects an invalid channel with 400 and the field-keyed error body', async () => {
    const { api, customerId } = await setUp();
    const answer = await api.post('/tickets', phoneTicket(customerId, { channel: 'voice' }, { channel: 'telephone' }));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        msg: 'Failed to create ticket',
        data: { channel: [expect.stringMatching(/^Must be one of: .*phone/)], messages: { 0: { channel: [expect.stringMatching(/^Must be one of:/)] } } },
      },
    });
  });

  it.each([
    ['an unknown top-level field', { requester: { id: 1 } }, {}, { requester: ['Unknown field.'] }],
    ['an unknown message field', {}, { is_public: true }, { messages: { 0: { is_public: ['Unknown field.'] } } }],
    ['a priority of urgent', { priority: 'urgent' }, {}, { priority: [expect.stringMatching(/^Must be one of: critical, high, normal, low/)] }],
    ['a status of new', { status: 'new' }, {}, { status: [expect.stringMatching(/^Must be one of: open, closed/)] }],
    ['an output-only via', { via: 'gorgias_chat' }, {}, { via: [expect.stringMatching(/^Must be one of:/)] }],
    ['an unknown source type', {}, { source: { type: 'voice' } }, { messages: { 0: { source: { type: [expect.stringMatching(/^Must be one of:/)] } } } }],
    ['a free-text sent_datetime', {}, { sent_datetime: 'yesterday' }, { messages: { 0: { sent_datetime: ['Not a valid datetime.'] } } }],
    ['a message without from_agent', {}, { from_agent: undefined }, { messages: { 0: { from_agent: ['Missing data for required field.'] } } }],
    ['a ticket without via', { via: undefined }, {}, { via: ['Missing data for required field.'] }],
    ['a message without via', {}, { via: undefined }, { messages: { 0: { via: ['Missing data for required field.'] } } }],
    ['an external_id over 255 characters', { external_id: 'x'.repeat(256) }, {}, { external_id: ['Length must be at most 255.'] }],
    ['a tag name over 256 characters', { tags: [{ name: 't'.repeat(257) }] }, {}, { tags: { 0: { name: ['Length must be at most 256.'] } } }],
    ['a message without content', {}, { body_text: undefined }, { messages: { 0: { body_text: [expect.any(String)] } } }],
  ])('rejects %s with 400', async (_name, overrides, message, data) => {
    const { api, customerId } = await setUp();
    const answer = await api.post('/tickets', phoneTicket(customerId, overrides, message));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { msg: 'Failed to create ticket', data } });
  });

  it.each([[0], [501]])('rejects %i messages: a ticket takes 1 to 500', async (count) => {
    const { api, customerId } = await setUp();
    const message = { channel: 'phone', via: 'api', from_agent: false, sender: { id: customerId }, body_text: 'turn', sent_datetime: '2026-11-21T04:00:00Z' };
    const answer = await api.post('/tickets', phoneTicket(customerId, { messages: Array.from({ length: count }, () => message) }));
    expect(answer.status).toBe(400);
    expect(field(answer.body, 'error', 'data', 'messages')).toEqual([expect.stringMatching(/Length must be/)]);
  });

  it('accepts exactly 500 messages', async () => {
    const { api, customerId } = await setUp();
    const message = { channel: 'phone', via: 'api', from_agent: false, sender: { id: customerId }, body_text: 'turn', sent_datetime: '2026-11-21T04:00:00Z' };
    const answer = await api.post('/tickets', phoneTicket(customerId, { messages: Array.from({ length: 500 }, () => message) }));
    expect(answer.status).toBe(201);
  });

  it('accepts a ticket and message without via when configured lenient (S2 reading)', async () => {
    const { api, customerId } = await startTestTwin({ isViaRequired: false }).then(async (started) => ({
      ...started, customerId: started.twin.seedCustomer({ name: 'A' }).id,
    }));
    const answer = await api.post('/tickets', phoneTicket(customerId, { via: undefined }, { via: undefined }));
    expect(answer.status).toBe(201);
    expect(field(answer.body, 'via')).toBe('api');
  });

  it.each([
    ['an incoming message sent by a user', (bot: number) => ({ sender: { id: bot } }), { sender: { id: ['Must reference a customer.'] } }],
    ['an incoming message with a receiver', (_bot: number, customer: number) => ({ receiver: { id: customer } }), { receiver: [expect.stringMatching(/must not have a receiver/)] }],
    ['an incoming message without sender', () => ({ sender: undefined }), { sender: ['Missing data for required field.'] }],
    ['an outgoing message sent by a customer', (_bot: number, customer: number) => ({ from_agent: true, sender: { id: customer }, receiver: { id: customer } }), { sender: { id: ['Must reference a user (agent).'] } }],
    ['an outgoing public message without receiver', (bot: number) => ({ from_agent: true, sender: { id: bot } }), { receiver: ['Missing data for required field.'] }],
    ['an internal note from the customer side', (_bot: number, customer: number) => ({ channel: 'internal-note', from_agent: false, sender: { id: customer } }), { from_agent: [expect.any(String)], sender: { id: ['Must reference a user (agent).'] } }],
    ['a public internal note', (bot: number) => ({ channel: 'internal-note', from_agent: true, public: true, sender: { id: bot } }), { public: ['Internal notes are not public.'] }],
    ['a sender id nobody has', () => ({ sender: { id: 999 } }), { sender: { id: ['No customer with id 999.'] } }],
  ])('rejects %s', async (_name, build, data) => {
    const { twin, api, customerId } = await setUp();
    const answer = await api.post('/tickets', phoneTicket(customerId, {}, build(twin.botUserId, customerId)));
    expect(answer.status).toBe(400);
    expect(field(answer.body, 'error', 'data', 'messages', '0')).toEqual(data);
  });

  it('accepts an outgoing agent turn from the bot to the customer, marked already sent, and sends nothing', async () => {
    const { twin, api, customerId } = await setUp();
    const answer = await api.post('/tickets', phoneTicket(customerId, {}, { from_agent: true, sender: { id: twin.botUserId }, receiver: { id: customerId } }));
    expect(answer.status).toBe(201);
    expect(twin.deliveries()).toEqual([]);
  });

  it('sends an outgoing public message created without sent_datetime, like Gorgias would', async () => {
    const { twin, api, customerId } = await setUp();
    const created = await api.post('/tickets', phoneTicket(customerId));
    const ticketId = Number(field(created.body, 'id'));
    const message = await api.post(`/tickets/${ticketId}/messages`, {
      channel: 'phone', via: 'api', from_agent: true, sender: { id: twin.botUserId }, receiver: { id: customerId }, body_text: 'We will call you back.',
    });
    expect(message.status).toBe(201);
    expect(field(message.body, 'sent_datetime')).toBe('2026-11-21T04:00:00.000000+00:00');
    expect(twin.deliveries()).toEqual([expect.objectContaining({ ticketId, messageId: field(message.body, 'id'), receiverCustomerId: customerId })]);
  });

  it('creates a customer named only by an unknown sender email (legacy rule)', async () => {
    const { twin, api } = await startTestTwin();
    const message = loadFixture('incoming-email-message');
    const answer = await api.post('/tickets', { channel: 'email', via: 'api', messages: [message] });
    expect(answer.status).toBe(201);
    expect(twin.customers()).toEqual([expect.objectContaining({ email: 'customer@example.com', id: field(answer.body, 'customer', 'id') })]);
  });

  it('allows two tickets with the same external_id and finds both by it', async () => {
    const { api, customerId } = await setUp();
    const first = await api.post('/tickets', phoneTicket(customerId, { external_id: 'aicall:same' }));
    const second = await api.post('/tickets', phoneTicket(customerId, { external_id: 'aicall:same' }));
    await api.post('/tickets', phoneTicket(customerId, { external_id: 'aicall:other' }));
    expect([first.status, second.status]).toEqual([201, 201]);
    const found = await api.get('/tickets?external_id=aicall%3Asame&limit=10');
    expect(dataOf(found).map((ticket) => field(ticket, 'id'))).toEqual([field(second.body, 'id'), field(first.body, 'id')]);
  });

  it('walks every ticket exactly once with cursors, even when one is created mid-walk', async () => {
    const { api, customerId } = await setUp();
    const ids: number[] = [];
    for (let index = 0; index < 7; index += 1) ids.push(Number(field((await api.post('/tickets', phoneTicket(customerId))).body, 'id')));
    const seen = await walkTickets(api, 'limit=3&order_by=created_datetime:asc', async (pageIndex) => {
      if (pageIndex === 0) ids.push(Number(field((await api.post('/tickets', phoneTicket(customerId))).body, 'id')));
    });
    expect(seen).toEqual(ids);
    expect(await walkTickets(api, 'limit=2')).toEqual([...ids].reverse());
  });

  it.each([
    ['limit=0', { limit: [expect.stringMatching(/greater than or equal to 1/)] }],
    ['limit=101', { limit: [expect.stringMatching(/less than or equal to 100/)] }],
    ['order_by=priority:asc', { order_by: [expect.stringMatching(/^Must be one of:/)] }],
    ['status=open', { status: ['Unknown field.'] }],
    ['page=2', { page: ['Unknown field.'] }],
    ['cursor=abc', { cursor: ['Invalid cursor.'] }],
    ['trashed=yes', { trashed: ['Not a valid boolean.'] }],
  ])('rejects the list query %s with 400', async (query, data) => {
    const { api } = await setUp();
    const answer = await api.get(`/tickets?${query}`);
    expect(answer.status).toBe(400);
    expect(field(answer.body, 'error', 'data')).toEqual(data);
  });

  it('filters by customer_id and repeated ticket_ids, and leaves trashed tickets out only with trashed=false', async () => {
    const { twin, api, customerId } = await setUp();
    const other = twin.seedCustomer({ name: 'Other' }).id;
    const a = Number(field((await api.post('/tickets', phoneTicket(customerId))).body, 'id'));
    const b = Number(field((await api.post('/tickets', phoneTicket(other, {}, { sender: { id: other } }))).body, 'id'));
    const c = Number(field((await api.post('/tickets', phoneTicket(customerId, { trashed_datetime: '2026-11-21T04:00:00Z' }))).body, 'id'));
    const ids = async (query: string) => dataOf(await api.get(`/tickets?${query}`)).map((ticket) => field(ticket, 'id'));
    expect(await ids(`customer_id=${other}`)).toEqual([b]);
    expect(await ids(`ticket_ids=${a}&ticket_ids=${b}`)).toEqual([b, a]);
    expect(await ids('')).toEqual([c, b, a]);
    expect(await ids('trashed=false')).toEqual([b, a]);
  });

  it('updates with 202: tags replace the list, closing stamps closed_datetime, and events are logged', async () => {
    const { twin, api, customerId } = await setUp();
    const created = await api.post('/tickets', phoneTicket(customerId, { tags: [{ name: 'a' }, { name: 'b' }] }));
    const id = Number(field(created.body, 'id'));
    const updated = await api.put(`/tickets/${id}`, { status: 'closed', tags: [{ name: 'b' }, { name: 'c' }], assignee_user: { id: twin.agentUserId } });
    expect(updated.status).toBe(202);
    expect(updated.body).toMatchObject({ status: 'closed', closed_datetime: expect.any(String), tags: [{ name: 'b' }, { name: 'c' }], assignee_user: { id: twin.agentUserId } });
    const types = twin.events().filter((event) => event.object_type === 'Ticket' && event.object_id === id).map((event) => event.type);
    expect(types).toEqual(['ticket-created', 'ticket-tags-added', 'ticket-assigned', 'ticket-closed', 'ticket-tags-added', 'ticket-tags-removed', 'ticket-updated']);
    expect((await api.put(`/tickets/${id}`, { status: 'pending' })).status).toBe(400);
    expect((await api.put(`/tickets/${id}`, { assignee_user: { id: customerId } })).status).toBe(400);
  });

  it('deletes with 204 and then answers 404 with the not-found body', async () => {
    const { api, customerId } = await setUp();
    const id = Number(field((await api.post('/tickets', phoneTicket(customerId))).body, 'id'));
    const deleted = await api.delete(`/tickets/${id}`);
    expect([deleted.status, deleted.text]).toEqual([204, '']);
    const missing = await api.get(`/tickets/${id}`);
    expect([missing.status, missing.body]).toEqual([404, { error: { msg: 'Resource not found.' } }]);
    expect((await api.get('/tickets/not-a-number')).status).toBe(404);
  });

  it('accepts paths with and without a trailing slash, and answers 405 to a wrong method', async () => {
    const { api } = await setUp();
    expect((await api.get('/tickets/')).status).toBe(200);
    const patch = await api.send('PATCH', '/tickets', {});
    expect([patch.status, patch.body]).toEqual([405, { error: { msg: 'The specified HTTP method is not allowed.' } }]);
  });

  it('refuses a body that is not JSON', async () => {
    const { api } = await setUp();
    const form = await api.send('POST', '/tickets', 'channel=phone', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    const broken = await api.send('POST', '/tickets', '{"channel":', { 'content-type': 'application/json' });
    expect([broken.status, field(broken.body, 'error', 'msg')]).toEqual([400, 'The request body is not valid JSON.']);
    const empty = await api.send('POST', '/tickets', undefined);
    expect(field(empty.body, 'error', 'data')).toEqual({ _schema: ['No input data provided.'] });
  });
});
