import { describe, expect, it } from 'vitest';
import { loadFixture } from './fixtures.ts';
import { dataOf, field, startTestTwin } from './twin-http.ts';

const phoneCustomer = (phone: string, extra: Record<string, unknown> = {}) => ({ channels: [{ type: 'phone', address: phone, preferred: true }], ...extra });

describe('Gorgias twin customers', () => {
  it('creates the contract example customer with 201', async () => {
    const { twin, api } = await startTestTwin();
    const answer = await api.post('/customers', loadFixture('create-customer'));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      id: expect.any(Number), name: 'Jane Caller', firstname: 'Jane', lastname: 'Caller', external_id: 'voice-caller:+14155550123',
      language: 'en', timezone: 'America/Los_Angeles', email: null,
      channels: [{ id: expect.any(Number), type: 'phone', address: '+14155550123', preferred: true }],
    });
    expect(twin.events().map((event) => event.type)).toEqual(['customer-created']);
  });

  it.each([
    ['no channels', {}, { channels: ['Missing data for required field.'] }],
    ['an unknown channel type', { channels: [{ type: 'voice', address: '+1' }] }, { channels: { 0: { type: [expect.stringMatching(/^Must be one of:/)] } } }],
    ['a malformed email', { channels: [], email: 'not-an-email' }, { email: ['Not a valid email address.'] }],
    ['a made-up time zone', { channels: [], timezone: 'Mars/Olympus' }, { timezone: ['Not a valid IANA time zone.'] }],
    ['a field outside the create schema', { channels: [], firstname: 'Jane' }, { firstname: ['Unknown field.'] }],
  ])('rejects a customer with %s', async (_name, body, data) => {
    const { api } = await startTestTwin();
    const answer = await api.post('/customers', body);
    expect(answer.status).toBe(400);
    expect(field(answer.body, 'error', 'data')).toEqual(data);
  });

  it('answers 409 when the primary email is already used, in any letter case', async () => {
    const { api } = await startTestTwin();
    expect((await api.post('/customers', phoneCustomer('+14155550100', { email: 'jane@example.com' }))).status).toBe(201);
    const duplicate = await api.post('/customers', phoneCustomer('+14155550101', { email: 'Jane@Example.com' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: { msg: 'The resource already exists.' } });
  });

  it('answers 409 when an update takes another customer email', async () => {
    const { twin, api } = await startTestTwin();
    twin.seedCustomer({ email: 'taken@example.com' });
    const other = twin.seedCustomer({ email: 'mine@example.com' });
    expect((await api.put(`/customers/${other.id}`, { email: 'taken@example.com' })).status).toBe(409);
    expect((await api.put(`/customers/${other.id}`, { email: 'mine@example.com' })).status).toBe(202);
  });

  it('lets two customers share an external_id and finds both', async () => {
    const { api } = await startTestTwin();
    await api.post('/customers', phoneCustomer('+14155550100', { external_id: 'same' }));
    await api.post('/customers', phoneCustomer('+14155550101', { external_id: 'same' }));
    expect(dataOf(await api.get('/customers?external_id=same'))).toHaveLength(2);
  });

  it('replaces the whole channel list on PUT, keeping ids of channels sent again', async () => {
    const { twin, api } = await startTestTwin();
    const customer = twin.seedCustomer({ name: 'Jane', phone: '+14155550123', channels: [{ type: 'email', address: 'jane@example.com' }] });
    const phoneChannelId = customer.channels.find((channel) => channel.type === 'phone')?.id;
    const updated = await api.put(`/customers/${customer.id}`, { channels: [{ type: 'phone', address: '+14155550123', preferred: true }, { type: 'phone', address: '+14155550999' }] });
    expect(updated.status).toBe(202);
    expect(field(updated.body, 'channels')).toEqual([
      expect.objectContaining({ id: phoneChannelId, type: 'phone', address: '+14155550123' }),
      expect.objectContaining({ type: 'phone', address: '+14155550999', preferred: false }),
    ]);
    expect(field(updated.body, 'name')).toBe('Jane');
  });

  it('finds a customer by phone channel only on an exact address', async () => {
    const { twin, api } = await startTestTwin();
    const jane = twin.seedCustomer({ name: 'Jane', phone: '+14155550123' });
    twin.seedCustomer({ name: 'Joe', phone: '+14155550999' });
    const exact = await api.get(`/customers?channel_type=phone&channel_address=${encodeURIComponent('+14155550123')}`);
    expect(dataOf(exact).map((customer) => field(customer, 'id'))).toEqual([jane.id]);
    const formatted = await api.get(`/customers?channel_type=phone&channel_address=${encodeURIComponent('(415) 555-0123')}`);
    expect(dataOf(formatted)).toEqual([]);
    expect(dataOf(await api.get('/customers?channel_type=email&channel_address=%2B14155550123'))).toEqual([]);
  });

  it('filters by email regardless of case', async () => {
    const { twin, api } = await startTestTwin();
    const jane = twin.seedCustomer({ email: 'jane@example.com' });
    expect(dataOf(await api.get('/customers?email=JANE%40example.com')).map((customer) => field(customer, 'id'))).toEqual([jane.id]);
  });

  it('searches customers by phone with 201 and a data list', async () => {
    const { twin, api } = await startTestTwin();
    const jane = twin.seedCustomer({ name: 'Jane', phone: '+14155550123' });
    const answer = await api.post('/search', { type: 'customers_by_phone', query: '+14155550123' });
    expect(answer.status).toBe(201);
    expect(dataOf(answer).map((customer) => field(customer, 'id'))).toEqual([jane.id]);
    const channels = await api.post('/search', { type: 'customer_channel_phone', query: '+14155550123' });
    expect(dataOf(channels)).toEqual([expect.objectContaining({ address: '+14155550123', customer: { id: jane.id, name: 'Jane' } })]);
    expect((await api.post('/search', { type: 'users_by_phone', query: '+1' })).status).toBe(400);
    expect((await api.post('/search', { type: 'customer', size: 51 })).status).toBe(400);
  });

  it('merges the source into the target: channels joined, tickets moved, source gone', async () => {
    const { twin, api } = await startTestTwin();
    const source = twin.seedCustomer({ name: 'Caller', phone: '+14155550123' });
    const target = twin.seedCustomer({ name: 'Jane', email: 'jane@example.com' });
    const ticket = await api.post('/tickets', {
      channel: 'phone', via: 'api', customer: { id: source.id },
      messages: [{ channel: 'phone', via: 'api', from_agent: false, sender: { id: source.id }, body_text: 'hi', sent_datetime: '2026-11-21T04:00:00Z' }],
    });
    const merged = await api.put(`/customers/merge?source_id=${source.id}&target_id=${target.id}`, { name: 'Jane Caller' });
    expect(merged.status).toBe(202);
    expect(merged.body).toMatchObject({ id: target.id, name: 'Jane Caller', email: 'jane@example.com', channels: [expect.objectContaining({ address: '+14155550123' })] });
    expect((await api.get(`/customers/${source.id}`)).status).toBe(404);
    expect(twin.ticket(Number(field(ticket.body, 'id')))?.customer?.id).toBe(target.id);
    expect((await api.put(`/customers/merge?source_id=${target.id}`, {})).status).toBe(400);
  });

  it('stores customer data with 202 and an empty body, ignoring an older version', async () => {
    const { twin, api } = await startTestTwin();
    const customer = twin.seedCustomer({ name: 'Jane' });
    const first = await api.put(`/customers/${customer.id}/data`, { data: { tier: 'gold' }, version: '2026-11-21T04:00:00Z' });
    expect([first.status, first.text]).toEqual([202, '']);
    await api.put(`/customers/${customer.id}/data`, { data: { tier: 'silver' }, version: '2026-11-20T04:00:00Z' });
    expect(field((await api.get(`/customers/${customer.id}`)).body, 'data')).toEqual({ tier: 'gold' });
  });

  it('deletes one customer or several with 204', async () => {
    const { twin, api } = await startTestTwin();
    const [a, b, c] = [twin.seedCustomer({ name: 'A' }), twin.seedCustomer({ name: 'B' }), twin.seedCustomer({ name: 'C' })];
    expect((await api.delete(`/customers/${a.id}`)).status).toBe(204);
    expect((await api.delete('/customers', { ids: [b.id, c.id] })).status).toBe(204);
    expect(twin.customers()).toEqual([]);
    expect((await api.delete(`/customers/${a.id}`)).status).toBe(404);
  });
});
