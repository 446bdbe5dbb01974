import { describe, expect, it } from 'vitest';
import { planCustomerPatch, pickCustomer, upsertCustomer } from '../../src/helpdesk/customer-upsert.ts';
import type { CustomerWanted } from '../../src/helpdesk/escalation-mapper.ts';
import type { GorgiasCustomer } from '../../src/helpdesk/gorgias-codec.ts';
import { startHarness } from './support/gorgias-harness.ts';

const PHONE = '+14155550123';
const wanted: CustomerWanted = { phone: PHONE, name: 'Jane Caller', verifiedEmail: 'jane@example.com', externalId: `aicall-caller:${PHONE}` };

function existing(overrides: Partial<GorgiasCustomer>): GorgiasCustomer {
  return {
    id: 1, email: null, name: null, firstname: null, lastname: null, externalId: null, language: null, timezone: null, note: null,
    channels: [], meta: null, data: null, createdDatetime: null, updatedDatetime: null, ...overrides,
  };
}

const phoneChannel = { id: 11, type: 'phone', address: PHONE, isPreferred: true };
const chatChannel = { id: 12, type: 'chat', address: 'chat-77', isPreferred: false };

describe('customer patch plan (gorgias-rest-api.md, 9.3)', () => {
  it.each([
    ['a complete customer', existing({ name: 'Jane', email: 'jane@example.com', channels: [phoneChannel, { id: 13, type: 'email', address: 'jane@example.com', isPreferred: false }] }), null],
    ['a missing name only', existing({ email: 'other@example.com', channels: [phoneChannel] }), { name: 'Jane Caller' }],
    [
      'a missing email: set it and add its channel, keeping every channel',
      existing({ name: 'Jane', channels: [phoneChannel, chatChannel] }),
      {
        email: 'jane@example.com',
        channels: [
          { type: 'phone', address: PHONE, isPreferred: true },
          { type: 'chat', address: 'chat-77', isPreferred: false },
          { type: 'email', address: 'jane@example.com', isPreferred: false },
        ],
      },
    ],
    [
      'a phone formatted differently counts as present',
      existing({ name: 'Jane', email: 'jane@example.com', channels: [{ ...phoneChannel, address: '+1 (415) 555-0123' }] }),
      null,
    ],
    [
      'a customer found by email gains the phone',
      existing({ name: 'Jane', email: 'jane@example.com', channels: [chatChannel] }),
      { channels: [{ type: 'chat', address: 'chat-77', isPreferred: false }, { type: 'phone', address: PHONE, isPreferred: false }] },
    ],
  ])('plans %s', (_name, customer, patch) => {
    expect(planCustomerPatch(customer, wanted)).toEqual(patch);
  });

  it('never writes an email that was not verified', () => {
    expect(planCustomerPatch(existing({ name: 'Jane', channels: [phoneChannel] }), { ...wanted, verifiedEmail: null })).toBeNull();
  });

  it('prefers the customer holding the verified email among several with the phone', () => {
    const candidates = [existing({ id: 1 }), existing({ id: 2, email: 'JANE@example.com' })];
    expect(pickCustomer(candidates, wanted)?.id).toBe(2);
    expect(pickCustomer(candidates, { ...wanted, verifiedEmail: null })?.id).toBe(1);
  });
});

describe('customer upsert against the twin', () => {
  it('creates a new caller with the phone and the verified email', async () => {
    const { client, twin } = await startHarness();
    expect(await upsertCustomer(client, wanted)).toMatchObject({ ok: true, value: { how: 'created' } });
    expect(twin.customers()).toMatchObject([
      { name: 'Jane Caller', email: 'jane@example.com', external_id: wanted.externalId, channels: [{ type: 'phone', address: PHONE, preferred: true }, { type: 'email', address: 'jane@example.com' }] },
    ]);
  });

  it('finds an existing caller by phone and changes nothing that is already there', async () => {
    const { client, twin } = await startHarness();
    const known = twin.seedCustomer({ name: 'Jane C.', email: 'jane@example.com', channels: [{ type: 'phone', address: PHONE }, { type: 'email', address: 'jane@example.com' }] });
    expect(await upsertCustomer(client, wanted)).toEqual({ ok: true, value: { customerId: known.id, how: 'found' } });
    expect(twin.requests().map((request) => request.method)).toEqual(['GET']);
  });

  it('fills a missing name and email on the caller found by phone without dropping channels', async () => {
    const { client, twin } = await startHarness();
    const known = twin.seedCustomer({ channels: [{ type: 'phone', address: PHONE }, { type: 'chat', address: 'chat-77' }] });
    expect(await upsertCustomer(client, wanted)).toEqual({ ok: true, value: { customerId: known.id, how: 'updated' } });
    const [after] = twin.customers();
    expect(after).toMatchObject({ name: 'Jane Caller', email: 'jane@example.com' });
    expect(after?.channels.map((channel) => `${channel.type}:${channel.address}`).sort()).toEqual(['chat:chat-77', 'email:jane@example.com', `phone:${PHONE}`]);
  });

  it('links a new caller whose verified email another customer holds to that customer, who gains the phone', async () => {
    const { client, twin } = await startHarness();
    const holder = twin.seedCustomer({ name: 'Jane From Shopify', email: 'jane@example.com', channels: [{ type: 'email', address: 'jane@example.com' }] });
    expect(await upsertCustomer(client, wanted)).toEqual({ ok: true, value: { customerId: holder.id, how: 'linked_by_email' } });
    expect(twin.customers()).toHaveLength(1);
    expect(twin.customers()[0]?.channels.map((channel) => channel.type).sort()).toEqual(['email', 'phone']);
    expect(twin.requests().map((request) => `${request.method} ${request.status}`)).toEqual(['GET 200', 'POST 409', 'GET 200', 'PUT 202']);
  });

  it('links to the email holder when the caller found by phone cannot take the email', async () => {
    const { client, twin } = await startHarness();
    twin.seedCustomer({ channels: [{ type: 'phone', address: PHONE }] });
    const holder = twin.seedCustomer({ name: 'Jane', email: 'jane@example.com', channels: [{ type: 'email', address: 'jane@example.com' }] });
    expect(await upsertCustomer(client, wanted)).toEqual({ ok: true, value: { customerId: holder.id, how: 'linked_by_email' } });
    expect(twin.customers()).toHaveLength(2);
  });

  it('finds a withheld-number caller by verified email, else by the external id of an earlier create', async () => {
    const { client, twin } = await startHarness();
    const anonymous = { phone: null, name: null, verifiedEmail: null, externalId: 'aicall-caller:CA9' };
    const first = await upsertCustomer(client, anonymous);
    expect(first).toMatchObject({ ok: true, value: { how: 'created' } });
    expect(await upsertCustomer(client, anonymous)).toEqual({ ok: true, value: { customerId: first.ok ? first.value.customerId : 0, how: 'found' } });
    const holder = twin.seedCustomer({ email: 'jane@example.com', channels: [{ type: 'email', address: 'jane@example.com' }] });
    expect(await upsertCustomer(client, { ...anonymous, verifiedEmail: 'jane@example.com' })).toEqual({ ok: true, value: { customerId: holder.id, how: 'found' } });
  });
});
