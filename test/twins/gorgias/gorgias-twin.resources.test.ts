import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadFixture } from './fixtures.ts';
import { dataOf, field, startTestTwin } from './twin-http.ts';

async function withTicket(options: Parameters<typeof startTestTwin>[0] = {}) {
  const started = await startTestTwin(options);
  const customer = started.twin.seedCustomer({ name: 'Jane Caller', email: 'jane@example.com', phone: '+14155550123' });
  const created = await started.api.post('/tickets', {
    channel: 'phone', via: 'api', customer: { id: customer.id }, tags: [{ name: 'ai-phone' }],
    messages: [{ channel: 'phone', via: 'api', from_agent: false, sender: { id: customer.id }, body_text: 'Where is my order?', sent_datetime: '2026-11-21T04:00:00Z' }],
  });
  expect(created.status).toBe(201);
  return { ...started, customerId: customer.id, ticketId: Number(field(created.body, 'id')) };
}

describe('Gorgias twin ticket messages', () => {
  it('creates, gets, lists, updates and deletes a message with 201/200/202/204', async () => {
    const { twin, api, ticketId } = await withTicket();
    const note = await api.post(`/tickets/${ticketId}/messages?action=force`, {
      channel: 'internal-note', via: 'api', from_agent: true, sender: { id: twin.botUserId }, body_text: 'AI summary', sent_datetime: '2026-11-21T04:05:00Z',
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ ticket_id: ticketId, public: false, channel: 'internal-note', uri: `/api/tickets/${ticketId}/messages/${String(field(note.body, 'id'))}/` });
    const id = Number(field(note.body, 'id'));
    expect((await api.get(`/tickets/${ticketId}/messages/${id}`)).status).toBe(200);
    const list = await api.get(`/tickets/${ticketId}/messages?order_by=created_datetime:asc`);
    expect(dataOf(list).map((message) => field(message, 'channel'))).toEqual(['phone', 'internal-note']);
    expect(dataOf(await api.get(`/messages?ticket_id=${ticketId}&limit=1`))).toHaveLength(1);
    const updated = await api.put(`/tickets/${ticketId}/messages/${id}`, { channel: 'internal-note', via: 'api', from_agent: true, body_text: 'Edited' });
    expect([updated.status, field(updated.body, 'body_text')]).toEqual([202, 'Edited']);
    expect((await api.put(`/tickets/${ticketId}/messages/${id}`, { channel: 'internal-note', from_agent: true, body_text: 'x' })).status).toBe(400);
    expect((await api.delete(`/tickets/${ticketId}/messages/${id}`)).status).toBe(204);
    expect(twin.messages(ticketId)).toHaveLength(1);
  });

  it('rejects an unknown action and a message on a missing ticket', async () => {
    const { twin, api, ticketId } = await withTicket();
    const body = { channel: 'internal-note', via: 'api', from_agent: true, sender: { id: twin.botUserId }, body_text: 'x' };
    expect((await api.post(`/tickets/${ticketId}/messages?action=skip`, body)).status).toBe(400);
    expect((await api.post('/tickets/1/messages', body)).status).toBe(404);
  });

  it('accepts the S4 internal note without via only when via is not required', async () => {
    const strict = await withTicket();
    const note = loadFixture('internal-note-without-via', { 123456: strict.twin.botUserId });
    expect(field((await strict.api.post(`/tickets/${strict.ticketId}/messages`, note)).body, 'error', 'data')).toEqual({ via: ['Missing data for required field.'] });
    const lenient = await withTicket({ isViaRequired: false });
    const accepted = await lenient.api.post(`/tickets/${lenient.ticketId}/messages`, loadFixture('internal-note-without-via', { 123456: lenient.twin.botUserId }));
    expect(accepted.status).toBe(201);
  });
});

