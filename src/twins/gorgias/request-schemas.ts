// Zod schemas of every request body the twin accepts, strict: an unknown field is a 400 (gorgias-rest-api.md, 5 [C] S1).
// Field lists follow the documented schemas (6.1, 6.2, 7.1, 8, 9, 10, 9.5, 12.1); nothing here touches state.
import { z } from 'zod';
import { parseWireDatetime } from './wire-datetime.ts';
import {
  CHANNELS, CUSTOM_FIELD_DATA_TYPES, CUSTOM_FIELD_OBJECT_TYPES, CUSTOMER_CHANNEL_TYPES, HTTP_METHODS, HTTP_TRIGGERS,
  REQUEST_VIAS, SEARCH_TYPES, SOURCE_TYPES, TICKET_PRIORITIES, TICKET_STATUSES,
} from './wire-enums.ts';

const positiveId = z.int().positive();

/** ISO 8601 in, epoch microseconds out; date-only and free text are refused [I]. */
const wireDatetime = z.string().transform((text, context) => {
  const micros = parseWireDatetime(text);
  if (micros === undefined) {
    context.addIssue({ code: 'custom', message: 'Not a valid datetime.' });
    return z.NEVER;
  }
  return micros;
});

/** "ID ... in a foreign system", at most 255 characters (6.1, 6.2 [C]). */
const externalId = z.string().max(255);
const jsonObject = z.record(z.string(), z.json());
const languageCode = z.string().regex(/^[a-z]{2}$/, 'Not a valid ISO 639-1 language code.');
const timezoneNames = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
const timezone = z.string().refine((name) => timezoneNames.has(name), 'Not a valid IANA time zone.');
const email = z.email('Not a valid email address.');

const sourceAddress = z.strictObject({ name: z.string().optional(), address: z.string().optional() });
const messageSource = z.strictObject({
  type: z.enum(SOURCE_TYPES).optional(),
  from: sourceAddress.optional(),
  to: z.array(sourceAddress).optional(),
  cc: z.array(sourceAddress).optional(),
  bcc: z.array(sourceAddress).optional(),
  extra: z.json().optional(),
});
export type MessageSourceInput = z.infer<typeof messageSource>;

/** `CustomerOrUser` (6.2 [C] S2): a person by id, by email, or described inline. */
const customerOrUser = z.strictObject({
  id: positiveId.optional(),
  email: z.string().optional(),
  name: z.string().optional(),
  external_id: externalId.optional(),
  note: z.string().optional(),
  timezone: timezone.optional(),
  language: languageCode.optional(),
  meta: jsonObject.optional(),
  channels: z.array(z.strictObject({ type: z.string(), address: z.string() })).optional(),
});
export type PersonInput = z.infer<typeof customerOrUser>;

const attachment = z.strictObject({
  url: z.url('Not a valid URL.'),
  name: z.string(),
  content_type: z.string(),
  size: z.int().nonnegative().optional(),
  public: z.boolean().optional(),
  extra: z.json().optional(),
});
export type AttachmentInput = z.infer<typeof attachment>;

const messageFields = {
  channel: z.enum(CHANNELS),
  from_agent: z.boolean(),
  via: z.enum(REQUEST_VIAS).optional(),
  sender: customerOrUser.optional(),
  receiver: customerOrUser.optional(),
  source: messageSource.optional(),
  body_text: z.string().optional(),
  body_html: z.string().optional(),
  subject: z.string().max(998).optional(),
  public: z.boolean().optional(),
  external_id: externalId.optional(),
  message_id: z.string().optional(),
  // "Empty" means absent or null: Gorgias then sends the message itself (7.1 [C]).
  sent_datetime: wireDatetime.nullable().optional(),
  created_datetime: wireDatetime.optional(),
  opened_datetime: wireDatetime.optional(),
  failed_datetime: wireDatetime.optional(),
  deleted_datetime: wireDatetime.optional(),
  attachments: z.array(attachment).optional(),
  integration_id: positiveId.optional(),
  headers: jsonObject.optional(),
  meta: jsonObject.optional(),
  mention_ids: z.array(positiveId).optional(),
  macros: z.array(z.strictObject({ id: positiveId })).optional(),
  actions: z.array(z.json()).optional(),
  last_sending_error: z.strictObject({ error: z.string() }).optional(),
  stripped_text: z.string().optional(),
  stripped_html: z.string().optional(),
  stripped_signature: z.string().optional(),
};

