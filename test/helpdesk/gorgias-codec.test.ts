import { describe, expect, it } from 'vitest';
import { searchResultSchema } from '../../src/helpdesk/gorgias-account-codec.ts';
import {
  customerSchema,
  decodeBody,
  decodeErrorBody,
  decodeOAuthTokens,
  findRawByExternalId,
  messageSchema,
  pageSchema,
  parseCallLimit,
  parseRetryAfterMs,
  rawPageSchema,
  ticketSchema,
} from '../../src/helpdesk/gorgias-codec.ts';
import { gorgiasFixture } from './support/fixtures.ts';

describe('Gorgias response codec', () => {
  it('decodes a phone ticket with its transcript message into camelCase', () => {
    const decoded = decodeBody(ticketSchema, gorgiasFixture('ticket-phone-escalation'), 'ticket');
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value).toMatchObject({
      id: 86538298,
      externalId: 'aicall:CA5f1e0c2a',
      status: 'open',
      priority: 'high',
      channel: 'phone',
      via: 'api',
      fromAgent: false,
      customer: { id: 987654, name: 'Jane Caller', email: null },
      assigneeUserId: null,
      assigneeTeamId: 7,
      tags: [{ id: 501, name: 'ai-escalation', color: '#F58D86' }, { id: 502, name: 'voice-ai', color: null }],
      meta: { ai_call_id: 'CA5f1e0c2a' },
      closedDatetime: null,
    });
    expect(decoded.value.messages?.[0]).toMatchObject({
      id: 208822164,
      ticketId: 86538298,
      channel: 'phone',
      fromAgent: false,
      isPublic: true,
      sender: { id: 987654 },
      source: { type: 'phone', from: { address: '+14155550123' }, to: [{ address: '+18005550100' }] },
      sentDatetime: '2026-11-21T04:14:12.000000+00:00',
    });
    expect(decoded.value).not.toHaveProperty('reply_options');
  });

  it('reads a TicketCompact page: no messages, the end of the list', () => {
    const page = decodeBody(pageSchema(ticketSchema), gorgiasFixture('ticket-list-page'), 'ticket list');
    expect(page).toMatchObject({ ok: true, value: { nextCursor: null, prevCursor: null, items: [{ id: 86538298, messages: null, messagesCount: 2, excerpt: 'AI summary: customer wants a refund' }] } });
  });

  it('keeps list items raw for landing checks and finds one by external id', () => {
    const page = decodeBody(rawPageSchema, gorgiasFixture('list-envelope-illustrative'), 'list');
    expect(page).toMatchObject({ ok: true, value: { items: [{ id: 1 }, { id: 2 }], nextCursor: 'cHJldl9fNl9fMjAyMS0wMy0wMyAwNjowMDowMA==' } });
    expect(findRawByExternalId([{ id: 1 }, { id: 2, external_id: 'a' }, { id: 3, external_id: 'b' }], 'b')).toEqual({ id: 3, external_id: 'b' });
    expect(findRawByExternalId([{ id: 1 }], 'b')).toBeUndefined();
  });

  it('decodes a customer with its channels', () => {
    const decoded = decodeBody(customerSchema, gorgiasFixture('customer-phone-and-email'), 'customer');
    expect(decoded).toMatchObject({
      ok: true,
      value: {
        id: 987654,
        email: 'jane@example.com',
        channels: [
          { id: 11, type: 'phone', address: '+14155550123', isPreferred: true },
          { id: 12, type: 'email', address: 'jane@example.com', isPreferred: false },
        ],
      },
    });
  });

  it.each([
    ['a ticket without status', ticketSchema, { id: 1 }, 'status'],
    ['a ticket with a string id', ticketSchema, { id: '1', status: 'open' }, 'id'],
    ['a customer without channels', customerSchema, { id: 1, email: null }, 'channels'],
    ['a message without from_agent', messageSchema, { id: 1, channel: 'phone' }, 'from_agent'],
    ['a page without data', pageSchema(ticketSchema), { meta: { next_cursor: null } }, 'data'],
    ['a page with a bad item', pageSchema(ticketSchema), { data: [{ id: 1, status: 'open' }, { id: 2 }] }, 'data.1.status'],
  ])('reports %s as bad_response naming the path', (_name, schema, body, path) => {
    const decoded = decodeBody(schema, body, 'thing');
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error.code).toBe('bad_response');
    expect(decoded.error.message).toContain(path);
    expect(decoded.error.cause).toBeDefined();
  });

  it.each([
    ['the legacy validation body', gorgiasFixture('error-validation'), 'Failed to create ticket', { sender: ['Missing data for required field.'], channel: ['Missing data for required field.'] }],
    ['a not-found body', gorgiasFixture('error-not-found'), 'Resource not found.', {}],
    [
      'nested marshmallow messages',
      gorgiasFixture('error-validation-nested'),
      'Invalid request.',
      { 'messages.0.channel': ['Missing data for required field.'], 'messages.0.colour': ['Unknown field.'], priority: ['Must be one of: critical, high, normal, low.'] },
    ],
    ['an HTML page', '<html>502</html>', null, {}],
    ['nothing', undefined, null, {}],
  ])('reads %s as an error message and field messages', (_name, body, message, fields) => {
    expect(decodeErrorBody(body)).toEqual({ message, fields });
  });

  it.each([
    ['10/40', { used: 10, limit: 40 }],
    [' 80 / 80 ', { used: 80, limit: 80 }],
    ['10/0', null],
    ['ten/40', null],
    [undefined, null],
  ])('parses X-Gorgias-Account-Api-Call-Limit %j', (value, expected) => {
    expect(parseCallLimit(value)).toEqual(expected);
  });

  it.each([
    ['5', 5_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Thu, 19 Nov 2026 15:00:07 GMT', 7_000],
    ['soon', null],
    ['', null],
    [undefined, null],
  ])('parses Retry-After %j as milliseconds', (value, expected) => {
    expect(parseRetryAfterMs(value, Date.parse('2026-11-19T15:00:00Z'))).toBe(expected);
  });

  it('turns expires_in into an absolute expiry', () => {
    expect(decodeOAuthTokens(gorgiasFixture('oauth-token'), 1_000)).toEqual({
      ok: true,
      value: { accessToken: 'at-example', refreshToken: 'rt-example', expiresAtMs: 3_601_000, scope: 'openid offline tickets:write' },
    });
    expect(decodeOAuthTokens({ token_type: 'Bearer' }, 0)).toMatchObject({ ok: false, error: { code: 'bad_response' } });
  });

  it('accepts search results as an envelope or a bare array', () => {
    const fixture = gorgiasFixture('search-customers-by-phone');
    expect(searchResultSchema.parse(fixture)).toEqual([{ id: 987654, name: 'Jane Caller', email: 'jane@example.com', address: null, customerId: null }]);
    expect(searchResultSchema.parse([{ id: 3, address: '+14155550123', customer: { id: 9, name: 'J' } }])).toEqual([
      { id: 3, name: null, email: null, address: '+14155550123', customerId: 9 },
    ]);
  });
});
