// Tickets, their messages, tags and custom field values (gorgias-rest-api.md, 6-8, 10).
// A create that carries an `external_id` is checked for landing before it is ever sent again (14).
import { ok, type Result } from '../shared/result.ts';
import { customFieldValueSchema, type GorgiasCustomFieldValue } from './gorgias-account-codec.ts';
import type { GorgiasError } from './errors.ts';
import { messageSchema, pageSchema, tagSchema, ticketSchema, type GorgiasMessage, type GorgiasTag, type GorgiasTicket, type Page } from './gorgias-codec.ts';
import { messageListQuery, ticketListQuery, type MessageListFilter, type TicketListFilter } from './gorgias-list-filters.ts';
import {
  encodeCreateMessage,
  encodeCreateTicket,
  encodeCustomFieldValues,
  encodeTagRefs,
  encodeUpdateTicket,
  type CreateMessageInput,
  type CreateTicketInput,
  type CustomFieldValueInput,
  type TagRefs,
  type UpdateTicketInput,
} from './gorgias-request-codec.ts';
import { collectAll, deleteResource, findRawItem, firstRawItem, iteratePages, readResource, sendDecoded, sendIgnoringBody } from './gorgias-resource-calls.ts';
import type { GorgiasTransport } from './gorgias-transport.ts';

export type FetchAllOptions = { maxItems?: number };

export type TicketApi = {
  /** A create recovered after a lost answer returns the ticket as listed (`messages: null`). */
  createTicket(input: CreateTicketInput): Promise<Result<GorgiasTicket, GorgiasError>>;
  getTicket(ticketId: number): Promise<Result<GorgiasTicket, GorgiasError>>;
  updateTicket(ticketId: number, input: UpdateTicketInput): Promise<Result<GorgiasTicket, GorgiasError>>;
  deleteTicket(ticketId: number): Promise<Result<void, GorgiasError>>;
  listTickets(filter?: TicketListFilter): Promise<Result<Page<GorgiasTicket>, GorgiasError>>;
  iterateTickets(filter?: TicketListFilter): AsyncGenerator<Result<GorgiasTicket, GorgiasError>>;
  fetchAllTickets(filter?: TicketListFilter, options?: FetchAllOptions): Promise<Result<GorgiasTicket[], GorgiasError>>;
  /** The oldest ticket with this `external_id`; Gorgias does not keep it unique (gorgias-rest-api.md, 14). */
  findTicketByExternalId(externalId: string): Promise<Result<GorgiasTicket | null, GorgiasError>>;

  createMessage(ticketId: number, input: CreateMessageInput, options?: { action?: 'force' | 'retry' | 'cancel' }): Promise<Result<GorgiasMessage, GorgiasError>>;
  getMessage(ticketId: number, messageId: number): Promise<Result<GorgiasMessage, GorgiasError>>;
  listMessages(ticketId: number, filter?: MessageListFilter): Promise<Result<Page<GorgiasMessage>, GorgiasError>>;
  iterateMessages(ticketId: number, filter?: MessageListFilter): AsyncGenerator<Result<GorgiasMessage, GorgiasError>>;
  fetchAllMessages(ticketId: number, filter?: MessageListFilter, options?: FetchAllOptions): Promise<Result<GorgiasMessage[], GorgiasError>>;

  listTicketTags(ticketId: number): Promise<Result<GorgiasTag[], GorgiasError>>;
  /** Adds to the ticket's tags; unknown names are created (gorgias-rest-api.md, 8). */
  addTicketTags(ticketId: number, tags: TagRefs): Promise<Result<void, GorgiasError>>;
  /** Replaces all of the ticket's tags. */
  replaceTicketTags(ticketId: number, tags: TagRefs): Promise<Result<void, GorgiasError>>;
  removeTicketTags(ticketId: number, tags: TagRefs): Promise<Result<void, GorgiasError>>;

  listTicketCustomFields(ticketId: number): Promise<Result<GorgiasCustomFieldValue[], GorgiasError>>;
  /** Sets the given fields; fields not sent are unchanged (gorgias-rest-api.md, 10). */
  setTicketCustomFields(ticketId: number, values: readonly CustomFieldValueInput[]): Promise<Result<void, GorgiasError>>;
  deleteTicketCustomField(ticketId: number, fieldId: number): Promise<Result<void, GorgiasError>>;
};

const ticketPage = pageSchema(ticketSchema);
const messagePage = pageSchema(messageSchema);
const tagList = pageSchema(tagSchema).transform((page) => page.items);
const fieldValueList = pageSchema(customFieldValueSchema).transform((page) => page.items);
const SAFE = { kind: 'safe' } as const;