/** Items of `POST /api/tickets` `messages` (6.2). */
export const createTicketMessageSchema = z.strictObject(messageFields);
/** `POST /api/tickets/{id}/messages` adds `imported` (7.1). */
export const createMessageSchema = z.strictObject({ ...messageFields, imported: z.boolean().optional() });
/** `PUT /api/tickets/{id}/messages/{id}` requires `via` as well (7.3 [C] S2). */
export const updateMessageSchema = z.strictObject({ ...messageFields, via: z.enum(REQUEST_VIAS), imported: z.boolean().optional() });
export type MessageInput = z.infer<typeof createMessageSchema>;

const tagByName = z.strictObject({
  name: z.string().min(1).max(256),
  decoration: z.strictObject({ color: z.string() }).optional(),
});
export type TagByNameInput = z.infer<typeof tagByName>;

const customFieldValue = z.union([z.string(), z.number(), z.boolean()]);
const customFieldAssignment = z.strictObject({ id: positiveId, value: customFieldValue });
export type CustomFieldAssignment = z.infer<typeof customFieldAssignment>;

const ticketCustomerRef = z.strictObject({ id: positiveId.optional(), email: z.string().optional(), name: z.string().optional() });
export type TicketCustomerRef = z.infer<typeof ticketCustomerRef>;

const idRef = z.strictObject({ id: positiveId });

export const createTicketSchema = z.strictObject({
  messages: z.array(createTicketMessageSchema).min(1).max(500),
  via: z.enum(REQUEST_VIAS).optional(),
  channel: z.enum(CHANNELS).optional(),
  customer: ticketCustomerRef.optional(),
  subject: z.string().max(998).optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  tags: z.array(tagByName).optional(),
  external_id: externalId.optional(),
  meta: jsonObject.optional(),
  assignee_user: idRef.optional(),
  assignee_team: idRef.optional(),
  custom_fields: z.array(customFieldAssignment).optional(),
  from_agent: z.boolean().optional(),
  language: languageCode.optional(),
  spam: z.boolean().optional(),
  created_datetime: wireDatetime.optional(),
  opened_datetime: wireDatetime.optional(),
  closed_datetime: wireDatetime.optional(),
  last_message_datetime: wireDatetime.optional(),
  last_received_message_datetime: wireDatetime.optional(),
  snooze_datetime: wireDatetime.optional(),
  trashed_datetime: wireDatetime.optional(),
  updated_datetime: wireDatetime.optional(),
  split_from: positiveId.optional(),
  imported: z.boolean().optional(),
});
export type CreateTicketInput = z.infer<typeof createTicketSchema>;

const nullableIdRef = z.strictObject({ id: positiveId.nullable() }).nullable();

/** `UpdateTicket`: every field optional; datetimes and assignees may be cleared with null (6.5 [C] S2). */
export const updateTicketSchema = z.strictObject({
  assignee_team: nullableIdRef.optional(),
  assignee_user: nullableIdRef.optional(),
  channel: z.enum(CHANNELS).optional(),
  closed_datetime: wireDatetime.nullable().optional(),
  custom_fields: z.array(customFieldAssignment).optional(),
  customer: ticketCustomerRef.optional(),
  external_id: externalId.nullable().optional(),
  from_agent: z.boolean().optional(),
  is_unread: z.boolean().optional(),
  language: languageCode.nullable().optional(),
  last_message_datetime: wireDatetime.nullable().optional(),
  last_received_message_datetime: wireDatetime.nullable().optional(),
  meta: jsonObject.nullable().optional(),
  opened_datetime: wireDatetime.nullable().optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  snooze_datetime: wireDatetime.nullable().optional(),
  spam: z.boolean().optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  subject: z.string().max(998).nullable().optional(),
  tags: z.array(tagByName).optional(),
  trashed_datetime: wireDatetime.nullable().optional(),
  updated_datetime: wireDatetime.nullable().optional(),
  via: z.enum(REQUEST_VIAS).optional(),
});
export type UpdateTicketInput = z.infer<typeof updateTicketSchema>;

