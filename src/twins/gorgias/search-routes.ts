// `POST /api/search` (gorgias-rest-api.md, 9.5): 201 with `{data: [...]}`, `size` 1–50 (default 10).
// Phone searches match the address exactly: whether Gorgias normalises formats is unknown (16), so E.164 it is.
import { reply, validateBody, type ApiReply } from './api-reply.ts';
import { searchSchema } from './request-schemas.ts';
import type { Route, RouteContext } from './route-table.ts';
import type { CustomerRecord } from './twin-records.ts';
import type { SearchType } from './wire-enums.ts';
import { assertNever } from '../../shared/assert-never.ts';
import { viewCustomer, viewIntegration, viewTag, viewUser } from './wire-views.ts';

export const searchRoutes: readonly Route[] = [
  // A read despite the POST; one scope for every search type is our simplification [I].
  { method: 'POST', pattern: '/api/search', scope: 'customers:read', isWrite: false, handle: search },
];

function search(context: RouteContext): ApiReply {
  const parsed = validateBody(searchSchema, context.body, 'Invalid search');
  if (!parsed.ok) return parsed.error;
  const { type, query = '', size = 10 } = parsed.value;
  return reply(201, { data: findMatches(context, type, query).slice(0, size) });
}

function contains(haystack: string | null, needle: string): boolean {
  return haystack !== null && haystack.toLowerCase().includes(needle.toLowerCase());
}

function channelHits(customers: readonly CustomerRecord[], type: string | undefined, isMatch: (address: string) => boolean) {
  return customers.flatMap((customer) =>
    customer.channels
      .filter((channel) => (type === undefined || channel.type === type) && isMatch(channel.address))
      .map((channel) => ({ id: channel.id, type: channel.type, address: channel.address, customer: { id: customer.id, name: customer.name }, user: null })),
  );
}

/** Result shapes per 9.5 [S] S11: channel searches return channel hits, customer searches return customers [I]. */
function findMatches(context: RouteContext, type: SearchType, query: string): unknown[] {
  const { state } = context;
  const customers = [...state.customers.values()].sort((a, b) => a.id - b.id);
  switch (type) {
    case 'customer':
      return customers.filter((customer) => contains(customer.name, query) || contains(customer.email, query)).map(viewCustomer);
    case 'customer_profile':
      return customers
        .filter((customer) => contains(customer.name, query) || contains(customer.email, query) || customer.channels.some((channel) => contains(channel.address, query)))
        .map(viewCustomer);
    case 'customers_by_phone':
      return customers.filter((customer) => customer.channels.some((channel) => channel.type === 'phone' && channel.address === query)).map(viewCustomer);
    case 'customer_channel':
      return channelHits(customers, undefined, (address) => contains(address, query));
    case 'customer_channel_email':
      return channelHits(customers, 'email', (address) => contains(address, query));
    case 'customer_channel_phone':
      return channelHits(customers, 'phone', (address) => address === query);
    case 'agent':
      return [...state.users.values()].filter((user) => contains(user.name, query) || contains(user.email, query)).map(viewUser);
    case 'team':
      return [...state.teams.values()].filter((team) => contains(team.name, query)).map((team) => ({ id: team.id, name: team.name }));
    case 'tag':
      return [...state.tags.values()].filter((tag) => contains(tag.name, query)).map((tag) => viewTag(state, tag));
    case 'integration':
      return [...state.integrations.values()].filter((integration) => contains(integration.name, query)).map(viewIntegration);
    default:
      return assertNever(type, 'search type');
  }
}
