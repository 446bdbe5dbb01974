// Ticket messages (gorgias-rest-api.md, 7): create (201), get, list (per ticket and `/api/messages?ticket_id=`),
// update (202) and delete (204). The sender rules live in message-rules.ts.
import { addFieldError, badRequest, isErrorDataEmpty, notFound, reply, validateBody, type ApiReply, type ErrorData } from './api-reply.ts';
import { listEnvelope, paginate, readListParams, type Ordering } from './cursor-pagination.ts';
import { commitMessage, commitPerson, planMessage, planPerson } from './message-rules.ts';
import { QueryReader } from './query-reader.ts';
import { createMessageSchema, updateMessageSchema } from './request-schemas.ts';
import type { Route, RouteContext } from './route-table.ts';
import { findTicket } from './ticket-routes.ts';
import type { MessageRecord } from './twin-records.ts';
import { viewMessage } from './wire-views.ts';

const CREATE_FAILED = 'Failed to create message';
const MESSAGE_ORDERS = ['created_datetime:asc', 'created_datetime:desc'] as const;
/** `action` decides what happens when actions attached to the message fail (7.1 [C] S1). */
const MESSAGE_ACTIONS = ['force', 'retry', 'cancel'] as const;

export const messageRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/api/tickets/:ticketId/messages', scope: 'tickets:read', handle: listTicketMessages },
  { method: 'POST', pattern: '/api/tickets/:ticketId/messages', scope: 'tickets:write', handle: createMessage },
  { method: 'GET', pattern: '/api/tickets/:ticketId/messages/:messageId', scope: 'tickets:read', handle: getMessage },
  { method: 'PUT', pattern: '/api/tickets/:ticketId/messages/:messageId', scope: 'tickets:write', handle: updateMessage },
  { method: 'DELETE', pattern: '/api/tickets/:ticketId/messages/:messageId', scope: 'tickets:write', handle: deleteMessage },
  { method: 'GET', pattern: '/api/messages', scope: 'tickets:read', handle: listAllMessages },
];

function readAction(context: RouteContext): ApiReply | undefined {
  const reader = new QueryReader(context.query, ['action']);
  reader.oneOf('action', MESSAGE_ACTIONS);
  const problems = reader.errors();
  return problems ? badRequest('Invalid query parameters.', problems) : undefined;
}

function createMessage(context: RouteContext): ApiReply {
  const ticket = findTicket(context);
  if (!ticket) return notFound();
  const badQuery = readAction(context);
  if (badQuery) return badQuery;
  const parsed = validateBody(createMessageSchema, context.body, CREATE_FAILED);
  if (!parsed.ok) return parsed.error;
  const errors: ErrorData = {};
  const plan = planMessage(context.state, parsed.value, [], context.settings.isViaRequired, errors);
  if (!plan) return badRequest(CREATE_FAILED, errors);
  const message = commitMessage(context.state, plan, ticket, { at: context.now, userId: context.principal.userId, defaultVia: ticket.via });
  // Status 201 follows the create convention (7.1 [I]).
  return reply(201, viewMessage(context.state, message));
}

function findMessage(context: RouteContext): MessageRecord | undefined {
  const ticket = findTicket(context);
  const id = context.params.messageId;
  const message = id === undefined ? undefined : context.state.messages.get(id);
  return ticket && message?.ticketId === ticket.id ? message : undefined;
}

function getMessage(context: RouteContext): ApiReply {
  const message = findMessage(context);
  return message ? reply(200, viewMessage(context.state, message)) : notFound();
}

