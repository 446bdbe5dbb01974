// Matches `/api/...` paths to twin routes. Path ids are integers, so `/api/tickets/abc` is a 404 like any
// unknown path (1 [C]: ids are integers); a known path with another method is a 405 (5, S7).
import type { ApiReply } from './api-reply.ts';
import type { Principal } from './twin-credentials.ts';
import type { TwinState } from './twin-state.ts';
import type { Micros } from './wire-datetime.ts';
import type { ApiScope } from './wire-enums.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type TwinSettings = { isViaRequired: boolean };

export type RouteContext = {
  state: TwinState;
  principal: Principal;
  /** Integer path parameters by name; `rest` holds a trailing wildcard. */
  params: Record<string, number>;
  rest: string;
  query: URLSearchParams;
  /** The path and query as received, for the list envelope's `uri`. */
  uri: string;
  /** Parsed JSON body; `undefined` when the request had none. */
  body: unknown;
  now: Micros;
  settings: TwinSettings;
};

export type Route = {
  method: HttpMethod;
  /** Segments such as `/api/tickets/:ticketId/tags`; a final `*` takes the rest of the path. */
  pattern: string;
  /** Null only for endpoints the twin does not emulate (they answer 501 to anyone authenticated). */
  scope: ApiScope | null;
  /** Defaults to every method but GET; search is a POST that only reads. */
  isWrite?: boolean;
  handle: (context: RouteContext) => ApiReply;
};

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, number>; rest: string }
  | { kind: 'wrong-method' }
  | { kind: 'none' };

export class RouteTable {
  #routes: { route: Route; segments: string[] }[] = [];

  add(routes: readonly Route[]): this {
    for (const route of routes) this.#routes.push({ route, segments: route.pattern.split('/').filter(Boolean) });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter(Boolean);
    let isPathKnown = false;
    for (const { route, segments } of this.#routes) {
      const bound = bindSegments(segments, parts);
      if (!bound) continue;
      isPathKnown = true;
      if (route.method === method) return { kind: 'found', route, ...bound };
    }
    return isPathKnown ? { kind: 'wrong-method' } : { kind: 'none' };
  }
}

function bindSegments(segments: readonly string[], parts: readonly string[]): { params: Record<string, number>; rest: string } | undefined {
  const params: Record<string, number> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment === '*') {
      const rest = parts.slice(index);
      return rest.length > 0 ? { params, rest: rest.join('/') } : undefined;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.startsWith(':')) {
      if (!/^\d{1,15}$/.test(part)) return undefined;
      params[segment.slice(1)] = Number(part);
    } else if (segment !== part) {
      return undefined;
    }
  }
  return parts.length === segments.length ? { params, rest: '' } : undefined;
}

export function isWriteRoute(route: Route): boolean {
  return route.isWrite ?? route.method !== 'GET';
}
