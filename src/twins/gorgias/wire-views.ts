// Builds the wire JSON the twin answers with from its records (gorgias-rest-api.md, 6.4, 7.2, 9.2, 8, 11, 12.1).
// The only place twin records turn into snake_case; reads state, never changes it.
import type {
  CustomerChannelRecord, CustomerRecord, CustomFieldRecord, EventRecord, IntegrationRecord, MessageRecord,
  PersonRef, TagRecord, TicketRecord, UserRecord,
} from './twin-records.ts';
import type { TwinState } from './twin-state.ts';
import { formatOptionalDatetime, formatWireDatetime } from './wire-datetime.ts';

/** `firstname`/`lastname` are derived from `name` at the first space [I]. */
function splitName(name: string | null): { firstname: string; lastname: string } {
  if (!name) return { firstname: '', lastname: '' };
  const space = name.indexOf(' ');
  return space < 0 ? { firstname: name, lastname: '' } : { firstname: name.slice(0, space), lastname: name.slice(space + 1) };
}

export function viewCustomerChannel(channel: CustomerChannelRecord, customer: CustomerRecord) {
  return {
    id: channel.id,
    type: channel.type,
    address: channel.address,
    preferred: channel.isPreferred,
    created_datetime: formatWireDatetime(channel.createdAt),
    updated_datetime: formatWireDatetime(channel.updatedAt),
    deleted_datetime: null,
    user: null,
    customer: { id: customer.id, name: customer.name },
  };
}

export function viewCustomer(customer: CustomerRecord) {
  return {
    id: customer.id,
    email: customer.email,
    name: customer.name,
    ...splitName(customer.name),
    external_id: customer.externalId,
    language: customer.language,
    timezone: customer.timezone ?? 'UTC',
    note: customer.note,
    channels: customer.channels.map((channel) => viewCustomerChannel(channel, customer)),
    integrations: {},
    meta: customer.meta ?? {},
    data: customer.data ?? null,
    created_datetime: formatWireDatetime(customer.createdAt),
    updated_datetime: formatWireDatetime(customer.updatedAt),
  };
}
export type CustomerView = ReturnType<typeof viewCustomer>;

export function viewUser(user: UserRecord) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    ...splitName(user.name),
    bio: null,
    meta: {},
    role: { name: user.role },
    active: true,
    timezone: 'UTC',
    language: 'en',
    created_datetime: formatWireDatetime(user.createdAt),
  };
}
export type UserView = ReturnType<typeof viewUser>;

function viewPerson(state: TwinState, ref: PersonRef | null) {
  if (ref === null) return null;
  const person = ref.kind === 'customer' ? state.customers.get(ref.id) : state.users.get(ref.id);
  const name = person?.name ?? null;
  return { id: ref.id, email: person?.email ?? null, name, ...splitName(name), meta: {} };
}

export function viewTag(state: TwinState, tag: TagRecord) {
  return {
    id: tag.id,
    name: tag.name,
    description: tag.description,
    decoration: tag.color === null ? null : { color: tag.color },
    usage: state.tagUsage(tag.id),
    uri: `/api/tags/${tag.id}/`,
    created_datetime: formatWireDatetime(tag.createdAt),
    deleted_datetime: null,
  };
}
export type TagView = ReturnType<typeof viewTag>;

export function viewMessage(state: TwinState, message: MessageRecord) {
  return {
    id: message.id,
    uri: `/api/tickets/${message.ticketId}/messages/${message.id}/`,
    message_id: message.messageId,
    ticket_id: message.ticketId,
    external_id: message.externalId,
    public: message.isPublic,
    channel: message.channel,
    via: message.via,
    source: message.source ?? { type: message.channel },
    sender: viewPerson(state, message.sender),
    receiver: viewPerson(state, message.receiver),
    auth_customer_identity: null,
    integration_id: message.integrationId,
    intents: [],
    rule_id: null,
    from_agent: message.isFromAgent,
    subject: message.subject,
    body_text: message.bodyText,
    body_html: message.bodyHtml,
    stripped_text: message.strippedText,
    stripped_html: message.strippedHtml,
    stripped_signature: message.strippedSignature,
    attachments: message.attachments,
    macros: message.macros,
    actions: message.actions,
    headers: message.headers,
    imported: message.isImported,
    meta: message.meta,
    mention_ids: message.mentionIds,
    created_datetime: formatWireDatetime(message.createdAt),
    processed_datetime: formatWireDatetime(message.createdAt),
    sent_datetime: formatOptionalDatetime(message.sentAt),
    failed_datetime: formatOptionalDatetime(message.failedAt),
    opened_datetime: formatOptionalDatetime(message.openedAt),
    deleted_datetime: formatOptionalDatetime(message.deletedAt),
    last_sending_error: message.lastSendingError,
    is_retriable: false,
  };
}
export type MessageView = ReturnType<typeof viewMessage>;

export function viewEvent(event: EventRecord) {
  return {
    id: event.id,
    context: null,
    created_datetime: formatWireDatetime(event.createdAt),
    data: event.data,
    object_id: event.objectId,
    object_type: event.objectType,
    type: event.type,
    user_id: event.userId,
    uri: `/api/events/${event.id}/`,
  };
}
export type EventView = ReturnType<typeof viewEvent>;

