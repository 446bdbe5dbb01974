// Our camelCase requests → Gorgias wire bodies and query strings, checked against the contract before sending.
// Pure: no I/O. A body the contract forbids comes back as a `validation` error instead of a round trip to a 400.
import { z } from 'zod';
import { err, ok, type Result } from '../shared/result.ts';
import { gorgiasError, type GorgiasError } from './errors.ts';

/** `LegacyChannelSlug` values a request may use (gorgias-rest-api.md, 6.3). */
export const GORGIAS_CHANNELS = [
  'aircall', 'api', 'chat', 'contact_form', 'email', 'facebook', 'facebook-mention', 'facebook-messenger',
  'facebook-recommendations', 'help-center', 'instagram-ad-comment', 'instagram-comment', 'instagram-direct-message',
  'instagram-mention', 'internal-note', 'phone', 'sms', 'twitter', 'twitter-direct-message', 'whatsapp', 'yotpo-review',
] as const;
export type GorgiasChannel = (typeof GORGIAS_CHANNELS)[number];

/** `TicketVia` values a request may use; `gorgias_chat`, `offline_capture`, `self_service` are output-only (6.3). */
export const GORGIAS_VIAS = [
  'aircall', 'api', 'chat', 'contact_form', 'email', 'facebook', 'facebook-mention', 'facebook-messenger',
  'facebook-recommendations', 'form', 'help-center', 'helpdesk', 'instagram', 'instagram-ad-comment', 'instagram-comment',
  'instagram-direct-message', 'instagram-mention', 'internal-note', 'phone', 'rule', 'shopify', 'sms', 'twilio', 'twitter',
  'twitter-direct-message', 'whatsapp', 'yotpo', 'yotpo-review', 'zendesk',
] as const;
export type GorgiasVia = (typeof GORGIAS_VIAS)[number];

/** `TicketMessageSourceType` (gorgias-rest-api.md, 6.3). */
export const GORGIAS_SOURCE_TYPES = [
  'aircall', 'api', 'app', 'custom-chat', 'chat', 'chat-contact-form', 'chat-offline-capture', 'contact-form', 'email',
  'facebook', 'facebook-comment', 'facebook-mention-comment', 'facebook-mention-post', 'facebook-message',
  'facebook-messenger', 'facebook-post', 'facebook-review', 'facebook-review-comment', 'form', 'google-business-messages',
  'help-center', 'help-center-contact-form', 'helpdesk', 'instagram', 'instagram-ad-comment', 'instagram-ad-media',
  'instagram-comment', 'instagram-direct-message', 'instagram-media', 'instagram-mention-comment', 'instagram-mention-media',
  'internal-note', 'ottspott-call', 'phone', 'rule', 'self_service', 'shopify', 'sms', 'system-message', 'tiktok-shop',
  'twilio', 'twitter-direct-message', 'twitter-mention-tweet', 'twitter-quoted-tweet', 'twitter-tweet', 'whatsapp-message',
  'yotpo-review', 'yotpo-review-private-comment', 'yotpo-review-public-comment',
] as const;
export type GorgiasSourceType = (typeof GORGIAS_SOURCE_TYPES)[number];

