// HTTP integrations, Gorgias's webhooks, `/api/integrations` (gorgias-rest-api.md, 12.1 [C] S2): create (201),
// get, update (202), delete (204), list with `type`. Delivery is webhook-dispatcher.ts's job.
import { badRequest, notFound, reply, validateBody, type ApiReply } from './api-reply.ts';
import { listEnvelope, paginate, readListParams, type Ordering } from './cursor-pagination.ts';
import { QueryReader } from './query-reader.ts';
import { createIntegrationSchema, updateIntegrationSchema } from './request-schemas.ts';
import type { Route, RouteContext } from './route-table.ts';
import type { IntegrationRecord } from './twin-records.ts';
import { viewIntegration } from './wire-views.ts';

export const integrationRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/api/integrations', scope: 'integrations:read', handle: listIntegrations },
  { method: 'POST', pattern: '/api/integrations', scope: 'integrations:write', handle: createIntegration },
  { method: 'GET', pattern: '/api/integrations/:integrationId', scope: 'integrations:read', handle: getIntegration },
  { method: 'PUT', pattern: '/api/integrations/:integrationId', scope: 'integrations:write', handle: updateIntegration },
  { method: 'DELETE', pattern: '/api/integrations/:integrationId', scope: 'integrations:write', handle: deleteIntegration },
];

function findIntegration(context: RouteContext): IntegrationRecord | undefined {
  const id = context.params.integrationId;
  return id === undefined ? undefined : context.state.integrations.get(id);
}

function record(context: RouteContext, integration: IntegrationRecord, type: string): void {
  context.state.recordEvent({ type, objectType: 'Integration', objectId: integration.id, userId: context.principal.userId, at: context.now });
}

function createIntegration(context: RouteContext): ApiReply {
  const parsed = validateBody(createIntegrationSchema, context.body, 'Failed to create integration');
  if (!parsed.ok) return parsed.error;
  const input = parsed.value;
  const integration: IntegrationRecord = {
    id: context.state.nextId('integration'),
    name: input.name,
    description: input.description ?? null,
    http: input.http,
    isManaged: input.managed ?? false,
    userId: context.principal.userId,
    consecutiveFailures: 0,
    createdAt: context.now,
    updatedAt: context.now,
    deactivatedAt: input.deactivated_datetime ?? null,
  };
  context.state.integrations.set(integration.id, integration);
  record(context, integration, 'integration-created');
  return reply(201, viewIntegration(integration));
}

function getIntegration(context: RouteContext): ApiReply {
  const integration = findIntegration(context);
  return integration ? reply(200, viewIntegration(integration)) : notFound();
}

/** Clearing `deactivated_datetime` reactivates and resets the failure count (12.1 [C] S8). */
function updateIntegration(context: RouteContext): ApiReply {
  const integration = findIntegration(context);
  if (!integration) return notFound();
  const parsed = validateBody(updateIntegrationSchema, context.body, 'Failed to update integration');
  if (!parsed.ok) return parsed.error;
  const input = parsed.value;
  if (input.name !== undefined) integration.name = input.name;
  if (input.description !== undefined) integration.description = input.description;
  if (input.http !== undefined) integration.http = input.http;
  if (input.managed !== undefined) integration.isManaged = input.managed;
  if (input.deactivated_datetime !== undefined) {
    const wasActive = integration.deactivatedAt === null;
    integration.deactivatedAt = input.deactivated_datetime;
    if (wasActive && input.deactivated_datetime !== null) record(context, integration, 'integration-deactivated');
    if (!wasActive && input.deactivated_datetime === null) {
      integration.consecutiveFailures = 0;
      record(context, integration, 'integration-reactivated');
    }
  }
  integration.updatedAt = context.now;
  record(context, integration, 'integration-updated');
  return reply(202, viewIntegration(integration));
}

function deleteIntegration(context: RouteContext): ApiReply {
  const integration = findIntegration(context);
  if (!integration) return notFound();
  context.state.integrations.delete(integration.id);
  record(context, integration, 'integration-deleted');
  return reply(204);
}

/** `type` names any integration kind (12.1 lists many); the twin holds only `http` ones. */
function listIntegrations(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['cursor', 'limit', 'order_by', 'type']);
  const params = readListParams(reader, ['created_datetime:asc', 'created_datetime:desc'], 'created_datetime:desc');
  const type = reader.string('type');
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const items = [...context.state.integrations.values()].filter(() => type === undefined || type === 'http');
  const ordering: Ordering<IntegrationRecord> = {
    keys: [{ value: (integration) => integration.createdAt, direction: params.orderBy.endsWith(':asc') ? 'asc' : 'desc' }],
    idOf: (integration) => integration.id,
  };
  const page = paginate({ items, ordering, limit: params.limit, cursor: params.cursor, signature: `integrations|${params.orderBy}|${type}` });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map(viewIntegration), page.value.meta));
}
