// Custom field definitions `/api/custom-fields` and ticket values `/api/tickets/{id}/custom-fields`
// (gorgias-rest-api.md, 10 [C] S2): values are listed as `{data}`, set in bulk with a bare array, deleted with 204.
import { badRequest, isErrorDataEmpty, notFound, reply, validateBody, type ApiReply, type ErrorData } from './api-reply.ts';
import { listEnvelope, paginate, readListParams, type Ordering } from './cursor-pagination.ts';
import { checkFieldValue, checkFieldValues } from './field-values.ts';
import { QueryReader } from './query-reader.ts';
import { createCustomFieldSchema, singleFieldValueSchema, ticketFieldValuesSchema, updateCustomFieldSchema } from './request-schemas.ts';
import type { Route, RouteContext } from './route-table.ts';
import { findTicket } from './ticket-routes.ts';
import type { CustomFieldRecord, TicketRecord } from './twin-records.ts';
import { CUSTOM_FIELD_OBJECT_TYPES } from './wire-enums.ts';
import { viewCustomField } from './wire-views.ts';

export const customFieldRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/api/custom-fields', scope: 'custom_fields:read', handle: listDefinitions },
  { method: 'POST', pattern: '/api/custom-fields', scope: 'custom_fields:write', handle: createDefinition },
  { method: 'GET', pattern: '/api/custom-fields/:fieldId', scope: 'custom_fields:read', handle: getDefinition },
  { method: 'PUT', pattern: '/api/custom-fields/:fieldId', scope: 'custom_fields:write', handle: updateDefinition },
  { method: 'GET', pattern: '/api/tickets/:ticketId/custom-fields', scope: 'custom_fields:read', handle: listTicketValues },
  { method: 'PUT', pattern: '/api/tickets/:ticketId/custom-fields', scope: 'custom_fields:write', handle: setTicketValues },
  { method: 'PUT', pattern: '/api/tickets/:ticketId/custom-fields/:fieldId', scope: 'custom_fields:write', handle: setTicketValue },
  { method: 'DELETE', pattern: '/api/tickets/:ticketId/custom-fields/:fieldId', scope: 'custom_fields:write', handle: deleteTicketValue },
];

function findDefinition(context: RouteContext): CustomFieldRecord | undefined {
  const id = context.params.fieldId;
  return id === undefined ? undefined : context.state.customFields.get(id);
}

function createDefinition(context: RouteContext): ApiReply {
  const parsed = validateBody(createCustomFieldSchema, context.body, 'Failed to create custom field');
  if (!parsed.ok) return parsed.error;
  const input = parsed.value;
  const field: CustomFieldRecord = {
    id: context.state.nextId('customField'),
    objectType: input.object_type,
    label: input.label,
    dataType: input.definition.data_type,
    inputSettings: input.definition.input_settings,
    description: input.description ?? null,
    priority: input.priority ?? 0,
    isRequired: input.required ?? false,
    managedType: input.managed_type ?? null,
    externalId: input.external_id ?? null,
    createdAt: context.now,
    updatedAt: context.now,
    deactivatedAt: input.deactivated_datetime ?? null,
  };
  context.state.customFields.set(field.id, field);
  context.state.recordEvent({ type: 'custom-field-created', objectType: 'CustomField', objectId: field.id, userId: context.principal.userId, at: context.now });
  return reply(201, viewCustomField(field));
}

function getDefinition(context: RouteContext): ApiReply {
  const field = findDefinition(context);
  return field ? reply(200, viewCustomField(field)) : notFound();
}

/** The data type is fixed once created [I]; the rest may change. */
function updateDefinition(context: RouteContext): ApiReply {
  const field = findDefinition(context);
  if (!field) return notFound();
  const parsed = validateBody(updateCustomFieldSchema, context.body, 'Failed to update custom field');
  if (!parsed.ok) return parsed.error;
  const input = parsed.value;
  if (input.definition !== undefined && input.definition.data_type !== field.dataType) {
    return badRequest('Failed to update custom field', { definition: { data_type: ['The data type of a field cannot be changed.'] } });
  }
  if (input.label !== undefined) field.label = input.label;
  if (input.definition !== undefined) field.inputSettings = input.definition.input_settings;
  if (input.description !== undefined) field.description = input.description;
  if (input.priority !== undefined) field.priority = input.priority;
  if (input.required !== undefined) field.isRequired = input.required;
  if (input.managed_type !== undefined) field.managedType = input.managed_type;
  if (input.external_id !== undefined) field.externalId = input.external_id;
  if (input.deactivated_datetime !== undefined) field.deactivatedAt = input.deactivated_datetime;
  field.updatedAt = context.now;
  context.state.recordEvent({ type: 'custom-field-updated', objectType: 'CustomField', objectId: field.id, userId: context.principal.userId, at: context.now });
  return reply(202, viewCustomField(field));
}