/** `channel`, `from_agent` and `via` are required (7.3 [C] S2); direction cannot change, content can [I]. */
function updateMessage(context: RouteContext): ApiReply {
  const message = findMessage(context);
  if (!message) return notFound();
  const badQuery = readAction(context);
  if (badQuery) return badQuery;
  const parsed = validateBody(updateMessageSchema, context.body, 'Failed to update message');
  if (!parsed.ok) return parsed.error;
  const input = parsed.value;
  const { state } = context;
  const errors: ErrorData = {};
  if (input.channel !== message.channel) addFieldError(errors, ['channel'], 'The channel of a message cannot be changed.');
  if (input.from_agent !== message.isFromAgent) addFieldError(errors, ['from_agent'], 'The direction of a message cannot be changed.');
  if (message.channel === 'internal-note' && input.public === true) addFieldError(errors, ['public'], 'Internal notes are not public.');
  const sender = input.sender === undefined ? undefined : planPerson(state, input.sender, message.isFromAgent ? 'user' : 'customer', ['sender'], errors);
  if (!message.isFromAgent && input.receiver !== undefined) addFieldError(errors, ['receiver'], 'An incoming message (from_agent: false) must not have a receiver.');
  const receiver = message.isFromAgent && input.receiver !== undefined ? planPerson(state, input.receiver, 'customer', ['receiver'], errors) : undefined;
  if (!isErrorDataEmpty(errors)) return badRequest('Failed to update message', errors);
  const at = context.now;
  const userId = context.principal.userId;
  if (sender) message.sender = commitPerson(state, sender, at, userId);
  if (receiver) message.receiver = commitPerson(state, receiver, at, userId);
  message.via = input.via;
  if (input.body_text !== undefined) message.bodyText = input.body_text;
  if (input.body_html !== undefined) message.bodyHtml = input.body_html;
  if (input.subject !== undefined) message.subject = input.subject;
  if (input.public !== undefined) message.isPublic = input.public;
  if (input.external_id !== undefined) message.externalId = input.external_id;
  if (input.source !== undefined) message.source = input.source;
  if (input.attachments !== undefined) message.attachments = input.attachments;
  if (input.meta !== undefined) message.meta = input.meta;
  if (input.sent_datetime !== undefined) message.sentAt = input.sent_datetime;
  state.recordEvent({ type: 'ticket-message-updated', objectType: 'TicketMessage', objectId: message.id, userId, at, data: { ticket_id: message.ticketId } });
  return reply(202, viewMessage(state, message));
}

/** 204 per the legacy spec; S5 saw 200 with an empty body (7.3 [!]). */
function deleteMessage(context: RouteContext): ApiReply {
  const message = findMessage(context);
  if (!message) return notFound();
  const { state } = context;
  state.messages.delete(message.id);
  const ticket = state.tickets.get(message.ticketId);
  if (ticket) ticket.messageIds = ticket.messageIds.filter((id) => id !== message.id);
  state.recordEvent({ type: 'ticket-message-deleted', objectType: 'TicketMessage', objectId: message.id, userId: context.principal.userId, at: context.now, data: { ticket_id: message.ticketId } });
  return reply(204);
}

function listTicketMessages(context: RouteContext): ApiReply {
  const ticket = findTicket(context);
  if (!ticket) return notFound();
  return listMessages(context, new QueryReader(context.query, ['cursor', 'limit', 'order_by']), ticket.id);
}

function listAllMessages(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['cursor', 'limit', 'order_by', 'ticket_id']);
  return listMessages(context, reader, reader.int('ticket_id', { min: 1 }));
}

/** Default order is not documented; newest first like the other lists [I]. */
function listMessages(context: RouteContext, reader: QueryReader, ticketId: number | undefined): ApiReply {
  const params = readListParams(reader, MESSAGE_ORDERS, 'created_datetime:desc');
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const items = [...context.state.messages.values()].filter((message) => ticketId === undefined || message.ticketId === ticketId);
  const ordering: Ordering<MessageRecord> = {
    keys: [{ value: (message) => message.createdAt, direction: params.orderBy.endsWith(':asc') ? 'asc' : 'desc' }],
    idOf: (message) => message.id,
  };
  const page = paginate({ items, ordering, limit: params.limit, cursor: params.cursor, signature: `messages|${params.orderBy}|${ticketId}` });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map((message) => viewMessage(context.state, message)), page.value.meta));
}