export const TICKET_STATUSES = ['open', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** There is no `urgent` (gorgias-rest-api.md, 6.1). */
export const TICKET_PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** `messages` holds 1-500 items on ticket creation (gorgias-rest-api.md, 6.1). */
export const MAX_MESSAGES_PER_TICKET_CREATE = 500;
const MAX_EXTERNAL_ID_LENGTH = 255;

export type PersonRef = { id?: number; email?: string; name?: string };
export type AddressInput = { address: string; name?: string };
export type MessageSourceInput = { type?: GorgiasSourceType; from?: AddressInput; to?: AddressInput[] };
export type AttachmentInput = { url: string; name: string; contentType: string; sizeBytes?: number };
export type CustomFieldValueInput = { id: number; value: string | number | boolean };

export type CreateMessageInput = {
  channel: GorgiasChannel;
  via: GorgiasVia;
  fromAgent: boolean;
  sender?: PersonRef;
  receiver?: PersonRef;
  source?: MessageSourceInput;
  subject?: string;
  bodyText?: string;
  bodyHtml?: string;
  isPublic?: boolean;
  externalId?: string;
  /** Set for content that already happened: Gorgias then imports it and sends nothing (gorgias-rest-api.md, 7.1). */
  sentDatetime?: string;
  createdDatetime?: string;
  attachments?: AttachmentInput[];
  mentionIds?: number[];
  meta?: Record<string, unknown>;
};

export type CreateTicketInput = {
  messages: CreateMessageInput[];
  via: GorgiasVia;
  channel?: GorgiasChannel;
  customer?: PersonRef;
  subject?: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  tags?: string[];
  externalId?: string;
  meta?: Record<string, unknown>;
  assigneeUserId?: number;
  assigneeTeamId?: number;
  customFields?: CustomFieldValueInput[];
  fromAgent?: boolean;
  language?: string;
  isSpam?: boolean;
};

export type UpdateTicketInput = Partial<Omit<CreateTicketInput, 'messages' | 'assigneeUserId' | 'assigneeTeamId'>> & {
  assigneeUserId?: number | null;
  assigneeTeamId?: number | null;
  isUnread?: boolean;
  closedDatetime?: string | null;
  snoozeDatetime?: string | null;
  trashedDatetime?: string | null;
};

export type CustomerChannelInput = { type: string; address: string; isPreferred?: boolean };

export type CreateCustomerInput = {
  channels: CustomerChannelInput[];
  email?: string | null;
  externalId?: string | null;
  name?: string | null;
  language?: string | null;
  timezone?: string | null;
};
/** Sending `channels` replaces the whole list (gorgias-rest-api.md, 9.3). */
export type UpdateCustomerInput = Partial<CreateCustomerInput>;

const personWire = z.strictObject({ id: z.number().int().positive().optional(), email: z.string().min(1).optional(), name: z.string().optional() });
const addressWire = z.strictObject({ address: z.string().min(1), name: z.string().optional() });
const externalIdWire = z.string().min(1).max(MAX_EXTERNAL_ID_LENGTH);

const createMessageWire = z.strictObject({
  channel: z.enum(GORGIAS_CHANNELS),
  via: z.enum(GORGIAS_VIAS),
  from_agent: z.boolean(),
  sender: personWire.optional(),
  receiver: personWire.optional(),
  source: z.strictObject({ type: z.enum(GORGIAS_SOURCE_TYPES).optional(), from: addressWire.optional(), to: z.array(addressWire).optional() }).optional(),
  subject: z.string().optional(),
  body_text: z.string().optional(),
  body_html: z.string().optional(),
  public: z.boolean().optional(),
  external_id: externalIdWire.optional(),
  sent_datetime: z.string().optional(),
  created_datetime: z.string().optional(),
  attachments: z.array(z.strictObject({ url: z.string().min(1), name: z.string(), content_type: z.string(), size: z.number().int().optional() })).optional(),
  mention_ids: z.array(z.number().int()).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

const ticketFieldsWire = {
  via: z.enum(GORGIAS_VIAS),
  channel: z.enum(GORGIAS_CHANNELS).optional(),
  customer: personWire.optional(),
  subject: z.string().max(998).optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  tags: z.array(z.strictObject({ name: z.string().min(1).max(256) })).optional(),
  external_id: externalIdWire.optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  custom_fields: z.array(z.strictObject({ id: z.number().int(), value: z.union([z.string(), z.number(), z.boolean()]) })).optional(),
  from_agent: z.boolean().optional(),
  language: z.string().optional(),
  spam: z.boolean().optional(),
};

const createTicketWire = z.strictObject({
  messages: z.array(createMessageWire).min(1).max(MAX_MESSAGES_PER_TICKET_CREATE),
  ...ticketFieldsWire,
  assignee_user: z.strictObject({ id: z.number().int() }).optional(),
  assignee_team: z.strictObject({ id: z.number().int() }).optional(),
});

const customerFieldsWire = {
  email: z.string().max(320).nullable().optional(),
  external_id: externalIdWire.nullable().optional(),
  name: z.string().nullable().optional(),
  language: z.string().nullable().optional(),
  timezone: z.string().nullable().optional(),
};
const channelWire = z.strictObject({ type: z.string().min(1), address: z.string().min(1), preferred: z.boolean() });
const createCustomerWire = z.strictObject({ channels: z.array(channelWire), ...customerFieldsWire });
const updateCustomerWire = z.strictObject({ channels: z.array(channelWire).optional(), ...customerFieldsWire });

export function encodeCreateMessage(input: CreateMessageInput): Result<z.output<typeof createMessageWire>, GorgiasError> {
  return checked(createMessageWire, messageWire(input), 'message');
}

export function encodeCreateTicket(input: CreateTicketInput): Result<z.output<typeof createTicketWire>, GorgiasError> {
  return checked(
    createTicketWire,
    {
      ...ticketWire(input),
      messages: input.messages.map(messageWire),
      ...(input.assigneeUserId === undefined ? {} : { assignee_user: { id: input.assigneeUserId } }),
      ...(input.assigneeTeamId === undefined ? {} : { assignee_team: { id: input.assigneeTeamId } }),
    },
    'ticket',
  );
}

/** Encoded without a local check: every field is optional and Gorgias validates the rest (6.5). */
export function encodeUpdateTicket(input: UpdateTicketInput): Record<string, unknown> {
  return compact({
    ...ticketWire(input),
    assignee_user: input.assigneeUserId === undefined ? undefined : input.assigneeUserId === null ? null : { id: input.assigneeUserId },
    assignee_team: input.assigneeTeamId === undefined ? undefined : input.assigneeTeamId === null ? null : { id: input.assigneeTeamId },
    is_unread: input.isUnread,
    closed_datetime: input.closedDatetime,
    snooze_datetime: input.snoozeDatetime,
    trashed_datetime: input.trashedDatetime,
  });
}

export function encodeCreateCustomer(input: CreateCustomerInput): Result<z.output<typeof createCustomerWire>, GorgiasError> {
  return checked(createCustomerWire, customerWire(input), 'customer');
}

export function encodeUpdateCustomer(input: UpdateCustomerInput): Result<z.output<typeof updateCustomerWire>, GorgiasError> {
  return checked(updateCustomerWire, customerWire(input), 'customer update');
}

/** Tags on a ticket by id or by name, at least one (gorgias-rest-api.md, 8). */
export type TagRefs = { names?: readonly string[]; ids?: readonly number[] };

export function encodeTagRefs(refs: TagRefs): Result<Record<string, unknown>, GorgiasError> {
  if ((refs.names?.length ?? 0) + (refs.ids?.length ?? 0) === 0) return err(gorgiasError('validation', 'Tag changes need at least one name or id'));
  return ok(compact({ names: refs.names, ids: refs.ids }));
}

export type CreateTagInput = { name: string; description?: string; color?: string };

export function encodeCreateTag(input: CreateTagInput): Record<string, unknown> {
  return compact({ name: input.name, description: input.description, decoration: input.color === undefined ? undefined : { color: input.color } });
}

/** The bulk ticket field update is a bare array (gorgias-rest-api.md, 10). */
export function encodeCustomFieldValues(values: readonly CustomFieldValueInput[]): unknown[] {
  return values.map((value) => ({ id: value.id, value: value.value }));
}

export const SEARCH_TYPES = [
  'agent', 'customer', 'customer_profile', 'customer_channel', 'customer_channel_email', 'customer_channel_phone',
  'customers_by_phone', 'integration', 'team', 'tag',
] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export type SearchInput = { type: SearchType; query?: string; size?: number };

export function encodeSearch(input: SearchInput): Result<Record<string, unknown>, GorgiasError> {
  if (input.size !== undefined && (input.size < 1 || input.size > 50)) return err(gorgiasError('validation', 'Search size must be 1-50 (gorgias-rest-api.md, 9.5)'));
  return ok(compact({ type: input.type, query: input.query, size: input.size }));
}

export const HTTP_INTEGRATION_TRIGGERS = [
  'ticket-created', 'ticket-updated', 'ticket-message-created', 'ticket-self-unsnoozed', 'ticket-message-failed',
  'ticket-assignment-updated', 'ticket-status-updated', 'ticket-handed-over',
] as const;
export type HttpIntegrationTrigger = (typeof HTTP_INTEGRATION_TRIGGERS)[number];

/** An HTTP integration, Gorgias's webhook (gorgias-rest-api.md, 12.1); `url`, `headers`, `form` may hold `{{ticket.id}}`. */
export type HttpIntegrationInput = {
  name: string;
  description?: string;
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH';
  requestContentType: 'application/json' | 'application/x-www-form-urlencoded';
  headers?: Record<string, string>;
  form?: Record<string, string>;
  hmacSecret?: string;
  triggers?: Partial<Record<HttpIntegrationTrigger, boolean>>;
};

export function encodeHttpIntegration(input: HttpIntegrationInput): Record<string, unknown> {
  return compact({
    name: input.name,
    type: 'http',
    description: input.description,
    http: compact({
      url: input.url,
      method: input.method,
      request_content_type: input.requestContentType,
      response_content_type: 'application/json',
      headers: input.headers,
      form: input.form,
      hmac_secret: input.hmacSecret,
      triggers: input.triggers,
    }),
  });
}

/** `PUT /api/customers/{id}/data`: an older `version` than stored is ignored by Gorgias (gorgias-rest-api.md, 9.2). */
export function encodeCustomerData(data: unknown, version?: string): Record<string, unknown> {
  return compact({ data, version });
}

function ticketWire(input: Omit<UpdateTicketInput, 'assigneeUserId' | 'assigneeTeamId'>): Record<string, unknown> {
  return compact({
    via: input.via,
    channel: input.channel,
    customer: input.customer === undefined ? undefined : compact({ ...input.customer }),
    subject: input.subject,
    status: input.status,
    priority: input.priority,
    tags: input.tags?.map((name) => ({ name })),
    external_id: input.externalId,
    meta: input.meta,
    custom_fields: input.customFields?.map((field) => ({ id: field.id, value: field.value })),
    from_agent: input.fromAgent,
    language: input.language,
    spam: input.isSpam,
  });
}

function messageWire(input: CreateMessageInput): Record<string, unknown> {
  return compact({
    channel: input.channel,
    via: input.via,
    from_agent: input.fromAgent,
    sender: input.sender === undefined ? undefined : compact({ ...input.sender }),
    receiver: input.receiver === undefined ? undefined : compact({ ...input.receiver }),
    source:
      input.source === undefined
        ? undefined
        : compact({ type: input.source.type, from: input.source.from && compact({ ...input.source.from }), to: input.source.to?.map((to) => compact({ ...to })) }),
    subject: input.subject,
    body_text: input.bodyText,
    body_html: input.bodyHtml,
    public: input.isPublic,
    external_id: input.externalId,
    sent_datetime: input.sentDatetime,
    created_datetime: input.createdDatetime,
    attachments: input.attachments?.map((file) => compact({ url: file.url, name: file.name, content_type: file.contentType, size: file.sizeBytes })),
    mention_ids: input.mentionIds,
    meta: input.meta,
  });
}

function customerWire(input: UpdateCustomerInput): Record<string, unknown> {
  return compact({
    channels: input.channels?.map((channel) => ({ type: channel.type, address: channel.address, preferred: channel.isPreferred ?? false })),
    email: input.email,
    external_id: input.externalId,
    name: input.name,
    language: input.language,
    timezone: input.timezone,
  });
}

function checked<T extends z.ZodType>(schema: T, body: Record<string, unknown>, what: string): Result<z.output<T>, GorgiasError> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return ok(parsed.data);
  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.') || '_schema';
    (fields[path] ??= []).push(issue.message);
  }
  return err(gorgiasError('validation', `The ${what} breaks the Gorgias contract at: ${Object.keys(fields).join(', ')}`, { fields, cause: parsed.error }));
}

/** Drops undefined keys so optional fields are absent, not `null`, on the wire. */
export function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
