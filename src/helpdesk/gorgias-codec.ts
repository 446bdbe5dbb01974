// Gorgias response bodies and headers → our camelCase types, validated with zod (gorgias-rest-api.md, 3-12).
// Pure: no I/O, never throws on wire data. Unknown fields are dropped; a missing required one is a `bad_response`.
import { z } from 'zod';
import { err, ok, type Result } from '../shared/result.ts';
import { gorgiasError, type GorgiasError } from './errors.ts';

export const optionalText = z.string().nullish().transform((value) => value ?? null);
export const optionalNumber = z.number().nullish().transform((value) => value ?? null);
export const optionalBoolean = z.boolean().nullish().transform((value) => value ?? null);
const optionalObject = z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? null);
const optionalRef = z.object({ id: z.number().int() }).nullish().transform((value) => value?.id ?? null);

export type Page<T> = { readonly items: T[]; readonly nextCursor: string | null; readonly prevCursor: string | null };

/** The list envelope (gorgias-rest-api.md, 4); tag and custom-field lists carry `data` without `meta`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z
    .object({
      data: z.array(item),
      meta: z.object({ next_cursor: optionalText, prev_cursor: optionalText }).nullish(),
    })
    .transform((wire): Page<z.output<T>> => ({
      items: wire.data,
      nextCursor: wire.meta?.next_cursor ?? null,
      prevCursor: wire.meta?.prev_cursor ?? null,
    }));
}

/** A page kept raw, for landing checks that hand the found item to the create's own decoder. */
export const rawPageSchema = pageSchema(z.unknown());

const externalIdSchema = z.object({ external_id: z.string() });

/** The first raw item whose `external_id` matches (gorgias-rest-api.md, 14). */
export function findRawByExternalId(items: readonly unknown[], externalId: string): unknown {
  return items.find((item) => externalIdSchema.safeParse(item).data?.external_id === externalId);
}

const addressSchema = z
  .object({ name: optionalText, address: optionalText })
  .transform((wire) => ({ name: wire.name, address: wire.address }));
export type GorgiasAddress = z.output<typeof addressSchema>;

const personSchema = z
  .object({ id: z.number().int(), email: optionalText, name: optionalText })
  .transform((wire) => ({ id: wire.id, email: wire.email, name: wire.name }));
export type GorgiasPerson = z.output<typeof personSchema>;

export const tagSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: optionalText,
    decoration: z.object({ color: optionalText }).nullish(),
    usage: optionalNumber,
    created_datetime: optionalText,
  })
  .transform((wire) => ({
    id: wire.id,
    name: wire.name,
    description: wire.description,
    color: wire.decoration?.color ?? null,
    usage: wire.usage,
    createdDatetime: wire.created_datetime,
  }));
export type GorgiasTag = z.output<typeof tagSchema>;

const attachmentSchema = z
  .object({ url: z.string(), name: optionalText, content_type: optionalText, size: optionalNumber })
  .transform((wire) => ({ url: wire.url, name: wire.name, contentType: wire.content_type, sizeBytes: wire.size }));

/** TicketMessage (gorgias-rest-api.md, 7.2). */
export const messageSchema = z
  .object({
    id: z.number().int(),
    ticket_id: optionalNumber,
    external_id: optionalText,
    channel: z.string(),
    via: optionalText,
    from_agent: z.boolean(),
    public: optionalBoolean,
    sender: personSchema.nullish(),
    receiver: personSchema.nullish(),
    source: z
      .object({ type: optionalText, from: addressSchema.nullish(), to: z.array(addressSchema).nullish() })
      .nullish(),
    subject: optionalText,
    body_text: optionalText,
    body_html: optionalText,
    attachments: z.array(attachmentSchema).nullish(),
    meta: optionalObject,
    created_datetime: optionalText,
    sent_datetime: optionalText,
    failed_datetime: optionalText,
  })
  .transform((wire) => ({
    id: wire.id,
    ticketId: wire.ticket_id,
    externalId: wire.external_id,
    channel: wire.channel,
    via: wire.via,
    fromAgent: wire.from_agent,
    isPublic: wire.public,
    sender: wire.sender ?? null,
    receiver: wire.receiver ?? null,
    source: wire.source ? { type: wire.source.type, from: wire.source.from ?? null, to: wire.source.to ?? [] } : null,
    subject: wire.subject,
    bodyText: wire.body_text,
    bodyHtml: wire.body_html,
    attachments: wire.attachments ?? [],
    meta: wire.meta,
    createdDatetime: wire.created_datetime,
    sentDatetime: wire.sent_datetime,
    failedDatetime: wire.failed_datetime,
  }));
export type GorgiasMessage = z.output<typeof messageSchema>;

