// Customers: create, read, update, delete, list by email, external id or phone channel, merge, and search.
// Only the primary email is unique (409); a customer create is checked for landing by external id or email (9, 14).
import { ok, type Result } from '../shared/result.ts';
import { searchResultSchema, type GorgiasSearchHit } from './gorgias-account-codec.ts';
import type { GorgiasError } from './errors.ts';
import { customerSchema, pageSchema, type GorgiasCustomer, type Page } from './gorgias-codec.ts';
import { customerListQuery, customerMergeQuery, type CustomerListFilter } from './gorgias-list-filters.ts';
import {
  encodeCreateCustomer,
  encodeCustomerData,
  encodeSearch,
  encodeUpdateCustomer,
  type CreateCustomerInput,
  type SearchInput,
  type UpdateCustomerInput,
} from './gorgias-request-codec.ts';
import { collectAll, deleteResource, firstRawItem, iteratePages, readResource, sendDecoded, sendIgnoringBody } from './gorgias-resource-calls.ts';
import type { FetchAllOptions } from './gorgias-ticket-api.ts';
import type { GorgiasTransport } from './gorgias-transport.ts';

export type CustomerApi = {
  /** A create recovered after a lost answer returns the customer found by its external id or email. */
  createCustomer(input: CreateCustomerInput): Promise<Result<GorgiasCustomer, GorgiasError>>;
  getCustomer(customerId: number): Promise<Result<GorgiasCustomer, GorgiasError>>;
  /** Sending `channels` replaces the whole list: resend the existing ones to add one (gorgias-rest-api.md, 9.3). */
  updateCustomer(customerId: number, input: UpdateCustomerInput): Promise<Result<GorgiasCustomer, GorgiasError>>;
  deleteCustomer(customerId: number): Promise<Result<void, GorgiasError>>;
  deleteCustomers(customerIds: readonly number[]): Promise<Result<void, GorgiasError>>;
  listCustomers(filter?: CustomerListFilter): Promise<Result<Page<GorgiasCustomer>, GorgiasError>>;
  iterateCustomers(filter?: CustomerListFilter): AsyncGenerator<Result<GorgiasCustomer, GorgiasError>>;
  fetchAllCustomers(filter?: CustomerListFilter, options?: FetchAllOptions): Promise<Result<GorgiasCustomer[], GorgiasError>>;
  /** Customers holding this phone channel; send E.164, matching is exact (gorgias-rest-api.md, 9.3). */
  findCustomersByPhone(phoneE164: string): Promise<Result<GorgiasCustomer[], GorgiasError>>;
  findCustomerByEmail(email: string): Promise<Result<GorgiasCustomer | null, GorgiasError>>;
  /** Merges `sourceId` into `targetId` and deletes the source; irreversible, so never repeated blindly (9.4). */
  mergeCustomers(input: { sourceId: number; targetId: number; data?: UpdateCustomerInput }): Promise<Result<GorgiasCustomer, GorgiasError>>;
  setCustomerData(customerId: number, data: unknown, version?: string): Promise<Result<void, GorgiasError>>;
  search(input: SearchInput): Promise<Result<GorgiasSearchHit[], GorgiasError>>;
};

const customerPage = pageSchema(customerSchema);
const SAFE = { kind: 'safe' } as const;

export function createCustomerApi(http: GorgiasTransport): CustomerApi {
  const listCustomers = (filter?: CustomerListFilter) => readResource(http, '/customers', customerPage, 'customer list', customerListQuery(filter));
  const iterateCustomers = (filter: CustomerListFilter = {}) =>
    iteratePages((cursor) => listCustomers({ ...filter, ...(cursor ? { cursor } : {}) }), filter);

  return {
    async createCustomer(input) {
      const body = encodeCreateCustomer(input);
      if (!body.ok) return body;
      const identity = input.externalId ? { externalId: input.externalId } : input.email ? { email: input.email } : null;
      const replay = identity
        ? { kind: 'probe' as const, landed: () => firstRawItem(http, '/customers', customerListQuery({ ...identity, limit: 1 })) }
        : { kind: 'never' as const };
      return sendDecoded(http, { method: 'POST', path: '/customers', body: body.value, replay }, customerSchema, 'customer');
    },
    getCustomer: (customerId) => readResource(http, `/customers/${customerId}`, customerSchema, 'customer'),
    async updateCustomer(customerId, input) {
      const body = encodeUpdateCustomer(input);
      if (!body.ok) return body;
      return sendDecoded(http, { method: 'PUT', path: `/customers/${customerId}`, body: body.value, replay: SAFE }, customerSchema, 'customer');
    },
    deleteCustomer: (customerId) => deleteResource(http, `/customers/${customerId}`),
    deleteCustomers: (customerIds) => deleteResource(http, '/customers', { ids: customerIds }),
    listCustomers,
    iterateCustomers,
    fetchAllCustomers: (filter, options) => collectAll(iterateCustomers(filter), options?.maxItems),
    async findCustomersByPhone(phoneE164) {
      const page = await listCustomers({ channelType: 'phone', channelAddress: phoneE164, orderBy: 'created_datetime:asc', limit: 10 });
      return page.ok ? ok(page.value.items) : page;
    },
    async findCustomerByEmail(email) {
      const page = await listCustomers({ email, limit: 1 });
      return page.ok ? ok(page.value.items[0] ?? null) : page;
    },
    async mergeCustomers({ sourceId, targetId, data }) {
      const body = encodeUpdateCustomer(data ?? {});
      if (!body.ok) return body;
      const query = customerMergeQuery(sourceId, targetId);
      return sendDecoded(http, { method: 'PUT', path: '/customers/merge', query, body: body.value, replay: { kind: 'never' } }, customerSchema, 'merged customer');
    },
    setCustomerData: (customerId, data, version) =>
      sendIgnoringBody(http, { method: 'PUT', path: `/customers/${customerId}/data`, body: encodeCustomerData(data, version), replay: SAFE }),
    async search(input) {
      const body = encodeSearch(input);
      if (!body.ok) return body;
      // Search only reads, so a POST to it may be repeated (gorgias-rest-api.md, 9.5).
      return sendDecoded(http, { method: 'POST', path: '/search', body: body.value, replay: SAFE }, searchResultSchema, 'search');
    },
  };
}