const customerChannel = z.strictObject({
  type: z.enum(CUSTOMER_CHANNEL_TYPES),
  address: z.string().min(1),
  preferred: z.boolean().optional(),
});
export type CustomerChannelInput = z.infer<typeof customerChannel>;

const customerFields = {
  channels: z.array(customerChannel),
  email: email.max(320).nullable(),
  external_id: externalId.nullable(),
  language: languageCode.nullable(),
  name: z.string().nullable(),
  timezone: timezone.nullable(),
};

/** `POST /api/customers`: `channels` is required by the schema (9.1 [C] S2). */
export const createCustomerSchema = z.strictObject({
  channels: customerFields.channels,
  email: customerFields.email.optional(),
  external_id: customerFields.external_id.optional(),
  language: customerFields.language.optional(),
  name: customerFields.name.optional(),
  timezone: customerFields.timezone.optional(),
});
export const updateCustomerSchema = createCustomerSchema.partial();
export type CustomerInput = z.infer<typeof updateCustomerSchema>;

export const customerDataSchema = z.strictObject({ data: z.json(), version: wireDatetime.optional() });
export const bulkDeleteSchema = z.strictObject({ ids: z.array(positiveId).min(1) });

/** Body of the ticket-tag endpoints (8 [C] S2). */
export const ticketTagsSchema = z.strictObject({
  ids: z.array(positiveId).optional(),
  names: z.array(z.string().min(1).max(256)).optional(),
});
export type TicketTagsInput = z.infer<typeof ticketTagsSchema>;

export const createTagSchema = z.strictObject({
  name: z.string().min(1).max(256),
  description: z.string().max(1024).optional(),
  decoration: z.strictObject({ color: z.string() }).optional(),
});
export const updateTagSchema = createTagSchema.partial();

export const createCustomFieldSchema = z.strictObject({
  object_type: z.enum(CUSTOM_FIELD_OBJECT_TYPES),
  label: z.string().min(1),
  definition: z.strictObject({ data_type: z.enum(CUSTOM_FIELD_DATA_TYPES), input_settings: jsonObject }),
  description: z.string().optional(),
  priority: z.int().optional(),
  required: z.boolean().optional(),
  managed_type: z.string().optional(),
  external_id: externalId.optional(),
  deactivated_datetime: wireDatetime.nullable().optional(),
});
export const updateCustomFieldSchema = createCustomFieldSchema.omit({ object_type: true }).partial();
export type CustomFieldInput = z.infer<typeof updateCustomFieldSchema>;

export const ticketFieldValuesSchema = z.array(customFieldAssignment);
/** `PUT .../custom-fields/{id}`: S2 documents a raw value, S5 sends `{id, value}`; both are accepted (10 [!]). */
export const singleFieldValueSchema = z.union([customFieldValue, customFieldAssignment]);

export const searchSchema = z.strictObject({
  type: z.enum(SEARCH_TYPES),
  query: z.string().optional(),
  size: z.int().min(1).max(50).optional(),
});

const httpConfig = z.strictObject({
  url: z.url('Not a valid URL.'),
  method: z.enum(HTTP_METHODS),
  request_content_type: z.enum(['application/json', 'application/x-www-form-urlencoded']),
  response_content_type: z.enum(['application/json']),
  headers: z.record(z.string(), z.string()).optional(),
  form: jsonObject.optional(),
  hmac_secret: z.string().optional(),
  triggers: z.strictObject(Object.fromEntries(HTTP_TRIGGERS.map((trigger) => [trigger, z.boolean().optional()]))).optional(),
});
export type HttpConfigInput = z.infer<typeof httpConfig>;

/** Only `type: "http"` integrations can be created through the twin (12.1). */
export const createIntegrationSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['http']),
  description: z.string().optional(),
  http: httpConfig,
  deactivated_datetime: wireDatetime.nullable().optional(),
  managed: z.boolean().optional(),
});
export const updateIntegrationSchema = createIntegrationSchema.omit({ type: true }).partial();
export type IntegrationInput = z.infer<typeof updateIntegrationSchema>;
