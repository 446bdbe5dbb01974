// `/api/customers` (gorgias-rest-api.md, 9): create (201, 409 on a taken primary email), get, update (202, channels
// replace the list), delete (204, also in bulk), list with filters incl. phone channel, merge and `/data`.
import { addFieldError, badRequest, conflict, isErrorDataEmpty, notFound, reply, validateBody, type ApiReply, type ErrorData } from './api-reply.ts';
import { listEnvelope, paginate, readListParams, type Ordering } from './cursor-pagination.ts';
import { createCustomer, isEmailTaken, updateCustomer } from './customer-writes.ts';
import { QueryReader } from './query-reader.ts';
import { bulkDeleteSchema, createCustomerSchema, customerDataSchema, updateCustomerSchema } from './request-schemas.ts';
import type { Route, RouteContext } from './route-table.ts';
import type { CustomerRecord } from './twin-records.ts';
import type { TwinState } from './twin-state.ts';
import { viewCustomer } from './wire-views.ts';

export const customerRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/api/customers', scope: 'customers:read', handle: listCustomers },
  { method: 'POST', pattern: '/api/customers', scope: 'customers:write', handle: postCustomer },
  { method: 'DELETE', pattern: '/api/customers', scope: 'customers:write', handle: deleteCustomers },
  { method: 'PUT', pattern: '/api/customers/merge', scope: 'customers:write', handle: mergeCustomers },
  { method: 'GET', pattern: '/api/customers/:customerId', scope: 'customers:read', handle: getCustomer },
  { method: 'PUT', pattern: '/api/customers/:customerId', scope: 'customers:write', handle: putCustomer },
  { method: 'DELETE', pattern: '/api/customers/:customerId', scope: 'customers:write', handle: deleteCustomer },
  { method: 'PUT', pattern: '/api/customers/:customerId/data', scope: 'customers:write', handle: putCustomerData },
];

function findCustomer(context: RouteContext): CustomerRecord | undefined {
  const id = context.params.customerId;
  return id === undefined ? undefined : context.state.customers.get(id);
}

function postCustomer(context: RouteContext): ApiReply {
  const parsed = validateBody(createCustomerSchema, context.body, 'Failed to create customer');
  if (!parsed.ok) return parsed.error;
  if (isEmailTaken(context.state, parsed.value.email)) return conflict({ email: ['A customer with this email already exists.'] });
  return reply(201, viewCustomer(createCustomer(context.state, parsed.value, context.now, context.principal.userId)));
}

function getCustomer(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['relationships']);
  reader.oneOf('relationships', ['custom_fields']);
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const customer = findCustomer(context);
  return customer ? reply(200, viewCustomer(customer)) : notFound();
}

/** Response 202 with the Customer (9.3 [I], PUT convention 1 [C] S7). */
function putCustomer(context: RouteContext): ApiReply {
  const customer = findCustomer(context);
  if (!customer) return notFound();
  const parsed = validateBody(updateCustomerSchema, context.body, 'Failed to update customer');
  if (!parsed.ok) return parsed.error;
  if (isEmailTaken(context.state, parsed.value.email, customer.id)) return conflict({ email: ['A customer with this email already exists.'] });
  updateCustomer(context.state, customer, parsed.value, context.now, context.principal.userId);
  return reply(202, viewCustomer(customer));
}

function removeCustomer(state: TwinState, customer: CustomerRecord, at: number, userId: number): void {
  state.customers.delete(customer.id);
  state.recordEvent({ type: 'customer-deleted', objectType: 'Customer', objectId: customer.id, userId, at });
}

function deleteCustomer(context: RouteContext): ApiReply {
  const customer = findCustomer(context);
  if (!customer) return notFound();
  removeCustomer(context.state, customer, context.now, context.principal.userId);
  return reply(204);
}

/** Bulk delete `{ids}` (9.3 [C] S2); status 204 and refusing unknown ids are ours [I]. */
function deleteCustomers(context: RouteContext): ApiReply {
  const parsed = validateBody(bulkDeleteSchema, context.body, 'Failed to delete customers');
  if (!parsed.ok) return parsed.error;
  const errors: ErrorData = {};
  for (const [index, id] of parsed.value.ids.entries()) {
    if (!context.state.customers.has(id)) addFieldError(errors, ['ids', index], `No customer with id ${id}.`);
  }
  if (!isErrorDataEmpty(errors)) return badRequest('Failed to delete customers', errors);
  for (const id of parsed.value.ids) {
    const customer = context.state.customers.get(id);
    if (customer) removeCustomer(context.state, customer, context.now, context.principal.userId);
  }
  return reply(204);
}