/** `object_type` is required (10 [C] S2). */
function listDefinitions(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['object_type', 'search', 'archived', 'order_by', 'cursor', 'limit']);
  const params = readListParams(reader, ['priority:asc', 'priority:desc'], 'priority:asc');
  const objectType = reader.oneOf('object_type', CUSTOM_FIELD_OBJECT_TYPES);
  if (!context.query.has('object_type')) reader.fail('object_type', 'Missing data for required field.');
  const search = reader.string('search')?.toLowerCase();
  const isArchived = reader.boolean('archived');
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const items = [...context.state.customFields.values()].filter(
    (field) =>
      field.objectType === objectType &&
      (search === undefined || field.label.toLowerCase().includes(search)) &&
      (isArchived === undefined || isArchived === (field.deactivatedAt !== null)),
  );
  const ordering: Ordering<CustomFieldRecord> = {
    keys: [{ value: (field) => field.priority, direction: params.orderBy.endsWith(':desc') ? 'desc' : 'asc' }],
    idOf: (field) => field.id,
  };
  const signature = `custom-fields|${params.orderBy}|${objectType}|${search}|${isArchived}`;
  const page = paginate({ items, ordering, limit: params.limit, cursor: params.cursor, signature });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map(viewCustomField), page.value.meta));
}

function viewValues(context: RouteContext, ticket: TicketRecord) {
  return [...ticket.customFields].flatMap(([id, value]) => {
    const field = context.state.customFields.get(id);
    return field ? [{ id, field: viewCustomField(field), value }] : [];
  });
}

function touch(context: RouteContext, ticket: TicketRecord, fieldIds: number[]): void {
  ticket.updatedAt = context.now;
  context.state.recordEvent({
    type: 'ticket-updated', objectType: 'Ticket', objectId: ticket.id, userId: context.principal.userId, at: context.now,
    data: { custom_field_ids: fieldIds },
  });
}

/** `{data: [{field, value}]}` (10, 4 [!]). */
function listTicketValues(context: RouteContext): ApiReply {
  const ticket = findTicket(context);
  return ticket ? reply(200, { data: viewValues(context, ticket) }) : notFound();
}

/** Bare array body; fields not sent are unchanged; answers with the values (10 [C] S2); 202 by PUT convention [I]. */
function setTicketValues(context: RouteContext): ApiReply {
  const ticket = findTicket(context);
  if (!ticket) return notFound();
  const parsed = validateBody(ticketFieldValuesSchema, context.body, 'Failed to update custom fields');
  if (!parsed.ok) return parsed.error;
  const errors: ErrorData = {};
  checkFieldValues(context.state, parsed.value, [], errors);
  if (!isErrorDataEmpty(errors)) return badRequest('Failed to update custom fields', errors);
  for (const assignment of parsed.value) ticket.customFields.set(assignment.id, assignment.value);
  touch(context, ticket, parsed.value.map((assignment) => assignment.id));
  return reply(202, { data: viewValues(context, ticket) });
}

/** The body is the raw value (S2) or `{id, value}` (S5); both are accepted (10 [!]). */
function setTicketValue(context: RouteContext): ApiReply {
  const ticket = findTicket(context);
  const fieldId = context.params.fieldId;
  if (!ticket || fieldId === undefined) return notFound();
  const parsed = validateBody(singleFieldValueSchema, context.body, 'Failed to update custom field');
  if (!parsed.ok) return parsed.error;
  const body = parsed.value;
  const value = typeof body === 'object' ? body.value : body;
  if (typeof body === 'object' && body.id !== fieldId) return badRequest('Failed to update custom field', { id: ['Must match the field id in the path.'] });
  if (context.state.customFields.get(fieldId)?.objectType !== 'Ticket') return notFound();
  const errors: ErrorData = {};
  if (!checkFieldValue(context.state, { id: fieldId, value }, [], errors)) return badRequest('Failed to update custom field', errors);
  ticket.customFields.set(fieldId, value);
  touch(context, ticket, [fieldId]);
  return reply(202, viewValues(context, ticket).find((entry) => entry.id === fieldId));
}

function deleteTicketValue(context: RouteContext): ApiReply {
  const ticket = findTicket(context);
  const fieldId = context.params.fieldId;
  if (!ticket || fieldId === undefined || !ticket.customFields.has(fieldId)) return notFound();
  ticket.customFields.delete(fieldId);
  touch(context, ticket, [fieldId]);
  return reply(204);
}
