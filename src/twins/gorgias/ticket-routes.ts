// `/api/tickets` and `/api/tickets/{id}` (gorgias-rest-api.md, 6): create with messages (201), get, update (202),
// delete (204), list with cursor pagination and its filters. The update rules live in ticket-update.ts.
import { addFieldError, badRequest, isErrorDataEmpty, MISSING_FIELD, notFound, reply, validateBody, type ApiReply, type ErrorData } from './api-reply.ts';
import { listEnvelope, paginate, readListParams, type Ordering } from './cursor-pagination.ts';
import { checkFieldValues } from './field-values.ts';
import { commitMessage, commitPerson, planMessage, planPerson, type MessagePlan, type PersonPlan } from './message-rules.ts';
import { QueryReader } from './query-reader.ts';
import { createTicketSchema, type CreateTicketInput } from './request-schemas.ts';
import type { Route, RouteContext } from './route-table.ts';
import { applyTicketUpdate } from './ticket-update.ts';
import type { TicketRecord } from './twin-records.ts';
import type { TwinState } from './twin-state.ts';
import { viewTicket, viewTicketCompact } from './wire-views.ts';

/** The legacy official message for a rejected ticket (5, S7). */
const CREATE_FAILED = 'Failed to create ticket';

export const ticketRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/api/tickets', scope: 'tickets:read', handle: listTickets },
  { method: 'POST', pattern: '/api/tickets', scope: 'tickets:write', handle: createTicket },
  { method: 'GET', pattern: '/api/tickets/:ticketId', scope: 'tickets:read', handle: getTicket },
  { method: 'PUT', pattern: '/api/tickets/:ticketId', scope: 'tickets:write', handle: (context) => applyTicketUpdate(context) },
  { method: 'DELETE', pattern: '/api/tickets/:ticketId', scope: 'tickets:write', handle: deleteTicket },
];

export function findTicket(context: RouteContext): TicketRecord | undefined {
  const id = context.params.ticketId;
  return id === undefined ? undefined : context.state.tickets.get(id);
}

function createTicket(context: RouteContext): ApiReply {
  const parsed = validateBody(createTicketSchema, context.body, CREATE_FAILED);
  if (!parsed.ok) return parsed.error;
  const input = parsed.value;
  const { state, settings } = context;
  const errors: ErrorData = {};
  const plans = input.messages.map((message, index) => planMessage(state, message, ['messages', index], settings.isViaRequired, errors));
  const customerPlan = planTicketCustomer(state, input, plans, errors);
  if (settings.isViaRequired && input.via === undefined) addFieldError(errors, ['via'], MISSING_FIELD);
  checkTicketReferences(state, input, errors);
  if (!isErrorDataEmpty(errors) || customerPlan === undefined) return badRequest(CREATE_FAILED, errors);
  const validPlans = plans.filter((plan): plan is MessagePlan => plan !== undefined);

  const at = context.now;
  const userId = context.principal.userId;
  const first = input.messages[0];
  const customer = commitPerson(state, customerPlan, at, userId);
  const status = input.status ?? 'open';
  const ticket: TicketRecord = {
    id: state.nextId('ticket'),
    externalId: input.external_id ?? null,
    status,
    priority: input.priority ?? 'normal',
    // The ticket channel comes from the body or the first message (6.1 [C] S8).
    channel: input.channel ?? first?.channel ?? 'api',
    via: input.via ?? first?.via ?? 'api',
    isFromAgent: input.from_agent ?? first?.from_agent ?? false,
    isSpam: input.spam ?? false,
    isImported: input.imported ?? false,
    isUnread: true,
    customerId: customer.id,
    assigneeUserId: input.assignee_user?.id ?? null,
    assigneeTeamId: input.assignee_team?.id ?? null,
    language: input.language ?? null,
    subject: input.subject ?? first?.subject ?? null,
    meta: input.meta ?? null,
    tagIds: [],
    customFields: new Map((input.custom_fields ?? []).map((field) => [field.id, field.value])),
    messageIds: [],
    splitFrom: input.split_from ?? null,
    createdAt: input.created_datetime ?? at,
    updatedAt: input.updated_datetime ?? at,
    openedAt: input.opened_datetime ?? null,
    closedAt: input.closed_datetime ?? (status === 'closed' ? at : null),
    lastMessageAt: input.last_message_datetime ?? null,
    lastReceivedMessageAt: input.last_received_message_datetime ?? null,
    snoozeAt: input.snooze_datetime ?? null,
    trashedAt: input.trashed_datetime ?? null,
  };
  for (const tag of input.tags ?? []) {
    const record = state.ensureTag(tag.name, tag.decoration?.color ?? null, at, userId);
    if (!ticket.tagIds.includes(record.id)) ticket.tagIds.push(record.id);
  }
  state.tickets.set(ticket.id, ticket);
  state.recordEvent({ type: 'ticket-created', objectType: 'Ticket', objectId: ticket.id, userId, at });
  for (const plan of validPlans) commitMessage(state, plan, ticket, { at, userId, defaultVia: ticket.via });
  if (input.updated_datetime !== undefined) ticket.updatedAt = input.updated_datetime;
  if (ticket.tagIds.length > 0) {
    state.recordEvent({ type: 'ticket-tags-added', objectType: 'Ticket', objectId: ticket.id, userId, at, data: { tag_ids: [...ticket.tagIds] } });
  }
  if (ticket.assigneeUserId !== null) state.recordEvent({ type: 'ticket-assigned', objectType: 'Ticket', objectId: ticket.id, userId, at });
  return reply(201, viewTicket(state, ticket));
}

