// Cursor pagination and the list envelope (gorgias-rest-api.md, 4 [C]): keyset cursors, so each item is seen once
// even when items are created between pages. Cursors are opaque and bound to one list query. Pure.
import { z } from 'zod';
import { err, ok, type Result } from '../../shared/result.ts';
import type { ErrorData } from './api-reply.ts';
import type { QueryReader } from './query-reader.ts';

export type SortKey<T> = { value: (item: T) => number | string; direction: 'asc' | 'desc' };
/** Ties break on the id, in the direction of the first key. */
export type Ordering<T> = { keys: readonly SortKey<T>[]; idOf: (item: T) => number };

export type PageMeta = { prev_cursor: string | null; next_cursor: string | null; total_resources: null };
export type ListEnvelope<V> = { object: 'list'; uri: string; data: V[]; meta: PageMeta };

/** `limit`: default 30, 1–100 (4 [S] S3/S5). */
export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

const cursorSchema = z.strictObject({
  v: z.literal(1),
  s: z.string(),
  d: z.enum(['next', 'prev']),
  k: z.array(z.union([z.number(), z.string()])),
});
type CursorBody = z.infer<typeof cursorSchema>;

export type ListParams = { limit: number; cursor: string | undefined; orderBy: string };

/** Reads `limit`, `cursor` and `order_by` (one of `orderings`, else `defaultOrder`). */
export function readListParams(reader: QueryReader, orderings: readonly string[], defaultOrder: string): ListParams {
  return {
    limit: reader.int('limit', { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LIMIT,
    cursor: reader.string('cursor'),
    orderBy: reader.oneOf('order_by', orderings) ?? defaultOrder,
  };
}

export function paginate<T>(input: {
  items: readonly T[];
  ordering: Ordering<T>;
  limit: number;
  cursor: string | undefined;
  /** What the cursor is bound to: the endpoint, order and filters. */
  signature: string;
}): Result<{ page: T[]; meta: PageMeta }, ErrorData> {
  const { ordering, limit } = input;
  const sorted = [...input.items].sort((a, b) => compareTuples(tupleOf(ordering, a), tupleOf(ordering, b), ordering));
  const signature = hashSignature(input.signature);
  let start = 0;
  let end = Math.min(sorted.length, limit);
  if (input.cursor !== undefined) {
    const decoded = decodeCursor(input.cursor);
    if (!decoded || decoded.s !== signature || decoded.k.length !== ordering.keys.length + 1) {
      return err({ cursor: ['Invalid cursor.'] });
    }
    const position = decoded.k;
    if (decoded.d === 'next') {
      start = sorted.findIndex((item) => compareTuples(tupleOf(ordering, item), position, ordering) > 0);
      if (start < 0) start = sorted.length;
      end = Math.min(sorted.length, start + limit);
    } else {
      end = sorted.findIndex((item) => compareTuples(tupleOf(ordering, item), position, ordering) >= 0);
      if (end < 0) end = sorted.length;
      start = Math.max(0, end - limit);
    }
  }
  const page = sorted.slice(start, end);
  const first = page[0];
  const last = page.at(-1);
  return ok({
    page,
    meta: {
      prev_cursor: first !== undefined && start > 0 ? encodeCursor({ v: 1, s: signature, d: 'prev', k: tupleOf(ordering, first) }) : null,
      next_cursor: last !== undefined && end < sorted.length ? encodeCursor({ v: 1, s: signature, d: 'next', k: tupleOf(ordering, last) }) : null,
      total_resources: null,
    },
  });
}

export function listEnvelope<V>(uri: string, data: V[], meta: PageMeta): ListEnvelope<V> {
  return { object: 'list', uri, data, meta };
}

function tupleOf<T>(ordering: Ordering<T>, item: T): (number | string)[] {
  return [...ordering.keys.map((key) => key.value(item)), ordering.idOf(item)];
}

function compareTuples<T>(left: readonly (number | string)[], right: readonly (number | string)[], ordering: Ordering<T>): number {
  for (const [index, leftValue] of left.entries()) {
    const rightValue = right[index];
    if (rightValue === undefined || leftValue === rightValue) continue;
    const direction = ordering.keys[index]?.direction ?? ordering.keys[0]?.direction ?? 'asc';
    const order = leftValue < rightValue ? -1 : 1;
    return direction === 'asc' ? order : -order;
  }
  return 0;
}

function encodeCursor(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function decodeCursor(text: string): CursorBody | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** FNV-1a, to keep cursors short while binding them to their query. */
function hashSignature(signature: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < signature.length; index += 1) {
    hash ^= signature.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
