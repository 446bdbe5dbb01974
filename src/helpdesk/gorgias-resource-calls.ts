// Typed calls over the transport: send, decode the answer with its schema, and walk cursor-paginated lists.
// Shared by the ticket, customer and account APIs so each of their methods stays one statement.
import type { z } from 'zod';
import { err, ok, type Result } from '../shared/result.ts';
import type { GorgiasError } from './errors.ts';
import { decodeBody, findRawByExternalId, rawPageSchema, type Page } from './gorgias-codec.ts';
import type { PageRequest, QueryParams } from './gorgias-list-filters.ts';
import type { GorgiasRequest, GorgiasTransport } from './gorgias-transport.ts';

const SAFE = { kind: 'safe' } as const;

export function readResource<T extends z.ZodType>(http: GorgiasTransport, path: string, schema: T, what: string, query?: QueryParams): Promise<Result<z.output<T>, GorgiasError>> {
  return sendDecoded(http, { method: 'GET', path, replay: SAFE, ...(query ? { query } : {}) }, schema, what);
}

export async function sendDecoded<T extends z.ZodType>(http: GorgiasTransport, req: GorgiasRequest, schema: T, what: string): Promise<Result<z.output<T>, GorgiasError>> {
  const sent = await http.send(req);
  return sent.ok ? decodeBody(schema, sent.value.body, what) : sent;
}

/** For answers with no body we need (tags 201/202, deletes 204, bulk field updates). */
export async function sendIgnoringBody(http: GorgiasTransport, req: GorgiasRequest): Promise<Result<void, GorgiasError>> {
  const sent = await http.send(req);
  return sent.ok ? ok(undefined) : sent;
}

/** A delete that is repeated after a lost answer may find the resource already gone: that is success. */
export async function deleteResource(http: GorgiasTransport, path: string, body?: unknown): Promise<Result<void, GorgiasError>> {
  const sent = await http.send({ method: 'DELETE', path, replay: SAFE, ...(body === undefined ? {} : { body }) });
  return sent.ok || sent.error.code === 'not_found' ? ok(undefined) : sent;
}

/** The first raw item of a filtered list, for checking whether a create landed (gorgias-rest-api.md, 14). */
export async function firstRawItem(http: GorgiasTransport, path: string, query: QueryParams): Promise<Result<unknown, GorgiasError>> {
  const page = await readResource(http, path, rawPageSchema, 'list', query);
  return page.ok ? ok(page.value.items[0]) : page;
}

/** Walks a whole list for the raw item carrying `externalId`, when the list cannot filter on it. */
export async function findRawItem(
  http: GorgiasTransport,
  path: string,
  pageQuery: (cursor: string | undefined) => QueryParams,
  externalId: string,
): Promise<Result<unknown, GorgiasError>> {
  const pages = iteratePages((cursor) => readResource(http, path, rawPageSchema, 'list', pageQuery(cursor)));
  for await (const item of pages) {
    if (!item.ok) return item;
    if (findRawByExternalId([item.value], externalId) !== undefined) return ok(item.value);
  }
  return ok(undefined);
}

/** Yields every item across pages; an error is yielded once, last. Cursors are followed, never stored. */
export async function* iteratePages<T>(fetchPage: (cursor: string | undefined) => Promise<Result<Page<T>, GorgiasError>>, start?: PageRequest): AsyncGenerator<Result<T, GorgiasError>> {
  let cursor = start?.cursor;
  for (;;) {
    const page = await fetchPage(cursor);
    if (!page.ok) {
      yield page;
      return;
    }
    for (const item of page.value.items) yield ok(item);
    if (!page.value.nextCursor || page.value.items.length === 0) return;
    cursor = page.value.nextCursor;
  }
}

/** Collects an iterator; `maxItems` guards against an unbounded walk over a large account. */
export async function collectAll<T>(items: AsyncIterable<Result<T, GorgiasError>>, maxItems = 10_000): Promise<Result<T[], GorgiasError>> {
  const all: T[] = [];
  for await (const item of items) {
    if (!item.ok) return err(item.error);
    all.push(item.value);
    if (all.length >= maxItems) break;
  }
  return ok(all);
}
