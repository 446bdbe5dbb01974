// The account's own objects: the account, users, events, tags, custom field definitions, HTTP integrations, files.
// Plus `raw` for any endpoint this client does not type (gorgias-rest-api.md, 1.1).
import { err, ok, type Result } from '../shared/result.ts';
import {
  accountSchema,
  customFieldSchema,
  eventSchema,
  integrationSchema,
  userSchema,
  type GorgiasAccount,
  type GorgiasCustomField,
  type GorgiasEvent,
  type GorgiasIntegration,
  type GorgiasUser,
} from './gorgias-account-codec.ts';
import { gorgiasError, type GorgiasError } from './errors.ts';
import { pageSchema, tagSchema, type GorgiasTag, type Page } from './gorgias-codec.ts';
import {
  customFieldListQuery,
  eventListQuery,
  integrationListQuery,
  tagListQuery,
  userListQuery,
  type CustomFieldListFilter,
  type EventListFilter,
  type IntegrationListFilter,
  type QueryParams,
  type TagListFilter,
  type UserListFilter,
} from './gorgias-list-filters.ts';
import { encodeCreateTag, encodeHttpIntegration, type CreateTagInput, type HttpIntegrationInput } from './gorgias-request-codec.ts';
import { collectAll, deleteResource, iteratePages, readResource, sendDecoded } from './gorgias-resource-calls.ts';
import type { FetchAllOptions } from './gorgias-ticket-api.ts';
import type { GorgiasTransport } from './gorgias-transport.ts';

export type DownloadedFile = { bytes: Uint8Array; contentType: string | null };
export type RawAnswer = { status: number; body: unknown };

export type AccountApi = {
  getAccount(): Promise<Result<GorgiasAccount, GorgiasError>>;
  listUsers(filter?: UserListFilter): Promise<Result<Page<GorgiasUser>, GorgiasError>>;
  iterateUsers(filter?: UserListFilter): AsyncGenerator<Result<GorgiasUser, GorgiasError>>;
  fetchAllUsers(filter?: UserListFilter, options?: FetchAllOptions): Promise<Result<GorgiasUser[], GorgiasError>>;
  getUser(userId: number): Promise<Result<GorgiasUser, GorgiasError>>;
  listEvents(filter?: EventListFilter): Promise<Result<Page<GorgiasEvent>, GorgiasError>>;
  iterateEvents(filter?: EventListFilter): AsyncGenerator<Result<GorgiasEvent, GorgiasError>>;
  fetchAllEvents(filter?: EventListFilter, options?: FetchAllOptions): Promise<Result<GorgiasEvent[], GorgiasError>>;
  getEvent(eventId: number): Promise<Result<GorgiasEvent, GorgiasError>>;
  listTags(filter?: TagListFilter): Promise<Result<Page<GorgiasTag>, GorgiasError>>;
  iterateTags(filter?: TagListFilter): AsyncGenerator<Result<GorgiasTag, GorgiasError>>;
  getTag(tagId: number): Promise<Result<GorgiasTag, GorgiasError>>;
  /** Not repeated after a lost answer: tag names are not unique keys we could check by. */
  createTag(input: CreateTagInput): Promise<Result<GorgiasTag, GorgiasError>>;
  deleteTag(tagId: number): Promise<Result<void, GorgiasError>>;
  listCustomFields(filter: CustomFieldListFilter): Promise<Result<Page<GorgiasCustomField>, GorgiasError>>;
  listIntegrations(filter?: IntegrationListFilter): Promise<Result<Page<GorgiasIntegration>, GorgiasError>>;
  iterateIntegrations(filter?: IntegrationListFilter): AsyncGenerator<Result<GorgiasIntegration, GorgiasError>>;
  getIntegration(integrationId: number): Promise<Result<GorgiasIntegration, GorgiasError>>;
  createHttpIntegration(input: HttpIntegrationInput): Promise<Result<GorgiasIntegration, GorgiasError>>;
  deleteIntegration(integrationId: number): Promise<Result<void, GorgiasError>>;
  /** A file by absolute URL or API path; credentials are sent only to the account's own origin. */
  downloadFile(url: string): Promise<Result<DownloadedFile, GorgiasError>>;
  /** Any endpoint, untyped. A POST is never repeated after a lost answer. */
  raw(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, query?: QueryParams): Promise<Result<RawAnswer, GorgiasError>>;
};

