// `PUT /api/tickets/{id}` (gorgias-rest-api.md, 6.5): partial update, 202 with the Ticket (legacy [C] S7);
// `tags` replaces all tags [S] S5. Records the matching `ticket-*` events (11).
import { addFieldError, badRequest, isErrorDataEmpty, notFound, reply, validateBody, type ApiReply, type ErrorData } from './api-reply.ts';
import { checkFieldValues } from './field-values.ts';
import { commitPerson, planPerson, type PersonPlan } from './message-rules.ts';
import { updateTicketSchema, type UpdateTicketInput } from './request-schemas.ts';
import type { RouteContext } from './route-table.ts';
import type { TicketRecord } from './twin-records.ts';
import type { TwinState } from './twin-state.ts';
import { viewTicket } from './wire-views.ts';

const UPDATE_FAILED = 'Failed to update ticket';

export function applyTicketUpdate(context: RouteContext): ApiReply {
  const { state } = context;
  const id = context.params.ticketId;
  const ticket = id === undefined ? undefined : state.tickets.get(id);
  if (!ticket) return notFound();
  const parsed = validateBody(updateTicketSchema, context.body, UPDATE_FAILED);
  if (!parsed.ok) return parsed.error;
  const input = parsed.value;
  const errors: ErrorData = {};
  const customerPlan = input.customer === undefined ? undefined : planPerson(state, input.customer, 'customer', ['customer'], errors);
  checkReferences(state, input, errors);
  if (!isErrorDataEmpty(errors)) return badRequest(UPDATE_FAILED, errors);

  const at = context.now;
  const userId = context.principal.userId;
  const record = (type: string, data?: Record<string, unknown>): void => {
    state.recordEvent({ type, objectType: 'Ticket', objectId: ticket.id, userId, at, ...(data ? { data } : {}) });
  };
  applyCustomer(state, ticket, customerPlan, { at, userId }, record);
  applyAssignees(ticket, input, record);
  applyStatus(ticket, input, at, record);
  applyTags(state, ticket, input, { at, userId }, record);
  applyPlainFields(ticket, input, record);
  for (const field of input.custom_fields ?? []) ticket.customFields.set(field.id, field.value);
  ticket.updatedAt = input.updated_datetime ?? at;
  record('ticket-updated');
  return reply(202, viewTicket(state, ticket));
}

function checkReferences(state: TwinState, input: UpdateTicketInput, errors: ErrorData): void {
  const userId = input.assignee_user?.id;
  if (userId !== undefined && userId !== null && !state.users.has(userId)) addFieldError(errors, ['assignee_user', 'id'], `No user with id ${userId}.`);
  const teamId = input.assignee_team?.id;
  if (teamId !== undefined && teamId !== null && !state.teams.has(teamId)) addFieldError(errors, ['assignee_team', 'id'], `No team with id ${teamId}.`);
  checkFieldValues(state, input.custom_fields ?? [], ['custom_fields'], errors);
}

type Recorder = (type: string, data?: Record<string, unknown>) => void;
type Actor = { at: number; userId: number };

function applyCustomer(state: TwinState, ticket: TicketRecord, plan: PersonPlan | undefined, actor: Actor, record: Recorder): void {
  if (plan === undefined) return;
  const customer = commitPerson(state, plan, actor.at, actor.userId);
  if (customer.id === ticket.customerId) return;
  ticket.customerId = customer.id;
  record('ticket-customer-updated', { customer_id: customer.id });
}

function applyAssignees(ticket: TicketRecord, input: UpdateTicketInput, record: Recorder): void {
  if (input.assignee_user !== undefined) {
    const next = input.assignee_user?.id ?? null;
    if (next !== ticket.assigneeUserId) record(next === null ? 'ticket-unassigned' : 'ticket-assigned', { assignee_user_id: next });
    ticket.assigneeUserId = next;
  }
  if (input.assignee_team !== undefined) {
    const next = input.assignee_team?.id ?? null;
    if (next !== ticket.assigneeTeamId) record(next === null ? 'ticket-team-unassigned' : 'ticket-team-assigned', { assignee_team_id: next });
    ticket.assigneeTeamId = next;
  }
}

function applyStatus(ticket: TicketRecord, input: UpdateTicketInput, at: number, record: Recorder): void {
  if (input.status !== undefined && input.status !== ticket.status) {
    ticket.status = input.status;
    ticket.closedAt = input.status === 'closed' ? (input.closed_datetime ?? at) : null;
    record(input.status === 'closed' ? 'ticket-closed' : 'ticket-reopened');
  } else if (input.closed_datetime !== undefined) {
    ticket.closedAt = input.closed_datetime;
  }
  if (input.trashed_datetime !== undefined) {
    const wasTrashed = ticket.trashedAt !== null;
    ticket.trashedAt = input.trashed_datetime;
    if (wasTrashed !== (ticket.trashedAt !== null)) record(ticket.trashedAt === null ? 'ticket-untrashed' : 'ticket-trashed');
  }
}

function applyTags(state: TwinState, ticket: TicketRecord, input: UpdateTicketInput, actor: Actor, record: Recorder): void {
  if (input.tags === undefined) return;
  const next: number[] = [];
  for (const tag of input.tags) {
    const id = state.ensureTag(tag.name, tag.decoration?.color ?? null, actor.at, actor.userId).id;
    if (!next.includes(id)) next.push(id);
  }
  const added = next.filter((id) => !ticket.tagIds.includes(id));
  const removed = ticket.tagIds.filter((id) => !next.includes(id));
  ticket.tagIds = next;
  if (added.length > 0) record('ticket-tags-added', { tag_ids: added });
  if (removed.length > 0) record('ticket-tags-removed', { tag_ids: removed });
}

function applyPlainFields(ticket: TicketRecord, input: UpdateTicketInput, record: Recorder): void {
  if (input.subject !== undefined && input.subject !== ticket.subject) {
    ticket.subject = input.subject;
    record('ticket-subject-updated');
  }
  if (input.priority !== undefined) ticket.priority = input.priority;
  if (input.channel !== undefined) ticket.channel = input.channel;
  if (input.via !== undefined) ticket.via = input.via;
  if (input.external_id !== undefined) ticket.externalId = input.external_id;
  if (input.from_agent !== undefined) ticket.isFromAgent = input.from_agent;
  if (input.is_unread !== undefined) ticket.isUnread = input.is_unread;
  if (input.language !== undefined) ticket.language = input.language;
  if (input.meta !== undefined) ticket.meta = input.meta;
  if (input.spam !== undefined) ticket.isSpam = input.spam;
  if (input.opened_datetime !== undefined) ticket.openedAt = input.opened_datetime;
  if (input.snooze_datetime !== undefined) ticket.snoozeAt = input.snooze_datetime;
  if (input.last_message_datetime !== undefined) ticket.lastMessageAt = input.last_message_datetime;
  if (input.last_received_message_datetime !== undefined) ticket.lastReceivedMessageAt = input.last_received_message_datetime;
}
