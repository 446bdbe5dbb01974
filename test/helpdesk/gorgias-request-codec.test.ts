import { describe, expect, it } from 'vitest';
import {
  customerListQuery,
  customerMergeQuery,
  eventListQuery,
  ticketListQuery,
} from '../../src/helpdesk/gorgias-list-filters.ts';
import {
  encodeCreateCustomer,
  encodeCreateMessage,
  encodeCreateTicket,
  encodeHttpIntegration,
  encodeSearch,
  encodeTagRefs,
  encodeUpdateCustomer,
  encodeUpdateTicket,
  type CreateMessageInput,
  type CreateTicketInput,
} from '../../src/helpdesk/gorgias-request-codec.ts';
import { gorgiasFixture } from './support/fixtures.ts';

const escalationTicket: CreateTicketInput = {
  externalId: 'aicall:CA5f1e0c2a',
  channel: 'phone',
  via: 'api',
  fromAgent: false,
  status: 'open',
  priority: 'high',
  subject: 'Escalated AI call from +14155550123: refund request',
  customer: { id: 987654 },
  tags: ['ai-escalation', 'voice-ai'],
  meta: { ai_call_id: 'CA5f1e0c2a', escalation_reason: 'unresolved' },
  messages: [
    {
      channel: 'phone',
      via: 'api',
      fromAgent: false,
      externalId: 'aicall:CA5f1e0c2a:transcript',
      sender: { id: 987654 },
      source: { type: 'phone', from: { address: '+14155550123' }, to: [{ address: '+18005550100' }] },
      subject: 'Call transcript',
      bodyText: 'Caller: I want a refund...\nAI: ...',
      bodyHtml: '<p><b>Caller:</b> I want a refund...</p><p><b>AI:</b> ...</p>',
      createdDatetime: '2026-11-21T04:10:00+00:00',
      sentDatetime: '2026-11-21T04:14:12+00:00',
    },
    {
      channel: 'internal-note',
      via: 'api',
      fromAgent: true,
      isPublic: false,
      sender: { id: 4321 },
      bodyText: 'AI summary: customer wants a refund for order #1001; could not verify identity.',
      sentDatetime: '2026-11-21T04:14:13+00:00',
    },
  ],
};

const note: CreateMessageInput = { channel: 'internal-note', via: 'api', fromAgent: true, bodyText: 'x' };