function viewTicketBase(state: TwinState, ticket: TicketRecord) {
  const customer = ticket.customerId === null ? undefined : state.customers.get(ticket.customerId);
  const assignee = ticket.assigneeUserId === null ? undefined : state.users.get(ticket.assigneeUserId);
  const team = ticket.assigneeTeamId === null ? undefined : state.teams.get(ticket.assigneeTeamId);
  return {
    id: ticket.id,
    uri: `/api/tickets/${ticket.id}/`,
    external_id: ticket.externalId,
    status: ticket.status,
    priority: ticket.priority,
    channel: ticket.channel,
    via: ticket.via,
    from_agent: ticket.isFromAgent,
    spam: ticket.isSpam,
    imported: ticket.isImported,
    customer: customer ? viewCustomer(customer) : null,
    assignee_user: assignee ? viewUser(assignee) : null,
    assignee_team: team ? { id: team.id, name: team.name, decoration: null } : null,
    language: ticket.language,
    subject: ticket.subject,
    summary: null,
    meta: ticket.meta,
    tags: ticket.tagIds.flatMap((id) => {
      const tag = state.tags.get(id);
      return tag ? [{ id: tag.id, name: tag.name, decoration: tag.color === null ? null : { color: tag.color } }] : [];
    }),
    created_datetime: formatWireDatetime(ticket.createdAt),
    processed_datetime: formatWireDatetime(ticket.createdAt),
    opened_datetime: formatOptionalDatetime(ticket.openedAt),
    last_received_message_datetime: formatOptionalDatetime(ticket.lastReceivedMessageAt),
    last_message_datetime: formatOptionalDatetime(ticket.lastMessageAt),
    updated_datetime: formatWireDatetime(ticket.updatedAt),
    closed_datetime: formatOptionalDatetime(ticket.closedAt),
    trashed_datetime: formatOptionalDatetime(ticket.trashedAt),
    snooze_datetime: formatOptionalDatetime(ticket.snoozeAt),
    satisfaction_survey: null,
    reply_options: { [ticket.channel]: { answerable: true }, 'internal-note': { answerable: true } },
    is_unread: ticket.isUnread,
  };
}

/** The full `Ticket`; `custom_fields` only when asked for with `relationships=custom_fields` (6.5 [C] S2). */
export function viewTicket(state: TwinState, ticket: TicketRecord, options: { isWithCustomFields?: boolean } = {}) {
  const customFields = Object.fromEntries([...ticket.customFields].map(([id, value]) => [String(id), { id, value }]));
  const events = [...state.events.values()].filter((event) => event.objectType === 'Ticket' && event.objectId === ticket.id);
  return {
    ...viewTicketBase(state, ticket),
    ...(options.isWithCustomFields ? { custom_fields: customFields } : {}),
    messages: state.messagesOf(ticket).map((message) => viewMessage(state, message)),
    events: events.map((event) => {
      const user = event.userId === null ? undefined : state.users.get(event.userId);
      return { id: event.id, type: event.type, user: user ? viewUser(user) : null, data: event.data, created_datetime: formatWireDatetime(event.createdAt) };
    }),
  };
}
export type TicketView = ReturnType<typeof viewTicket>;

/** `TicketCompact`, the items of `GET /api/tickets` (6.4 [C] S2). */
export function viewTicketCompact(state: TwinState, ticket: TicketRecord) {
  const messages = state.messagesOf(ticket);
  const last = messages.at(-1);
  return {
    ...viewTicketBase(state, ticket),
    excerpt: (last?.bodyText ?? '').slice(0, 200),
    integrations: [],
    messages_count: messages.length,
    last_sent_message_not_delivered: false,
  };
}
export type TicketCompactView = ReturnType<typeof viewTicketCompact>;

export function viewCustomField(field: CustomFieldRecord) {
  return {
    id: field.id,
    object_type: field.objectType,
    label: field.label,
    description: field.description,
    priority: field.priority,
    required: field.isRequired,
    managed_type: field.managedType,
    external_id: field.externalId,
    definition: { data_type: field.dataType, input_settings: field.inputSettings },
    uri: `/api/custom-fields/${field.id}/`,
    created_datetime: formatWireDatetime(field.createdAt),
    updated_datetime: formatWireDatetime(field.updatedAt),
    deactivated_datetime: formatOptionalDatetime(field.deactivatedAt),
  };
}
export type CustomFieldView = ReturnType<typeof viewCustomField>;

export function viewIntegration(integration: IntegrationRecord) {
  return {
    id: integration.id,
    name: integration.name,
    type: 'http',
    description: integration.description,
    http: { ...integration.http, oauth2: null },
    user: integration.userId === null ? null : { id: integration.userId },
    uri: `/api/integrations/${integration.id}/`,
    application_id: null,
    managed: integration.isManaged,
    business_hours_id: null,
    created_datetime: formatWireDatetime(integration.createdAt),
    updated_datetime: formatWireDatetime(integration.updatedAt),
    deactivated_datetime: formatOptionalDatetime(integration.deactivatedAt),
  };
}
export type IntegrationView = ReturnType<typeof viewIntegration>;