describe('Gorgias twin tags', () => {
  it('adds with 201, replaces with 202 and removes with 204, each with an empty body', async () => {
    const { twin, api, ticketId } = await withTicket();
    const added = await api.post(`/tickets/${ticketId}/tags`, { names: ['ai-escalated', 'AI-Escalated'] });
    expect([added.status, added.text]).toEqual([201, '']);
    const names = async () => dataOf(await api.get(`/tickets/${ticketId}/tags`)).map((tag) => field(tag, 'name'));
    expect(await names()).toEqual(['ai-phone', 'ai-escalated', 'AI-Escalated']);
    const replaced = await api.put(`/tickets/${ticketId}/tags`, { names: ['refund'] });
    expect([replaced.status, replaced.text]).toEqual([202, '']);
    expect(await names()).toEqual(['refund']);
    const removed = await api.delete(`/tickets/${ticketId}/tags`, { names: ['refund'] });
    expect([removed.status, removed.text]).toEqual([204, '']);
    expect(await names()).toEqual([]);
    expect((await api.post(`/tickets/${ticketId}/tags`, {})).status).toBe(400);
    expect((await api.post(`/tickets/${ticketId}/tags`, { ids: [1] })).status).toBe(400);
    expect((await api.put(`/tickets/${ticketId}/tags`, {})).status).toBe(202);
    expect(twin.events().filter((event) => event.type.startsWith('ticket-tags')).map((event) => event.type)).toEqual([
      'ticket-tags-added', 'ticket-tags-added', 'ticket-tags-added', 'ticket-tags-removed', 'ticket-tags-removed',
    ]);
  });

  it('creates account tags with 201 and refuses a second tag of the same name with 409', async () => {
    const { api } = await startTestTwin();
    const created = await api.post('/tags', { name: 'vip', decoration: { color: '#F58D86' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'vip', decoration: { color: '#F58D86' }, usage: 0 });
    expect((await api.post('/tags', { name: 'vip' })).status).toBe(409);
    expect(dataOf(await api.get('/tags?search=VI'))).toHaveLength(1);
  });
});

describe('Gorgias twin custom fields', () => {
  it('sets values in bulk, lists them as {data}, sets one and deletes one', async () => {
    const { twin, api, ticketId } = await withTicket();
    const reason = twin.seedCustomField({ label: 'Contact reason', dataType: 'text' });
    const minutes = twin.seedCustomField({ label: 'Call minutes', dataType: 'number' });
    const bulk = await api.put(`/tickets/${ticketId}/custom-fields`, [{ id: reason.id, value: 'Refund' }]);
    expect(bulk.status).toBe(202);
    expect((await api.put(`/tickets/${ticketId}/custom-fields/${minutes.id}`, 4)).status).toBe(202);
    expect((await api.put(`/tickets/${ticketId}/custom-fields/${minutes.id}`, { id: minutes.id, value: 5 })).status).toBe(202);
    const listed = await api.get(`/tickets/${ticketId}/custom-fields`);
    expect(dataOf(listed)).toEqual([
      { id: reason.id, field: expect.objectContaining({ id: reason.id, label: 'Contact reason' }), value: 'Refund' },
      { id: minutes.id, field: expect.objectContaining({ id: minutes.id }), value: 5 },
    ]);
    expect(field((await api.get(`/tickets/${ticketId}?relationships=custom_fields`)).body, 'custom_fields')).toEqual({
      [String(reason.id)]: { id: reason.id, value: 'Refund' }, [String(minutes.id)]: { id: minutes.id, value: 5 },
    });
    expect((await api.delete(`/tickets/${ticketId}/custom-fields/${reason.id}`)).status).toBe(204);
    expect((await api.delete(`/tickets/${ticketId}/custom-fields/${reason.id}`)).status).toBe(404);
  });

  it('rejects a value of the wrong type, an unknown field and an archived field', async () => {
    const { twin, api, ticketId } = await withTicket();
    const minutes = twin.seedCustomField({ label: 'Call minutes', dataType: 'number' });
    const archived = twin.seedCustomField({ label: 'Old', dataType: 'text', isArchived: true });
    const answer = await api.put(`/tickets/${ticketId}/custom-fields`, [{ id: minutes.id, value: 'four' }, { id: 9999, value: 'x' }, { id: archived.id, value: 'x' }]);
    expect(answer.status).toBe(400);
    expect(field(answer.body, 'error', 'data')).toEqual({
      0: { value: ['Not a valid number value.'] }, 1: { id: ['No ticket custom field with id 9999.'] }, 2: { id: [`Custom field ${archived.id} is archived.`] },
    });
  });

  it('creates definitions with 201 and lists them only with the required object_type', async () => {
    const { api } = await startTestTwin();
    const created = await api.post('/custom-fields', { object_type: 'Ticket', label: 'Contact reason', definition: { data_type: 'text', input_settings: { input_type: 'dropdown' } } });
    expect(created.status).toBe(201);
    expect(dataOf(await api.get('/custom-fields?object_type=Ticket'))).toHaveLength(1);
    expect(field((await api.get('/custom-fields')).body, 'error', 'data')).toEqual({ object_type: ['Missing data for required field.'] });
  });
});

describe('Gorgias twin events, users, account and files', () => {
  it('logs what was created and filters events by type, object and time', async () => {
    const { twin, api, ticketId } = await withTicket();
    const all = await api.get('/events?order_by=created_datetime:asc');
    expect(dataOf(all).map((event) => field(event, 'type'))).toEqual(['tag-created', 'ticket-created', 'ticket-message-created', 'ticket-tags-added']);
    const tickets = await api.get(`/events?object_type=Ticket&object_id=${ticketId}&types=ticket-created&types=ticket-tags-added`);
    expect(dataOf(tickets).map((event) => field(event, 'type'))).toEqual(['ticket-tags-added', 'ticket-created']);
    expect(dataOf(await api.get(`/events?user_ids=${twin.agentUserId}&created_datetime[gte]=2026-11-21T04:00:00Z`))).toHaveLength(4);
    expect(dataOf(await api.get('/events?created_datetime[gt]=2026-11-21T04:00:00Z'))).toHaveLength(0);
    const first = twin.events()[0];
    expect((await api.get(`/events/${first?.id}`)).body).toMatchObject({ id: first?.id, uri: `/api/events/${first?.id}/`, user_id: twin.agentUserId });
    expect((await api.get('/events?object_type=Ticketing')).status).toBe(400);
  });

  it('lists users including the bot, and reports the account', async () => {
    const { twin, api } = await startTestTwin();
    const users = dataOf(await api.get('/users'));
    expect(users).toEqual([
      expect.objectContaining({ id: twin.agentUserId, email: twin.credentials.email }),
      expect.objectContaining({ id: twin.botUserId, name: 'AI Voice Agent', role: { name: 'bot' } }),
    ]);
    expect((await api.get(`/users/${twin.botUserId}`)).status).toBe(200);
    expect((await api.get('/account')).body).toMatchObject({ domain: 'twin-account' });
  });

  it('downloads a seeded file and answers 404 for others', async () => {
    const { twin, api } = await startTestTwin();
    const { path } = twin.seedFile({ fileType: 'attachments', path: 'abc/call.mp3', contentType: 'audio/mpeg', content: 'ID3' });
    const answer = await api.get(path.replace(/^\/api/, ''));
    expect([answer.status, answer.headers.get('content-type'), answer.text]).toEqual([200, 'audio/mpeg', 'ID3']);
    expect((await api.get('/attachments/download/nope.mp3')).status).toBe(404);
  });

  it('answers 501 for a real endpoint the twin does not emulate', async () => {
    const { api } = await startTestTwin();
    expect((await api.get('/phone/voice-calls')).status).toBe(501);
    expect((await api.get('/no-such-thing')).status).toBe(404);
  });
});

describe('Gorgias twin HTTP integrations', () => {
  it('creates the contract integration with 201 and refuses underscore trigger keys', async () => {
    const { api } = await startTestTwin();
    const created = await api.post('/integrations', loadFixture('http-integration'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'http', name: 'ai-voice-escalation-hook', deactivated_datetime: null });
    const legacy = await api.post('/integrations', { name: 'x', type: 'http', http: { url: 'https://x.example', method: 'POST', request_content_type: 'application/json', response_content_type: 'application/json', triggers: { ticket_created: true } } });
    expect(field(legacy.body, 'error', 'data')).toEqual({ http: { triggers: { ticket_created: ['Unknown field.'] } } });
  });

  it('fires a triggered integration with the rendered form', async () => {
    const received: { url: string; body: string }[] = [];
    let notify: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (notify = resolve));
    const hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ url: request.url ?? '', body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        notify();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => hook.close(() => resolve())));
    const { twin, api } = await startTestTwin();
    const port = (hook.address() as AddressInfo).port;
    const integration = {
      name: 'hook', type: 'http',
      http: {
        url: `http://127.0.0.1:${port}/hook?ticket={{ticket.id}}`, method: 'POST', request_content_type: 'application/json', response_content_type: 'application/json',
        form: { ticket_id: '{{ticket.id}}', customer_email: '{{ticket.customer.email}}' }, triggers: { 'ticket-created': true },
      },
    };
    expect((await api.post('/integrations', integration)).status).toBe(201);
    const customer = twin.seedCustomer({ email: 'jane@example.com' });
    const ticket = await api.post('/tickets', {
      channel: 'phone', via: 'api', customer: { id: customer.id },
      messages: [{ channel: 'phone', via: 'api', from_agent: false, sender: { id: customer.id }, body_text: 'hi', sent_datetime: '2026-11-21T04:00:00Z' }],
    });
    await arrived;
    const ticketId = String(field(ticket.body, 'id'));
    expect(received).toEqual([{ url: `/hook?ticket=${ticketId}`, body: JSON.stringify({ ticket_id: ticketId, customer_email: 'jane@example.com' }) }]);
  });
});