export function createTicketApi(http: GorgiasTransport): TicketApi {
  const listTickets = (filter?: TicketListFilter) => readResource(http, '/tickets', ticketPage, 'ticket list', ticketListQuery(filter));
  const listMessages = (ticketId: number, filter?: MessageListFilter) =>
    readResource(http, `/tickets/${ticketId}/messages`, messagePage, 'message list', messageListQuery(filter));
  const iterateTickets = (filter: TicketListFilter = {}) => iteratePages((cursor) => listTickets({ ...filter, ...(cursor ? { cursor } : {}) }), filter);
  const iterateMessages = (ticketId: number, filter: MessageListFilter = {}) =>
    iteratePages((cursor) => listMessages(ticketId, { ...filter, ...(cursor ? { cursor } : {}) }), filter);
  const byExternalId = (externalId: string) => ticketListQuery({ externalId, orderBy: 'created_datetime:asc', limit: 1 });

  return {
    async createTicket(input) {
      const body = encodeCreateTicket(input);
      if (!body.ok) return body;
      const externalId = input.externalId;
      const replay = externalId ? { kind: 'probe' as const, landed: () => firstRawItem(http, '/tickets', byExternalId(externalId)) } : { kind: 'never' as const };
      return sendDecoded(http, { method: 'POST', path: '/tickets', body: body.value, replay }, ticketSchema, 'ticket');
    },
    getTicket: (ticketId) => readResource(http, `/tickets/${ticketId}`, ticketSchema, 'ticket'),
    updateTicket: (ticketId, input) =>
      sendDecoded(http, { method: 'PUT', path: `/tickets/${ticketId}`, body: encodeUpdateTicket(input), replay: SAFE }, ticketSchema, 'ticket'),
    deleteTicket: (ticketId) => deleteResource(http, `/tickets/${ticketId}`),
    listTickets,
    iterateTickets,
    fetchAllTickets: (filter, options) => collectAll(iterateTickets(filter), options?.maxItems),
    async findTicketByExternalId(externalId) {
      const page = await listTickets({ externalId, orderBy: 'created_datetime:asc', limit: 1 });
      return page.ok ? ok(page.value.items[0] ?? null) : page;
    },

    async createMessage(ticketId, input, options) {
      const body = encodeCreateMessage(input);
      if (!body.ok) return body;
      const externalId = input.externalId;
      const replay = externalId ? { kind: 'probe' as const, landed: () => findRawItem(http, `/tickets/${ticketId}/messages`, (cursor) => messageListQuery({ limit: 100, ...(cursor ? { cursor } : {}) }), externalId) } : { kind: 'never' as const };
      const query = options?.action ? { action: options.action } : undefined;
      return sendDecoded(http, { method: 'POST', path: `/tickets/${ticketId}/messages`, body: body.value, replay, ...(query ? { query } : {}) }, messageSchema, 'message');
    },
    getMessage: (ticketId, messageId) => readResource(http, `/tickets/${ticketId}/messages/${messageId}`, messageSchema, 'message'),
    listMessages,
    iterateMessages,
    fetchAllMessages: (ticketId, filter, options) => collectAll(iterateMessages(ticketId, filter), options?.maxItems),

    listTicketTags: (ticketId) => readResource(http, `/tickets/${ticketId}/tags`, tagList, 'ticket tags'),
    addTicketTags: (ticketId, tags) => changeTags(http, 'POST', ticketId, tags),
    replaceTicketTags: (ticketId, tags) => changeTags(http, 'PUT', ticketId, tags),
    removeTicketTags: (ticketId, tags) => changeTags(http, 'DELETE', ticketId, tags),

    listTicketCustomFields: (ticketId) => readResource(http, `/tickets/${ticketId}/custom-fields`, fieldValueList, 'ticket custom fields'),
    setTicketCustomFields: (ticketId, values) =>
      sendIgnoringBody(http, { method: 'PUT', path: `/tickets/${ticketId}/custom-fields`, body: encodeCustomFieldValues(values), replay: SAFE }),
    deleteTicketCustomField: (ticketId, fieldId) => deleteResource(http, `/tickets/${ticketId}/custom-fields/${fieldId}`),
  };
}

// Adding, setting and removing tags are all idempotent, so each may be repeated after a lost answer.
async function changeTags(http: GorgiasTransport, method: 'POST' | 'PUT' | 'DELETE', ticketId: number, tags: TagRefs): Promise<Result<void, GorgiasError>> {
  const body = encodeTagRefs(tags);
  if (!body.ok) return body;
  return sendIgnoringBody(http, { method, path: `/tickets/${ticketId}/tags`, body: body.value, replay: SAFE });
}