describe('Gorgias request codec', () => {
  it('encodes the contract escalation ticket exactly (gorgias-rest-api.md, 13.3)', () => {
    expect(encodeCreateTicket(escalationTicket)).toEqual({ ok: true, value: gorgiasFixture('create-ticket-escalation') });
  });

  it('encodes the tutorial incoming email message exactly (7.1)', () => {
    const encoded = encodeCreateMessage({
      sender: { email: 'customer@example.com' },
      source: { to: [{ address: 'support@example.com' }], from: { address: 'customer@example.com' } },
      bodyHtml: 'Hi, this is another test message! ',
      bodyText: 'Hi, this is another test message! ',
      channel: 'email',
      fromAgent: false,
      via: 'api',
      subject: 'This is a test ticket',
    });
    expect(encoded).toEqual({ ok: true, value: gorgiasFixture('create-message-incoming-email') });
  });

  it('encodes an internal note with an attachment as S4 sends it, plus via (7.1)', () => {
    const encoded = encodeCreateMessage({
      channel: 'internal-note',
      via: 'api',
      fromAgent: true,
      bodyHtml: '<p>AI agent could not resolve the call: customer asks for a refund.</p>',
      sentDatetime: '2025-01-27T19:38:52.028Z',
      sender: { id: 123456 },
      attachments: [{ url: 'https://files.example.com/call.mp3', name: 'call.mp3', contentType: 'audio/mpeg', sizeBytes: 48213 }],
    });
    expect(encoded).toEqual({ ok: true, value: { ...(gorgiasFixture('create-internal-note-with-attachment') as object), via: 'api' } });
  });

  it('encodes the contract customer with a phone channel exactly (9.1)', () => {
    const encoded = encodeCreateCustomer({
      name: 'Jane Caller',
      channels: [{ type: 'phone', address: '+14155550123', isPreferred: true }],
      externalId: 'voice-caller:+14155550123',
      language: 'en',
      timezone: 'America/Los_Angeles',
    });
    expect(encoded).toEqual({ ok: true, value: gorgiasFixture('create-customer-phone') });
  });

  it('encodes the contract HTTP integration exactly (12.1)', () => {
    const encoded = encodeHttpIntegration({
      name: 'ai-voice-escalation-hook',
      description: 'Notify the voice service about ticket changes',
      url: 'https://voice.example.com/gorgias/webhook?ticket={{ticket.id}}',
      method: 'POST',
      requestContentType: 'application/json',
      headers: { 'X-Token': '...' },
      form: { ticket_id: '{{ticket.id}}', customer_email: '{{ticket.customer.email}}' },
      hmacSecret: 'optional-shared-secret',
      triggers: { 'ticket-created': true, 'ticket-updated': false, 'ticket-message-created': true },
    });
    expect(encoded).toEqual(gorgiasFixture('create-http-integration'));
  });

  it.each([
    ['no messages', { ...escalationTicket, messages: [] }, 'messages'],
    ['501 messages', { ...escalationTicket, messages: Array.from({ length: 501 }, () => note) }, 'messages'],
    ['an external id over 255 characters', { ...escalationTicket, externalId: 'x'.repeat(256) }, 'external_id'],
    ['a subject over 998 characters', { ...escalationTicket, subject: 's'.repeat(999) }, 'subject'],
    ['an empty tag name', { ...escalationTicket, tags: [''] }, 'tags.0.name'],
    ['a message external id over 255', { ...escalationTicket, messages: [{ ...note, externalId: 'm'.repeat(256) }] }, 'messages.0.external_id'],
  ])('refuses a ticket with %s before sending', (_name, input, field) => {
    const encoded = encodeCreateTicket(input);
    expect(encoded.ok).toBe(false);
    if (encoded.ok) return;
    expect(encoded.error.code).toBe('validation');
    expect(Object.keys(encoded.error.fields)).toContain(field);
  });

  it('accepts exactly 500 messages', () => {
    expect(encodeCreateTicket({ ...escalationTicket, messages: Array.from({ length: 500 }, () => note) }).ok).toBe(true);
  });

  it('encodes a ticket update with cleared assignees and replaced tags', () => {
    expect(encodeUpdateTicket({ status: 'closed', assigneeUserId: null, assigneeTeamId: 7, tags: ['ai-resolved'], trashedDatetime: null })).toEqual({
      status: 'closed',
      assignee_user: null,
      assignee_team: { id: 7 },
      tags: [{ name: 'ai-resolved' }],
      trashed_datetime: null,
    });
  });

  it('resends channels whole on a customer update (9.3)', () => {
    expect(encodeUpdateCustomer({ email: 'jane@example.com', channels: [{ type: 'phone', address: '+14155550123' }] })).toEqual({
      ok: true,
      value: { email: 'jane@example.com', channels: [{ type: 'phone', address: '+14155550123', preferred: false }] },
    });
  });

  it.each([
    ['tags without names or ids', () => encodeTagRefs({}), false],
    ['tags by name', () => encodeTagRefs({ names: ['vip'] }), true],
    ['search size 0', () => encodeSearch({ type: 'customers_by_phone', query: '+1', size: 0 }), false],
    ['search size 51', () => encodeSearch({ type: 'customers_by_phone', size: 51 }), false],
    ['search size 50', () => encodeSearch({ type: 'customers_by_phone', size: 50 }), true],
  ])('checks %s', (_name, encode, isOk) => {
    expect(encode().ok).toBe(isOk);
  });
});

describe('Gorgias list filters', () => {
  it.each([
    ['no filter', ticketListQuery(), {}],
    ['external id lookup', ticketListQuery({ externalId: 'aicall:CA1', orderBy: 'created_datetime:asc', limit: 1 }), { external_id: 'aicall:CA1', order_by: 'created_datetime:asc', limit: '1' }],
    ['ticket ids and trashed', ticketListQuery({ ticketIds: [1, 2], isTrashedIncluded: false, cursor: 'c' }), { ticket_ids: ['1', '2'], trashed: 'false', cursor: 'c' }],
    ['phone channel', customerListQuery({ channelType: 'phone', channelAddress: '+14155550123' }), { channel_type: 'phone', channel_address: '+14155550123' }],
    ['email', customerListQuery({ email: 'a@b.c', limit: 1 }), { email: 'a@b.c', limit: '1' }],
    ['events', eventListQuery({ types: ['ticket-created'], objectType: 'Ticket', createdDatetime: { gte: '2026-11-01' } }), { types: ['ticket-created'], object_type: 'Ticket', 'created_datetime[gte]': '2026-11-01' }],
    ['merge', customerMergeQuery(3, 4), { source_id: '3', target_id: '4' }],
  ])('encodes %s', (_name, query, expected) => {
    expect(query).toEqual(expected);
  });
});