/** `source_id`/`target_id` are required query parameters; the body is data to set on the target (9.4 [C]). */
function mergeCustomers(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['source_id', 'target_id']);
  const sourceId = reader.int('source_id', { min: 1 });
  const targetId = reader.int('target_id', { min: 1 });
  if (sourceId === undefined && !context.query.has('source_id')) reader.fail('source_id', 'Missing data for required field.');
  if (targetId === undefined && !context.query.has('target_id')) reader.fail('target_id', 'Missing data for required field.');
  if (sourceId !== undefined && sourceId === targetId) reader.fail('source_id', 'A customer cannot be merged into itself.');
  const problems = reader.errors();
  if (problems) return badRequest('Failed to merge customers', problems);
  const { state } = context;
  const source = sourceId === undefined ? undefined : state.customers.get(sourceId);
  const target = targetId === undefined ? undefined : state.customers.get(targetId);
  if (!source || !target) return notFound();
  const parsed = validateBody(updateCustomerSchema, context.body ?? {}, 'Failed to merge customers');
  if (!parsed.ok) return parsed.error;
  const holder = parsed.value.email ? state.findCustomerByEmail(parsed.value.email) : undefined;
  if (holder && holder.id !== source.id && holder.id !== target.id) return conflict({ email: ['A customer with this email already exists.'] });
  const at = context.now;
  const userId = context.principal.userId;
  // Without a `channels` list in the body, the target keeps its channels and gains the source's [I].
  const extraChannels = source.channels.filter((channel) => !target.channels.some((own) => own.type === channel.type && own.address === channel.address));
  target.channels = [...target.channels, ...extraChannels];
  target.email ??= source.email;
  target.externalId ??= source.externalId;
  target.name ??= source.name;
  state.customers.delete(source.id);
  updateCustomer(state, target, parsed.value, at, userId);
  for (const ticket of state.ticketsOfCustomer(source.id)) ticket.customerId = target.id;
  for (const message of state.messages.values()) {
    if (message.sender.kind === 'customer' && message.sender.id === source.id) message.sender = { kind: 'customer', id: target.id };
    if (message.receiver?.kind === 'customer' && message.receiver.id === source.id) message.receiver = { kind: 'customer', id: target.id };
  }
  state.recordEvent({ type: 'customer-merged', objectType: 'Customer', objectId: target.id, userId, at, data: { source_id: source.id } });
  return reply(202, viewCustomer(target));
}

/** `{data, version?}`; an older `version` than stored is silently ignored; 202 with an empty body (9.2 [S] S5). */
function putCustomerData(context: RouteContext): ApiReply {
  const customer = findCustomer(context);
  if (!customer) return notFound();
  const parsed = validateBody(customerDataSchema, context.body, 'Failed to update customer data');
  if (!parsed.ok) return parsed.error;
  const { data, version } = parsed.value;
  if (version === undefined || customer.dataVersion === null || version >= customer.dataVersion) {
    customer.data = data;
    customer.dataVersion = version ?? customer.dataVersion;
    customer.updatedAt = context.now;
    context.state.recordEvent({ type: 'customer-updated', objectType: 'Customer', objectId: customer.id, userId: context.principal.userId, at: context.now });
  }
  return reply(202);
}

const CUSTOMER_ORDERS = ['created_datetime:asc', 'created_datetime:desc', 'updated_datetime:asc', 'updated_datetime:desc'] as const;

/** Filters per 9.3 [C] S2; channel addresses match exactly, so send E.164 (9.3 [S] S5, normalisation unknown). */
function listCustomers(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, [
    'cursor', 'limit', 'order_by', 'email', 'external_id', 'name', 'language', 'timezone', 'view_id', 'channel_type', 'channel_address',
  ]);
  // The default order is created_datetime:desc per S5; S3 says by name (9.3 [!]).
  const params = readListParams(reader, CUSTOMER_ORDERS, 'created_datetime:desc');
  const filters = {
    email: reader.string('email')?.toLowerCase(),
    externalId: reader.string('external_id'),
    name: reader.string('name'),
    language: reader.string('language'),
    timezone: reader.string('timezone'),
    channelType: reader.string('channel_type'),
    channelAddress: reader.string('channel_address'),
  };
  const viewId = reader.int('view_id', { min: 1 });
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  if (viewId !== undefined) return notFound();
  const hasChannelFilter = filters.channelType !== undefined || filters.channelAddress !== undefined;
  const items = [...context.state.customers.values()].filter(
    (customer) =>
      (filters.email === undefined || customer.email?.toLowerCase() === filters.email) &&
      (filters.externalId === undefined || customer.externalId === filters.externalId) &&
      (filters.name === undefined || customer.name === filters.name) &&
      (filters.language === undefined || customer.language === filters.language) &&
      (filters.timezone === undefined || (customer.timezone ?? 'UTC') === filters.timezone) &&
      (!hasChannelFilter ||
        customer.channels.some(
          (channel) =>
            (filters.channelType === undefined || channel.type === filters.channelType) &&
            (filters.channelAddress === undefined || channel.address === filters.channelAddress),
        )),
  );
  const ordering: Ordering<CustomerRecord> = {
    keys: [{ value: (customer) => (params.orderBy.startsWith('updated') ? customer.updatedAt : customer.createdAt), direction: params.orderBy.endsWith(':asc') ? 'asc' : 'desc' }],
    idOf: (customer) => customer.id,
  };
  const signature = ['customers', params.orderBy, ...Object.values(filters)].join('|');
  const page = paginate({ items, ordering, limit: params.limit, cursor: params.cursor, signature });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map(viewCustomer), page.value.meta));
}
