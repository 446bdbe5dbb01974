// `/api/events` and `/api/events/{id}` (gorgias-rest-api.md, 11 [C] S2): the twin's log of everything it created,
// changed or deleted, with the documented filters. Read-only.
import { badRequest, notFound, reply, type ApiReply } from './api-reply.ts';
import { listEnvelope, paginate, readListParams, type Ordering } from './cursor-pagination.ts';
import { QueryReader } from './query-reader.ts';
import type { Route, RouteContext } from './route-table.ts';
import type { EventRecord } from './twin-records.ts';
import { EVENT_OBJECT_TYPES } from './wire-enums.ts';
import { viewEvent } from './wire-views.ts';

export const eventRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/api/events', scope: 'events:read', handle: listEvents },
  { method: 'GET', pattern: '/api/events/:eventId', scope: 'events:read', handle: getEvent },
];

function getEvent(context: RouteContext): ApiReply {
  const id = context.params.eventId;
  const event = id === undefined ? undefined : context.state.events.get(id);
  return event ? reply(200, viewEvent(event)) : notFound();
}

/** Datetime bounds use bracket keys such as `created_datetime[gte]` (11 [S] S5); default order is ours [I]. */
function listEvents(context: RouteContext): ApiReply {
  const bounds = ['gt', 'gte', 'lt', 'lte'] as const;
  const boundKeys = bounds.map((bound) => `created_datetime[${bound}]`);
  const reader = new QueryReader(context.query, ['cursor', 'limit', 'order_by', 'object_id', 'object_type', ...boundKeys], ['types', 'user_ids']);
  const params = readListParams(reader, ['created_datetime:asc', 'created_datetime:desc'], 'created_datetime:desc');
  const objectId = reader.int('object_id', { min: 1 });
  const objectType = reader.oneOf('object_type', EVENT_OBJECT_TYPES);
  const types = reader.strings('types');
  const userIds = reader.ints('user_ids');
  const [gt, gte, lt, lte] = boundKeys.map((key) => reader.datetime(key));
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const items = [...context.state.events.values()].filter(
    (event) =>
      (objectId === undefined || event.objectId === objectId) &&
      (objectType === undefined || event.objectType === objectType) &&
      (types === undefined || types.includes(event.type)) &&
      (userIds === undefined || (event.userId !== null && userIds.includes(event.userId))) &&
      (gt === undefined || event.createdAt > gt) &&
      (gte === undefined || event.createdAt >= gte) &&
      (lt === undefined || event.createdAt < lt) &&
      (lte === undefined || event.createdAt <= lte),
  );
  const ordering: Ordering<EventRecord> = {
    keys: [{ value: (event) => event.createdAt, direction: params.orderBy.endsWith(':asc') ? 'asc' : 'desc' }],
    idOf: (event) => event.id,
  };
  const signature = ['events', params.orderBy, objectId, objectType, types?.join(','), userIds?.join(','), gt, gte, lt, lte].join('|');
  const page = paginate({ items, ordering, limit: params.limit, cursor: params.cursor, signature });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map(viewEvent), page.value.meta));
}