const userPage = pageSchema(userSchema);
const eventPage = pageSchema(eventSchema);
const tagPage = pageSchema(tagSchema);
const fieldPage = pageSchema(customFieldSchema);
const integrationPage = pageSchema(integrationSchema);

export function createAccountApi(http: GorgiasTransport): AccountApi {
  const listUsers = (filter?: UserListFilter) => readResource(http, '/users', userPage, 'user list', userListQuery(filter));
  const listEvents = (filter?: EventListFilter) => readResource(http, '/events', eventPage, 'event list', eventListQuery(filter));
  const listTags = (filter?: TagListFilter) => readResource(http, '/tags', tagPage, 'tag list', tagListQuery(filter));
  const listIntegrations = (filter?: IntegrationListFilter) => readResource(http, '/integrations', integrationPage, 'integration list', integrationListQuery(filter));
  const iterateUsers = (filter: UserListFilter = {}) => iteratePages((cursor) => listUsers({ ...filter, ...(cursor ? { cursor } : {}) }), filter);
  const iterateEvents = (filter: EventListFilter = {}) => iteratePages((cursor) => listEvents({ ...filter, ...(cursor ? { cursor } : {}) }), filter);

  return {
    getAccount: () => readResource(http, '/account', accountSchema, 'account'),
    listUsers,
    iterateUsers,
    fetchAllUsers: (filter, options) => collectAll(iterateUsers(filter), options?.maxItems),
    getUser: (userId) => readResource(http, `/users/${userId}`, userSchema, 'user'),
    listEvents,
    iterateEvents,
    fetchAllEvents: (filter, options) => collectAll(iterateEvents(filter), options?.maxItems),
    getEvent: (eventId) => readResource(http, `/events/${eventId}`, eventSchema, 'event'),
    listTags,
    iterateTags: (filter = {}) => iteratePages((cursor) => listTags({ ...filter, ...(cursor ? { cursor } : {}) }), filter),
    getTag: (tagId) => readResource(http, `/tags/${tagId}`, tagSchema, 'tag'),
    createTag: (input) => sendDecoded(http, { method: 'POST', path: '/tags', body: encodeCreateTag(input), replay: { kind: 'never' } }, tagSchema, 'tag'),
    deleteTag: (tagId) => deleteResource(http, `/tags/${tagId}`),
    listCustomFields: (filter) => readResource(http, '/custom-fields', fieldPage, 'custom field list', customFieldListQuery(filter)),
    listIntegrations,
    iterateIntegrations: (filter = {}) => iteratePages((cursor) => listIntegrations({ ...filter, ...(cursor ? { cursor } : {}) }), filter),
    getIntegration: (integrationId) => readResource(http, `/integrations/${integrationId}`, integrationSchema, 'integration'),
    createHttpIntegration: (input) =>
      sendDecoded(http, { method: 'POST', path: '/integrations', body: encodeHttpIntegration(input), replay: { kind: 'never' } }, integrationSchema, 'integration'),
    deleteIntegration: (integrationId) => deleteResource(http, `/integrations/${integrationId}`),
    async downloadFile(url) {
      const sent = await http.send({ method: 'GET', path: url, replay: { kind: 'safe' }, as: 'bytes' });
      if (!sent.ok) return sent;
      const bytes = sent.value.body;
      if (!(bytes instanceof Uint8Array)) return err(gorgiasError('bad_response', 'Gorgias file download returned no bytes'));
      return ok({ bytes, contentType: sent.value.contentType });
    },
    async raw(method, path, body, query) {
      const replay = method === 'POST' ? ({ kind: 'never' } as const) : ({ kind: 'safe' } as const);
      const sent = await http.send({ method, path, replay, ...(body === undefined ? {} : { body }), ...(query ? { query } : {}) });
      return sent.ok ? ok({ status: sent.value.status, body: sent.value.body }) : sent;
    },
  };
}
