// List filters for each Gorgias collection → query parameters (gorgias-rest-api.md, 4, 6.5, 8, 9.3, 10, 11, 12.1).
// Pure. Arrays become repeated keys (`ticket_ids=1&ticket_ids=2`); undefined filters are left out.

export type QueryParams = Readonly<Record<string, string | readonly string[]>>;

/** `cursor` is opaque and short-lived: never store it; `limit` is 1-100, default 30 (gorgias-rest-api.md, 4). */
export type PageRequest = { cursor?: string; limit?: number };

type CreatedOrder = 'created_datetime:asc' | 'created_datetime:desc';
type UpdatedOrder = 'updated_datetime:asc' | 'updated_datetime:desc';

export type TicketListFilter = PageRequest & {
  orderBy?: CreatedOrder | UpdatedOrder;
  customerId?: number;
  externalId?: string;
  viewId?: number;
  ruleId?: number;
  ticketIds?: readonly number[];
  /** Gorgias includes trashed tickets unless told otherwise (gorgias-rest-api.md, 6.5). */
  isTrashedIncluded?: boolean;
};

export type CustomerListFilter = PageRequest & {
  orderBy?: CreatedOrder | UpdatedOrder;
  email?: string;
  externalId?: string;
  name?: string;
  language?: string;
  timezone?: string;
  viewId?: number;
  /** With `channelAddress`: `phone` + an E.164 number finds a caller (gorgias-rest-api.md, 9.3). */
  channelType?: string;
  channelAddress?: string;
};

export type MessageListFilter = PageRequest & { orderBy?: CreatedOrder };

export type EventListFilter = PageRequest & {
  orderBy?: CreatedOrder;
  objectId?: number;
  objectType?: string;
  types?: readonly string[];
  userIds?: readonly number[];
  createdDatetime?: { gt?: string; gte?: string; lt?: string; lte?: string };
};

export type TagListFilter = PageRequest & { orderBy?: string; search?: string };
export type UserListFilter = PageRequest & { orderBy?: CreatedOrder };
export type IntegrationListFilter = PageRequest & { orderBy?: string; type?: string };
export type CustomFieldListFilter = PageRequest & { objectType: 'Ticket' | 'Customer'; search?: string; isArchived?: boolean };

export function ticketListQuery(filter: TicketListFilter = {}): QueryParams {
  return query({
    ...page(filter),
    customer_id: filter.customerId,
    external_id: filter.externalId,
    view_id: filter.viewId,
    rule_id: filter.ruleId,
    ticket_ids: filter.ticketIds,
    trashed: filter.isTrashedIncluded,
  });
}

export function customerListQuery(filter: CustomerListFilter = {}): QueryParams {
  return query({
    ...page(filter),
    email: filter.email,
    external_id: filter.externalId,
    name: filter.name,
    language: filter.language,
    timezone: filter.timezone,
    view_id: filter.viewId,
    channel_type: filter.channelType,
    channel_address: filter.channelAddress,
  });
}

export function messageListQuery(filter: MessageListFilter = {}): QueryParams {
  return query(page(filter));
}

export function eventListQuery(filter: EventListFilter = {}): QueryParams {
  const created = filter.createdDatetime ?? {};
  return query({
    ...page(filter),
    object_id: filter.objectId,
    object_type: filter.objectType,
    types: filter.types,
    user_ids: filter.userIds,
    'created_datetime[gt]': created.gt,
    'created_datetime[gte]': created.gte,
    'created_datetime[lt]': created.lt,
    'created_datetime[lte]': created.lte,
  });
}

export function tagListQuery(filter: TagListFilter = {}): QueryParams {
  return query({ ...page(filter), search: filter.search });
}

export function userListQuery(filter: UserListFilter = {}): QueryParams {
  return query(page(filter));
}

export function integrationListQuery(filter: IntegrationListFilter = {}): QueryParams {
  return query({ ...page(filter), type: filter.type });
}

export function customFieldListQuery(filter: CustomFieldListFilter): QueryParams {
  return query({ ...page(filter), object_type: filter.objectType, search: filter.search, archived: filter.isArchived });
}

/** Merge takes its two ids as query parameters, not in the body (gorgias-rest-api.md, 9.4). */
export function customerMergeQuery(sourceId: number, targetId: number): QueryParams {
  return query({ source_id: sourceId, target_id: targetId });
}

type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

function page(filter: PageRequest & { orderBy?: string }): Record<string, QueryValue> {
  return { cursor: filter.cursor, limit: filter.limit, order_by: filter.orderBy };
}

function query(values: Record<string, QueryValue>): QueryParams {
  const params: Record<string, string | readonly string[]> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    params[key] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return params;
}
