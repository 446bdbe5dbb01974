// Who may send a ticket message, and storing it (gorgias-rest-api.md, 7.1 direction rules, 6.2, 7.1 sent_datetime).
// Validation first collects every error without touching state; `commitMessage` then writes.
import { addFieldError, isErrorDataEmpty, mergeFieldErrors, MISSING_FIELD, type ErrorData } from './api-reply.ts';
import { createCustomer } from './customer-writes.ts';
import type { MessageInput, PersonInput, TicketCustomerRef } from './request-schemas.ts';
import type { MessageRecord, PersonRef, TicketRecord } from './twin-records.ts';
import type { TwinState } from './twin-state.ts';
import type { Micros } from './wire-datetime.ts';

/** A person as validated: an existing record, or a customer to create from an unknown email (6.2, legacy [C] S7). */
export type PersonPlan = PersonRef | { kind: 'new-customer'; email: string; name: string | null };

export type MessagePlan = {
  input: Omit<MessageInput, 'imported'> & { imported?: boolean };
  sender: PersonPlan;
  receiver: PersonPlan | null;
  isPublic: boolean;
};

type Path = readonly PropertyKey[];
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Resolves a `CustomerOrUser` or ticket `customer` reference to the kind the rule demands. */
export function planPerson(
  state: TwinState,
  ref: PersonInput | TicketCustomerRef,
  wanted: PersonRef['kind'],
  path: Path,
  errors: ErrorData,
): PersonPlan | undefined {
  const label = wanted === 'customer' ? 'a customer' : 'a user (agent)';
  if (ref.id !== undefined) {
    if (wanted === 'customer' ? state.customers.has(ref.id) : state.users.has(ref.id)) return { kind: wanted, id: ref.id };
    const isOtherKind = wanted === 'customer' ? state.users.has(ref.id) : state.customers.has(ref.id);
    addFieldError(errors, [...path, 'id'], isOtherKind ? `Must reference ${label}.` : `No ${wanted} with id ${ref.id}.`);
    return undefined;
  }
  if (ref.email !== undefined) {
    if (!EMAIL_SHAPE.test(ref.email)) {
      addFieldError(errors, [...path, 'email'], 'Not a valid email address.');
      return undefined;
    }
    const customer = state.findCustomerByEmail(ref.email);
    const user = state.findUserByEmail(ref.email);
    if (wanted === 'user') {
      if (user) return { kind: 'user', id: user.id };
      addFieldError(errors, [...path, 'email'], customer ? `Must reference ${label}.` : 'No user with this email.');
      return undefined;
    }
    if (customer) return { kind: 'customer', id: customer.id };
    if (user) {
      addFieldError(errors, [...path, 'email'], `Must reference ${label}.`);
      return undefined;
    }
    return { kind: 'new-customer', email: ref.email, name: ref.name ?? null };
  }
  // Inline customers known only by a phone channel are not documented as auto-created (6.2 [I]).
  addFieldError(errors, path, 'Reference the person by id or email.');
  return undefined;
}

/** Direction rules (7.1 [C] S1): incoming needs a customer sender and no receiver; outgoing and notes need a user. */
export function planMessage(
  state: TwinState,
  input: MessagePlan['input'],
  path: Path,
  isViaRequired: boolean,
  errors: ErrorData,
): MessagePlan | undefined {
  const problems: ErrorData = {};
  const isNote = input.channel === 'internal-note';
  if (isViaRequired && input.via === undefined) addFieldError(problems, ['via'], MISSING_FIELD);
  if (isNote && !input.from_agent) addFieldError(problems, ['from_agent'], 'Internal notes are always outgoing (from_agent: true).');
  if (isNote && input.public === true) addFieldError(problems, ['public'], 'Internal notes are not public.');
  const senderKind = input.from_agent || isNote ? 'user' : 'customer';
  let sender: PersonPlan | undefined;
  if (input.sender === undefined) addFieldError(problems, ['sender'], MISSING_FIELD);
  else sender = planPerson(state, input.sender, senderKind, ['sender'], problems);
  let receiver: PersonPlan | null = null;
  if (!input.from_agent && input.receiver !== undefined) {
    addFieldError(problems, ['receiver'], 'An incoming message (from_agent: false) must not have a receiver.');
  } else if (input.receiver !== undefined) {
    receiver = planPerson(state, input.receiver, 'customer', ['receiver'], problems) ?? null;
  } else if (input.from_agent && !isNote) {
    // An outgoing public message goes to the customer; the excerpt that says so is cut (7.1 [I]).
    addFieldError(problems, ['receiver'], MISSING_FIELD);
  }
  const hasContent = Boolean(input.body_text) || Boolean(input.body_html) || (input.attachments?.length ?? 0) > 0;
  if (!hasContent) addFieldError(problems, ['body_text'], 'A message needs body_text, body_html or attachments.');
  for (const [index, userId] of (input.mention_ids ?? []).entries()) {
    if (!state.users.has(userId)) addFieldError(problems, ['mention_ids', index], `No user with id ${userId}.`);
  }
  if (input.integration_id !== undefined && !state.integrations.has(input.integration_id)) {
    addFieldError(problems, ['integration_id'], `No integration with id ${input.integration_id}.`);
  }
  if (!isErrorDataEmpty(problems) || sender === undefined) {
    mergeFieldErrors(errors, path, problems);
    return undefined;
  }
  return { input, sender, receiver, isPublic: isNote ? false : (input.public ?? true) };
}