/** The ticket's customer: `customer {id|email}`, else the first message's customer side (6.1) [I]. */
function planTicketCustomer(state: TwinState, input: CreateTicketInput, plans: readonly (MessagePlan | undefined)[], errors: ErrorData): PersonPlan | undefined {
  if (input.customer !== undefined) return planPerson(state, input.customer, 'customer', ['customer'], errors);
  const first = plans[0];
  if (first === undefined) return undefined;
  const derived = first.input.from_agent ? first.receiver : first.sender;
  if (derived === null) addFieldError(errors, ['customer'], MISSING_FIELD);
  return derived ?? undefined;
}

function checkTicketReferences(state: TwinState, input: CreateTicketInput, errors: ErrorData): void {
  if (input.assignee_user && !state.users.has(input.assignee_user.id)) addFieldError(errors, ['assignee_user', 'id'], `No user with id ${input.assignee_user.id}.`);
  if (input.assignee_team && !state.teams.has(input.assignee_team.id)) addFieldError(errors, ['assignee_team', 'id'], `No team with id ${input.assignee_team.id}.`);
  if (input.split_from !== undefined && !state.tickets.has(input.split_from)) addFieldError(errors, ['split_from'], `No ticket with id ${input.split_from}.`);
  checkFieldValues(state, input.custom_fields ?? [], ['custom_fields'], errors);
}

function getTicket(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['relationships']);
  const relationships = reader.oneOf('relationships', ['custom_fields']);
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const ticket = findTicket(context);
  if (!ticket) return notFound();
  return reply(200, viewTicket(context.state, ticket, { isWithCustomFields: relationships === 'custom_fields' }));
}

/** 204 without a body (1 [C] S7); the ticket's messages go with it. */
function deleteTicket(context: RouteContext): ApiReply {
  const ticket = findTicket(context);
  if (!ticket) return notFound();
  for (const id of ticket.messageIds) context.state.messages.delete(id);
  context.state.tickets.delete(ticket.id);
  context.state.recordEvent({ type: 'ticket-deleted', objectType: 'Ticket', objectId: ticket.id, userId: context.principal.userId, at: context.now });
  return reply(204);
}

const TICKET_ORDERS = ['created_datetime:asc', 'created_datetime:desc', 'updated_datetime:asc', 'updated_datetime:desc'] as const;

/** Filters per 6.5 [C] S2/S3: no status filter exists; `trashed` defaults to true (trashed tickets included). */
function listTickets(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['cursor', 'limit', 'order_by', 'customer_id', 'external_id', 'view_id', 'rule_id', 'trashed'], ['ticket_ids']);
  const params = readListParams(reader, TICKET_ORDERS, 'created_datetime:desc');
  const customerId = reader.int('customer_id', { min: 1 });
  const externalId = reader.string('external_id');
  const viewId = reader.int('view_id', { min: 1 });
  const ruleId = reader.int('rule_id', { min: 1 });
  const ticketIds = reader.ints('ticket_ids', { maxItems: 100 });
  const isTrashedIncluded = reader.boolean('trashed') ?? true;
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  // The twin has no views or rules, so any id names a missing resource [I].
  if (viewId !== undefined || ruleId !== undefined) return notFound();
  const items = [...context.state.tickets.values()].filter(
    (ticket) =>
      (customerId === undefined || ticket.customerId === customerId) &&
      (externalId === undefined || ticket.externalId === externalId) &&
      (ticketIds === undefined || ticketIds.includes(ticket.id)) &&
      (isTrashedIncluded || ticket.trashedAt === null),
  );
  const [field, direction] = params.orderBy.split(':');
  const ordering: Ordering<TicketRecord> = {
    keys: [{ value: (ticket) => (field === 'updated_datetime' ? ticket.updatedAt : ticket.createdAt), direction: direction === 'asc' ? 'asc' : 'desc' }],
    idOf: (ticket) => ticket.id,
  };
  const signature = ['tickets', params.orderBy, customerId, externalId, ticketIds?.join(','), isTrashedIncluded].join('|');
  const page = paginate({ items, ordering, limit: params.limit, cursor: params.cursor, signature });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map((ticket) => viewTicketCompact(context.state, ticket)), page.value.meta));
}
