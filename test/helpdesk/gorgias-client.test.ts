import { describe, expect, it } from 'vitest';
import type { GorgiasClient } from '../../src/helpdesk/gorgias-client.ts';
import { startHarness } from './support/gorgias-harness.ts';

const phone = '+14155550123';
const at = '2026-11-20T10:00:00.000Z';

async function customer(client: GorgiasClient, overrides: { email?: string; externalId?: string } = {}) {
  const created = await client.createCustomer({ name: 'Jane Caller', channels: [{ type: 'phone', address: phone, isPreferred: true }], ...overrides });
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

async function ticket(client: GorgiasClient, customerId: number, externalId: string) {
  const created = await client.createTicket({
    externalId,
    via: 'api',
    channel: 'phone',
    customer: { id: customerId },
    subject: 'Order status: where is #1001',
    tags: ['ai-phone'],
    messages: [{ channel: 'phone', via: 'api', fromAgent: false, sender: { id: customerId }, bodyText: 'Where is my order?', sentDatetime: at, externalId: `${externalId}:turn:1` }],
  });
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

describe('Gorgias client against the twin: customers', () => {
  it('creates, reads, updates (channels replaced), finds and deletes a customer', async () => {
    const { client } = await startHarness();
    const created = await customer(client, { externalId: 'aicall-caller:+14155550123' });
    expect(await client.getCustomer(created.id)).toMatchObject({ ok: true, value: { name: 'Jane Caller', channels: [{ type: 'phone', address: phone }] } });

    const updated = await client.updateCustomer(created.id, { email: 'jane@example.com', channels: [{ type: 'email', address: 'jane@example.com' }] });
    expect(updated).toMatchObject({ ok: true, value: { email: 'jane@example.com', channels: [{ type: 'email' }] } });
    expect(updated.ok && updated.value.channels).toHaveLength(1);

    expect(await client.findCustomerByEmail('jane@example.com')).toMatchObject({ ok: true, value: { id: created.id } });
    expect(await client.listCustomers({ externalId: 'aicall-caller:+14155550123' })).toMatchObject({ ok: true, value: { items: [{ id: created.id }] } });
    expect(await client.findCustomersByPhone(phone)).toEqual({ ok: true, value: [] });

    expect(await client.deleteCustomer(created.id)).toEqual({ ok: true, value: undefined });
    expect(await client.getCustomer(created.id)).toMatchObject({ ok: false, error: { code: 'not_found', status: 404 } });
    expect(await client.deleteCustomer(created.id)).toEqual({ ok: true, value: undefined });
  });

  it('finds a caller by phone channel and reports a duplicate email as conflict', async () => {
    const { client } = await startHarness();
    const holder = await client.createCustomer({ channels: [{ type: 'email', address: 'jane@example.com' }], email: 'jane@example.com' });
    expect(holder.ok).toBe(true);
    const caller = await customer(client);
    expect(await client.findCustomersByPhone(phone)).toMatchObject({ ok: true, value: [{ id: caller.id }] });
    const duplicate = await client.updateCustomer(caller.id, { email: 'jane@example.com' });
    expect(duplicate).toMatchObject({ ok: false, error: { code: 'conflict', status: 409 } });
    expect(await client.search({ type: 'customers_by_phone', query: phone })).toMatchObject({ ok: true, value: [{ id: caller.id }] });
  });

  it('merges one customer into another and deletes in bulk', async () => {
    const { client } = await startHarness();
    const source = await customer(client);
    const target = await client.createCustomer({ channels: [{ type: 'email', address: 'jane@example.com' }], email: 'jane@example.com' });
    if (!target.ok) throw new Error(target.error.message);
    const merged = await client.mergeCustomers({ sourceId: source.id, targetId: target.value.id, data: { name: 'Jane Caller' } });
    expect(merged).toMatchObject({ ok: true, value: { id: target.value.id, name: 'Jane Caller' } });
    expect(await client.getCustomer(source.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await client.deleteCustomers([target.value.id])).toEqual({ ok: true, value: undefined });
    expect(await client.fetchAllCustomers()).toEqual({ ok: true, value: [] });
  });

  it('stores custom customer data', async () => {
    const { client } = await startHarness();
    const created = await customer(client);
    expect(await client.setCustomerData(created.id, { lastCall: 'CA1' })).toEqual({ ok: true, value: undefined });
    expect(await client.getCustomer(created.id)).toMatchObject({ ok: true, value: { data: { lastCall: 'CA1' } } });
  });
});

describe('Gorgias client against the twin: tickets and messages', () => {
  it('creates, reads, updates and deletes a ticket, and finds it by external id', async () => {
    const { client } = await startHarness();
    const caller = await customer(client);
    const created = await ticket(client, caller.id, 'aicall:CA1');
    expect(created).toMatchObject({ externalId: 'aicall:CA1', channel: 'phone', status: 'open', customer: { id: caller.id }, tags: [{ name: 'ai-phone' }] });
    expect(await client.findTicketByExternalId('aicall:CA1')).toMatchObject({ ok: true, value: { id: created.id, messages: null } });
    expect(await client.findTicketByExternalId('aicall:none')).toEqual({ ok: true, value: null });
    expect(await client.updateTicket(created.id, { status: 'closed', priority: 'high' })).toMatchObject({ ok: true, value: { status: 'closed', priority: 'high' } });
    expect(await client.getTicket(created.id)).toMatchObject({ ok: true, value: { status: 'closed' } });
    expect(await client.deleteTicket(created.id)).toEqual({ ok: true, value: undefined });
    expect(await client.getTicket(created.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('walks tickets page by page with the cursor', async () => {
    const { client, twin } = await startHarness();
    const caller = await customer(client);
    for (let n = 1; n <= 5; n++) await ticket(client, caller.id, `aicall:CA${n}`);
    const seen: string[] = [];
    for await (const item of client.iterateTickets({ limit: 2, orderBy: 'created_datetime:asc' })) {
      if (!item.ok) throw new Error(item.error.message);
      seen.push(item.value.externalId ?? '');
    }
    expect(seen).toEqual(['aicall:CA1', 'aicall:CA2', 'aicall:CA3', 'aicall:CA4', 'aicall:CA5']);
    expect(twin.requests().filter((request) => request.method === 'GET' && request.path === '/api/tickets')).toHaveLength(3);
    expect(await client.fetchAllTickets({ customerId: caller.id, limit: 100 })).toMatchObject({ ok: true, value: { length: 5 } });
    expect(await client.fetchAllTickets({ limit: 2 }, { maxItems: 3 })).toMatchObject({ ok: true, value: { length: 3 } });
  });

  it('appends, reads and lists messages', async () => {
    const { client, twin } = await startHarness();
    const caller = await customer(client);
    const created = await ticket(client, caller.id, 'aicall:CA1');
    const note = await client.createMessage(created.id, { channel: 'internal-note', via: 'api', fromAgent: true, isPublic: false, sender: { id: twin.botUserId }, bodyText: 'Why escalated', sentDatetime: at, externalId: 'aicall:CA1:note' });
    expect(note).toMatchObject({ ok: true, value: { channel: 'internal-note', isPublic: false, externalId: 'aicall:CA1:note' } });
    if (!note.ok) return;
    expect(await client.getMessage(created.id, note.value.id)).toMatchObject({ ok: true, value: { bodyText: 'Why escalated' } });
    const all = await client.fetchAllMessages(created.id, { limit: 1, orderBy: 'created_datetime:asc' });
    expect(all.ok && all.value.map((message) => message.externalId)).toEqual(['aicall:CA1:turn:1', 'aicall:CA1:note']);
    expect(twin.deliveries()).toEqual([]);
  });

  it('adds, replaces and removes ticket tags', async () => {
    const { client } = await startHarness();
    const caller = await customer(client);
    const created = await ticket(client, caller.id, 'aicall:CA1');
    const names = async () => {
      const tags = await client.listTicketTags(created.id);
      return tags.ok ? tags.value.map((tag) => tag.name).sort() : tags.error.code;
    };
    expect(await client.addTicketTags(created.id, { names: ['wismo', 'vip'] })).toEqual({ ok: true, value: undefined });
    expect(await names()).toEqual(['ai-phone', 'vip', 'wismo']);
    expect(await client.removeTicketTags(created.id, { names: ['vip'] })).toEqual({ ok: true, value: undefined });
    expect(await names()).toEqual(['ai-phone', 'wismo']);
    expect(await client.replaceTicketTags(created.id, { names: ['ai-resolved'] })).toEqual({ ok: true, value: undefined });
    expect(await names()).toEqual(['ai-resolved']);
    expect(await client.addTicketTags(created.id, {})).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('sets, lists and deletes ticket custom field values', async () => {
    const { client, twin } = await startHarness();
    const field = twin.seedCustomField({ label: 'Contact reason', dataType: 'text' });
    const caller = await customer(client);
    const created = await ticket(client, caller.id, 'aicall:CA1');
    expect(await client.listCustomFields({ objectType: 'Ticket' })).toMatchObject({ ok: true, value: { items: [{ id: field.id, label: 'Contact reason', dataType: 'text' }] } });
    expect(await client.setTicketCustomFields(created.id, [{ id: field.id, value: 'Order status' }])).toEqual({ ok: true, value: undefined });
    expect(await client.listTicketCustomFields(created.id)).toMatchObject({ ok: true, value: [{ field: { id: field.id }, value: 'Order status' }] });
    expect(await client.deleteTicketCustomField(created.id, field.id)).toEqual({ ok: true, value: undefined });
    expect(await client.listTicketCustomFields(created.id)).toMatchObject({ ok: true, value: [] });
  });
});

describe('Gorgias client against the twin: the account', () => {
  it('reads the account, users, events, tags and integrations, and downloads a file', async () => {
    const { client, twin } = await startHarness();
    expect(await client.getAccount()).toMatchObject({ ok: true, value: { domain: twin.domain } });
    expect(await client.getUser(twin.botUserId)).toMatchObject({ ok: true, value: { id: twin.botUserId, role: 'bot' } });
    expect(await client.fetchAllUsers()).toMatchObject({ ok: true, value: { length: 2 } });

    const caller = await customer(client);
    await ticket(client, caller.id, 'aicall:CA1');
    const created = await client.fetchAllEvents({ types: ['ticket-created'] });
    expect(created).toMatchObject({ ok: true, value: [{ type: 'ticket-created', objectType: 'Ticket' }] });
    if (created.ok && created.value[0]) expect(await client.getEvent(created.value[0].id)).toMatchObject({ ok: true, value: { type: 'ticket-created' } });

    const tag = await client.createTag({ name: 'vip', color: '#F58D86' });
    expect(tag).toMatchObject({ ok: true, value: { name: 'vip', color: '#F58D86' } });
    if (tag.ok) expect(await client.getTag(tag.value.id)).toMatchObject({ ok: true, value: { name: 'vip' } });
    expect(await client.listTags({ search: 'vi' })).toMatchObject({ ok: true, value: { items: [{ name: 'vip' }] } });

    const hook = await client.createHttpIntegration({ name: 'escalation-hook', url: 'http://127.0.0.1:9/hook', method: 'POST', requestContentType: 'application/json', triggers: { 'ticket-created': true } });
    expect(hook).toMatchObject({ ok: true, value: { type: 'http', http: { url: 'http://127.0.0.1:9/hook', triggers: { 'ticket-created': true } } } });
    if (hook.ok) {
      expect(await client.listIntegrations({ type: 'http' })).toMatchObject({ ok: true, value: { items: [{ id: hook.value.id }] } });
      expect(await client.deleteIntegration(hook.value.id)).toEqual({ ok: true, value: undefined });
    }

    const file = twin.seedFile({ fileType: 'attachments', path: 'call.mp3', contentType: 'audio/mpeg', content: 'ID3-audio' });
    const downloaded = await client.downloadFile(`${twin.origin}${file.path}`);
    expect(downloaded.ok && Buffer.from(downloaded.value.bytes).toString()).toBe('ID3-audio');
    expect(await client.raw('GET', '/account')).toMatchObject({ ok: true, value: { status: 200, body: { domain: twin.domain } } });
  });

  it('maps a wrong API key to unauthorized', async () => {
    const { newClient, twin } = await startHarness();
    const client = newClient({ credentials: { kind: 'basic', email: twin.credentials.email, apiKey: 'wrong' } });
    expect(await client.getAccount()).toMatchObject({ ok: false, error: { code: 'unauthorized', status: 401 } });
  });

  it('maps a body the twin refuses to validation with its field messages', async () => {
    const { client } = await startHarness();
    const refused = await client.createTicket({ via: 'api', customer: { id: 999_999 }, messages: [{ channel: 'phone', via: 'api', fromAgent: false, sender: { id: 999_999 }, bodyText: 'x' }] });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'validation', status: 400, fields: { 'customer.id': ['No customer with id 999999.'], 'messages.0.sender.id': ['No customer with id 999999.'] } },
    });
  });
});