/** Creates a planned new customer once per email, so one request naming it twice makes one customer. */
export function commitPerson(state: TwinState, plan: PersonPlan, at: Micros, userId: number | null): PersonRef {
  if (plan.kind !== 'new-customer') return plan;
  const existing = state.findCustomerByEmail(plan.email);
  if (existing) return { kind: 'customer', id: existing.id };
  const customer = createCustomer(state, { email: plan.email, name: plan.name, channels: [{ type: 'email', address: plan.email }] }, at, userId);
  return { kind: 'customer', id: customer.id };
}

export function commitMessage(
  state: TwinState,
  plan: MessagePlan,
  ticket: TicketRecord,
  context: { at: Micros; userId: number | null; defaultVia: string },
): MessageRecord {
  const { input } = plan;
  const { at } = context;
  const sender = commitPerson(state, plan.sender, at, context.userId);
  const receiver = plan.receiver === null ? null : commitPerson(state, plan.receiver, at, context.userId);
  const createdAt = input.created_datetime ?? at;
  const isNote = input.channel === 'internal-note';
  const message: MessageRecord = {
    id: state.nextId('message'),
    ticketId: ticket.id,
    externalId: input.external_id ?? null,
    messageId: input.message_id ?? null,
    isPublic: plan.isPublic,
    channel: input.channel,
    via: input.via ?? context.defaultVia,
    source: input.source ?? null,
    sender,
    receiver,
    isFromAgent: input.from_agent,
    subject: input.subject ?? null,
    bodyText: input.body_text ?? null,
    bodyHtml: input.body_html ?? null,
    strippedText: input.stripped_text ?? null,
    strippedHtml: input.stripped_html ?? null,
    strippedSignature: input.stripped_signature ?? null,
    attachments: input.attachments ?? [],
    integrationId: input.integration_id ?? null,
    headers: input.headers ?? null,
    meta: input.meta ?? null,
    mentionIds: input.mention_ids ?? [],
    macros: input.macros ?? [],
    actions: input.actions ?? [],
    isImported: input.imported ?? false,
    lastSendingError: input.last_sending_error ?? null,
    createdAt,
    sentAt: input.sent_datetime ?? null,
    failedAt: input.failed_datetime ?? null,
    openedAt: input.opened_datetime ?? null,
    deletedAt: input.deleted_datetime ?? null,
  };
  if (message.sentAt === null) {
    // No sent_datetime: an outgoing public message is sent by Gorgias, which then fills sent_datetime; notes and
    // incoming messages are never sent (7.1 [C]). The twin "sends" at once and records the delivery.
    if (input.from_agent && !isNote) {
      state.deliveries.push({ messageId: message.id, ticketId: ticket.id, channel: message.channel, receiverCustomerId: receiver?.id ?? null, at });
      message.sentAt = at;
    } else {
      message.sentAt = createdAt;
    }
  }
  state.messages.set(message.id, message);
  ticket.messageIds.push(message.id);
  ticket.lastMessageAt = Math.max(ticket.lastMessageAt ?? 0, createdAt);
  if (!input.from_agent) ticket.lastReceivedMessageAt = Math.max(ticket.lastReceivedMessageAt ?? 0, createdAt);
  ticket.updatedAt = Math.max(ticket.updatedAt, at);
  state.recordEvent({
    type: 'ticket-message-created',
    objectType: 'TicketMessage',
    objectId: message.id,
    userId: context.userId,
    at,
    data: { ticket_id: ticket.id },
  });
  return message;
}
