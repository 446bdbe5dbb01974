// Relay-style pagination for the twin's connections (first/last/after/before/reverse), as Shopify's Admin API pages.
// Pure; the cursor is opaque to clients and only has to round-trip through this module.
import { GraphQLError } from 'graphql';

export type ConnectionArgs = { first?: number | null; last?: number | null; after?: string | null; before?: string | null; reverse?: boolean | null };

export type Connection<N> = {
  nodes: N[];
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};

function encodeCursor(index: number): string {
  return Buffer.from(`twin:${index}`).toString('base64url');
}

function decodeCursor(cursor: string): number | null {
  const match = /^twin:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

/** Shopify refuses a connection asked for without `first` or `last`. */
export function requirePageSize(args: ConnectionArgs): void {
  if ((args.first === undefined || args.first === null) && (args.last === undefined || args.last === null)) {
    throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  }
}

export function paginate<T, N>(items: readonly T[], args: ConnectionArgs, toNode: (item: T) => N): Connection<N> {
  requirePageSize(args);
  const ordered = args.reverse ? [...items].reverse() : [...items];
  let start = 0;
  let end = ordered.length;
  const after = args.after ? decodeCursor(args.after) : null;
  const before = args.before ? decodeCursor(args.before) : null;
  if (after !== null) start = Math.max(start, after + 1);
  if (before !== null) end = Math.min(end, before);
  if (typeof args.first === 'number') end = Math.min(end, start + Math.max(0, args.first));
  if (typeof args.last === 'number') start = Math.max(start, end - Math.max(0, args.last));
  const window = ordered.slice(start, end).map((item, offset) => ({ cursor: encodeCursor(start + offset), node: toNode(item) }));
  return {
    nodes: window.map((edge) => edge.node),
    edges: window,
    pageInfo: {
      hasNextPage: end < ordered.length,
      hasPreviousPage: start > 0,
      startCursor: window[0]?.cursor ?? null,
      endCursor: window[window.length - 1]?.cursor ?? null,
    },
  };
}
