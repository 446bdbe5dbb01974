// Account tags `/api/tags` and ticket tags `/api/tickets/{id}/tags` (gorgias-rest-api.md, 8): add 201 empty,
// replace 202 empty, remove 204, list `{data}`. Names are case-sensitive; unknown names are created [I].
import { addFieldError, badRequest, conflict, isErrorDataEmpty, notFound, reply, validateBody, type ApiReply, type ErrorData } from './api-reply.ts';
import { listEnvelope, paginate, readListParams, type Ordering } from './cursor-pagination.ts';
import { QueryReader } from './query-reader.ts';
import { bulkDeleteSchema, createTagSchema, ticketTagsSchema, updateTagSchema, type TicketTagsInput } from './request-schemas.ts';
import type { Route, RouteContext } from './route-table.ts';
import { findTicket } from './ticket-routes.ts';
import type { TagRecord, TicketRecord } from './twin-records.ts';
import { viewTag } from './wire-views.ts';

export const tagRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/api/tags', scope: 'tickets:read', handle: listTags },
  { method: 'POST', pattern: '/api/tags', scope: 'tickets:write', handle: createTag },
  { method: 'DELETE', pattern: '/api/tags', scope: 'tickets:write', handle: deleteTags },
  { method: 'GET', pattern: '/api/tags/:tagId', scope: 'tickets:read', handle: getTag },
  { method: 'PUT', pattern: '/api/tags/:tagId', scope: 'tickets:write', handle: updateTag },
  { method: 'DELETE', pattern: '/api/tags/:tagId', scope: 'tickets:write', handle: deleteTag },
  { method: 'GET', pattern: '/api/tickets/:ticketId/tags', scope: 'tickets:read', handle: listTicketTags },
  { method: 'POST', pattern: '/api/tickets/:ticketId/tags', scope: 'tickets:write', handle: (context) => changeTicketTags(context, 'add') },
  { method: 'PUT', pattern: '/api/tickets/:ticketId/tags', scope: 'tickets:write', handle: (context) => changeTicketTags(context, 'replace') },
  { method: 'DELETE', pattern: '/api/tickets/:ticketId/tags', scope: 'tickets:write', handle: (context) => changeTicketTags(context, 'remove') },
];

function findTag(context: RouteContext): TagRecord | undefined {
  const id = context.params.tagId;
  return id === undefined ? undefined : context.state.tags.get(id);
}

/** `{data: Tag[]}` without cursor meta (4 [!], 8 [S] S5). */
function listTicketTags(context: RouteContext): ApiReply {
  const ticket = findTicket(context);
  if (!ticket) return notFound();
  const tags = ticket.tagIds.flatMap((id) => {
    const tag = context.state.tags.get(id);
    return tag ? [viewTag(context.state, tag)] : [];
  });
  return reply(200, { data: tags });
}

type TagChange = 'add' | 'replace' | 'remove';
const CHANGE_STATUS: Record<TagChange, number> = { add: 201, replace: 202, remove: 204 };

function changeTicketTags(context: RouteContext, change: TagChange): ApiReply {
  const ticket = findTicket(context);
  if (!ticket) return notFound();
  const parsed = validateBody(ticketTagsSchema, context.body, 'Failed to update the ticket tags');
  if (!parsed.ok) return parsed.error;
  const errors = checkTagBody(context, parsed.value, change);
  if (!isErrorDataEmpty(errors)) return badRequest('Failed to update the ticket tags', errors);
  const { state } = context;
  const at = context.now;
  const userId = context.principal.userId;
  const named = change === 'remove'
    ? (parsed.value.names ?? []).flatMap((name) => state.findTagByName(name)?.id ?? [])
    : (parsed.value.names ?? []).map((name) => state.ensureTag(name, null, at, userId).id);
  const wanted = [...new Set([...(parsed.value.ids ?? []), ...named])];
  const next = change === 'add' ? [...ticket.tagIds, ...wanted.filter((id) => !ticket.tagIds.includes(id))]
    : change === 'replace' ? wanted
    : ticket.tagIds.filter((id) => !wanted.includes(id));
  recordTagChanges(context, ticket, next);
  return reply(CHANGE_STATUS[change]);
}

/** At least one of `ids`/`names` to add or remove; `{}` on PUT clears all tags (8 [S]). Unknown ids are refused [I]. */
function checkTagBody(context: RouteContext, body: TicketTagsInput, change: TagChange): ErrorData {
  const errors: ErrorData = {};
  if (change !== 'replace' && body.ids === undefined && body.names === undefined) {
    addFieldError(errors, ['ids'], 'Either ids or names is required.');
  }
  for (const [index, id] of (body.ids ?? []).entries()) {
    if (!context.state.tags.has(id)) addFieldError(errors, ['ids', index], `No tag with id ${id}.`);
  }
  return errors;
}