describe('Gorgias twin sandbox pages', () => {
  it('lists tickets as JSON and HTML without auth, marked as the twin', async () => {
    const { twin, ticketId } = await withTicket({ hasSandboxPages: true });
    const json = await fetch(`${twin.origin}/twin/tickets`);
    expect(await json.json()).toEqual({
      twin: 'gorgias', isReadOnly: true,
      tickets: [{ id: ticketId, subject: null, customer: expect.objectContaining({ name: 'Jane Caller' }), tags: ['ai-phone'], status: 'open', channel: 'phone', messageCount: 1, createdDatetime: expect.any(String) }],
    });
    const html = await (await fetch(`${twin.origin}/twin`)).text();
    expect(html).toContain('Gorgias twin');
    expect(html).toContain(`<td>${ticketId}</td>`);
    expect((await fetch(`${twin.origin}/twin/tickets`, { method: 'POST' })).status).toBe(405);
  });

  it('escapes ticket text in the HTML page', async () => {
    const { twin, api, customerId } = await withTicket({ hasSandboxPages: true });
    await api.post('/tickets', {
      channel: 'phone', via: 'api', subject: '<script>alert(1)</script>', customer: { id: customerId },
      messages: [{ channel: 'phone', via: 'api', from_agent: false, sender: { id: customerId }, body_text: 'x', sent_datetime: '2026-11-21T04:00:00Z' }],
    });
    const html = await (await fetch(`${twin.origin}/twin`)).text();
    expect(html).not.toContain('<script>');
  });

  it('hides the pages unless sandbox pages are on', async () => {
    const { twin } = await startTestTwin();
    expect((await fetch(`${twin.origin}/twin/tickets`)).status).toBe(404);
  });
});