/** Ticket and TicketCompact (gorgias-rest-api.md, 6.4): list items carry no `messages`, which becomes null. */
export const ticketSchema = z
  .object({
    id: z.number().int(),
    uri: optionalText,
    external_id: optionalText,
    status: z.string(),
    priority: optionalText,
    channel: optionalText,
    via: optionalText,
    from_agent: optionalBoolean,
    spam: optionalBoolean,
    subject: optionalText,
    customer: personSchema.nullish(),
    assignee_user: optionalRef,
    assignee_team: optionalRef,
    language: optionalText,
    tags: z.array(tagSchema).nullish(),
    meta: optionalObject,
    messages: z.array(messageSchema).nullish(),
    messages_count: optionalNumber,
    excerpt: optionalText,
    created_datetime: optionalText,
    updated_datetime: optionalText,
    opened_datetime: optionalText,
    closed_datetime: optionalText,
    last_message_datetime: optionalText,
    trashed_datetime: optionalText,
    snooze_datetime: optionalText,
  })
  .transform((wire) => ({
    id: wire.id,
    uri: wire.uri,
    externalId: wire.external_id,
    status: wire.status,
    priority: wire.priority,
    channel: wire.channel,
    via: wire.via,
    fromAgent: wire.from_agent,
    isSpam: wire.spam,
    subject: wire.subject,
    customer: wire.customer ?? null,
    assigneeUserId: wire.assignee_user,
    assigneeTeamId: wire.assignee_team,
    language: wire.language,
    tags: wire.tags ?? [],
    meta: wire.meta,
    messages: wire.messages ?? null,
    messagesCount: wire.messages_count,
    excerpt: wire.excerpt,
    createdDatetime: wire.created_datetime,
    updatedDatetime: wire.updated_datetime,
    openedDatetime: wire.opened_datetime,
    closedDatetime: wire.closed_datetime,
    lastMessageDatetime: wire.last_message_datetime,
    trashedDatetime: wire.trashed_datetime,
    snoozeDatetime: wire.snooze_datetime,
  }));
export type GorgiasTicket = z.output<typeof ticketSchema>;

const channelSchema = z
  .object({ id: optionalNumber, type: z.string(), address: z.string(), preferred: optionalBoolean })
  .transform((wire) => ({ id: wire.id, type: wire.type, address: wire.address, isPreferred: wire.preferred ?? false }));
export type GorgiasCustomerChannel = z.output<typeof channelSchema>;

/**
 * Customer (gorgias-rest-api.md, 9.2). `channels` is required: an upsert resends the whole list on PUT (9.3), so a
 * customer whose channels we cannot see must never be updated.
 */
export const customerSchema = z
  .object({
    id: z.number().int(),
    email: optionalText,
    name: optionalText,
    firstname: optionalText,
    lastname: optionalText,
    external_id: optionalText,
    language: optionalText,
    timezone: optionalText,
    note: optionalText,
    channels: z.array(channelSchema),
    meta: optionalObject,
    data: z.unknown().optional(),
    created_datetime: optionalText,
    updated_datetime: optionalText,
  })
  .transform((wire) => ({
    id: wire.id,
    email: wire.email,
    name: wire.name,
    firstname: wire.firstname,
    lastname: wire.lastname,
    externalId: wire.external_id,
    language: wire.language,
    timezone: wire.timezone,
    note: wire.note,
    channels: wire.channels,
    meta: wire.meta,
    data: wire.data ?? null,
    createdDatetime: wire.created_datetime,
    updatedDatetime: wire.updated_datetime,
  }));
export type GorgiasCustomer = z.output<typeof customerSchema>;

/** OAuth2 token answer (gorgias-rest-api.md, 2.2); `expires_in` and the rest are [I]. */
export const oauthTokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: optionalText,
  token_type: optionalText,
  expires_in: optionalNumber,
  scope: optionalText,
});

export type OAuthTokens = { accessToken: string; refreshToken: string | null; expiresAtMs: number | null; scope: string | null };

export function decodeOAuthTokens(body: unknown, nowMs: number): Result<OAuthTokens, GorgiasError> {
  const decoded = decodeBody(oauthTokenSchema, body, 'oauth token');
  if (!decoded.ok) return decoded;
  const wire = decoded.value;
  return ok({
    accessToken: wire.access_token,
    refreshToken: wire.refresh_token,
    expiresAtMs: wire.expires_in === null ? null : nowMs + wire.expires_in * 1000,
    scope: wire.scope,
  });
}

/** Validates a 2xx body; the message names the failing paths, never their values. */
export function decodeBody<T extends z.ZodType>(schema: T, body: unknown, what: string): Result<z.output<T>, GorgiasError> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return ok(parsed.data);
  const paths = [...new Set(parsed.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)'))].slice(0, 8);
  return err(gorgiasError('bad_response', `Gorgias ${what} answer does not match the contract at: ${paths.join(', ')}`, { cause: parsed.error }));
}

const errorBodySchema = z.object({ error: z.object({ msg: z.string().optional(), data: z.unknown().optional() }) });

/** Reads `{"error": {"msg", "data"}}` (gorgias-rest-api.md, 5), flattening nested field messages to dotted paths. */
export function decodeErrorBody(body: unknown): { message: string | null; fields: Record<string, string[]> } {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return { message: null, fields: {} };
  const fields: Record<string, string[]> = {};
  flattenFieldMessages(parsed.data.error.data, '', fields);
  return { message: parsed.data.error.msg ?? null, fields };
}

function flattenFieldMessages(node: unknown, prefix: string, into: Record<string, string[]>): void {
  if (Array.isArray(node)) {
    const messages = node.filter((item): item is string => typeof item === 'string');
    if (messages.length > 0) into[prefix || '_schema'] = messages;
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, child] of Object.entries(node)) flattenFieldMessages(child, prefix ? `${prefix}.${key}` : key, into);
}

export type CallLimit = { used: number; limit: number };

/** `X-Gorgias-Account-Api-Call-Limit: 10/40` (gorgias-rest-api.md, 3). */
export function parseCallLimit(value: string | undefined): CallLimit | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value ?? '');
  if (!match) return null;
  const limit = Number(match[2]);
  return limit > 0 ? { used: Number(match[1]), limit } : null;
}

/** `Retry-After` in seconds (the documented form) or as an HTTP date (gorgias-rest-api.md, 3). */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const dateMs = Date.parse(value);
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs);
}