function recordTagChanges(context: RouteContext, ticket: TicketRecord, next: number[]): void {
  const added = next.filter((id) => !ticket.tagIds.includes(id));
  const removed = ticket.tagIds.filter((id) => !next.includes(id));
  ticket.tagIds = next;
  const base = { objectType: 'Ticket', objectId: ticket.id, userId: context.principal.userId, at: context.now } as const;
  if (added.length > 0) context.state.recordEvent({ ...base, type: 'ticket-tags-added', data: { tag_ids: added } });
  if (removed.length > 0) context.state.recordEvent({ ...base, type: 'ticket-tags-removed', data: { tag_ids: removed } });
  if (added.length + removed.length > 0) ticket.updatedAt = context.now;
}

/** A second tag with the same name is a conflict like any identifier in use (5 [C]) [I]. */
function createTag(context: RouteContext): ApiReply {
  const parsed = validateBody(createTagSchema, context.body, 'Failed to create tag');
  if (!parsed.ok) return parsed.error;
  const { state } = context;
  if (state.findTagByName(parsed.value.name)) return conflict({ name: ['A tag with this name already exists.'] });
  const tag = state.ensureTag(parsed.value.name, parsed.value.decoration?.color ?? null, context.now, context.principal.userId);
  tag.description = parsed.value.description ?? null;
  return reply(201, viewTag(state, tag));
}

function getTag(context: RouteContext): ApiReply {
  const tag = findTag(context);
  return tag ? reply(200, viewTag(context.state, tag)) : notFound();
}

function updateTag(context: RouteContext): ApiReply {
  const tag = findTag(context);
  if (!tag) return notFound();
  const parsed = validateBody(updateTagSchema, context.body, 'Failed to update tag');
  if (!parsed.ok) return parsed.error;
  const { name, description, decoration } = parsed.value;
  const holder = name === undefined ? undefined : context.state.findTagByName(name);
  if (holder && holder.id !== tag.id) return conflict({ name: ['A tag with this name already exists.'] });
  if (name !== undefined) tag.name = name;
  if (description !== undefined) tag.description = description;
  if (decoration !== undefined) tag.color = decoration.color;
  context.state.recordEvent({ type: 'tag-updated', objectType: 'Tag', objectId: tag.id, userId: context.principal.userId, at: context.now });
  return reply(202, viewTag(context.state, tag));
}

function removeTag(context: RouteContext, tag: TagRecord): void {
  context.state.tags.delete(tag.id);
  for (const ticket of context.state.tickets.values()) ticket.tagIds = ticket.tagIds.filter((id) => id !== tag.id);
  context.state.recordEvent({ type: 'tag-deleted', objectType: 'Tag', objectId: tag.id, userId: context.principal.userId, at: context.now });
}

function deleteTag(context: RouteContext): ApiReply {
  const tag = findTag(context);
  if (!tag) return notFound();
  removeTag(context, tag);
  return reply(204);
}

function deleteTags(context: RouteContext): ApiReply {
  const parsed = validateBody(bulkDeleteSchema, context.body, 'Failed to delete tags');
  if (!parsed.ok) return parsed.error;
  for (const id of parsed.value.ids) {
    const tag = context.state.tags.get(id);
    if (tag) removeTag(context, tag);
  }
  return reply(204);
}

const TAG_ORDERS = [
  'created_datetime', 'created_datetime:asc', 'created_datetime:desc', 'name', 'name:asc', 'name:desc',
  'usage:asc,name:asc', 'usage:desc,name:desc',
] as const;

/** Order values per 8 [C] S2; a bare field sorts ascending, the default order is ours [I]. */
function listTags(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['cursor', 'limit', 'order_by', 'search']);
  const params = readListParams(reader, TAG_ORDERS, 'created_datetime:desc');
  const search = reader.string('search')?.toLowerCase();
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const { state } = context;
  const items = [...state.tags.values()].filter((tag) => search === undefined || tag.name.toLowerCase().includes(search));
  const direction = params.orderBy.includes(':desc') ? 'desc' : 'asc';
  const ordering: Ordering<TagRecord> = params.orderBy.startsWith('usage')
    ? { keys: [{ value: (tag) => state.tagUsage(tag.id), direction }, { value: (tag) => tag.name, direction }], idOf: (tag) => tag.id }
    : { keys: [{ value: (tag) => (params.orderBy.startsWith('name') ? tag.name : tag.createdAt), direction }], idOf: (tag) => tag.id };
  const page = paginate({ items, ordering, limit: params.limit, cursor: params.cursor, signature: `tags|${params.orderBy}|${search}` });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map((tag) => viewTag(state, tag)), page.value.meta));
}
