// Shopify's Admin GraphQL schema (2026-10) and its access-scope table, read from the committed introspection file.
// Never fetches anything: test/fixtures/shopify/README.md says where the file comes from and how to refresh it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { z } from 'zod';

export const ADMIN_SCHEMA_VERSION = '2026-10';

export const ADMIN_SCHEMA_PATH = fileURLToPath(new URL('../../../test/fixtures/shopify/admin_2026-10.json.gz', import.meta.url));

/** Scopes that grant access; any one of them is enough (twilio-and-shopify.md, B1 and B5). */
export type ScopeRule = { anyOf: readonly string[]; requiredAccess: string };

export type AdminSchema = {
  version: string;
  schema: GraphQLSchema;
  /** Keyed by type name (`Order`) or by `Type.field` (`Mutation.returnRequest`). */
  scopeRules: ReadonlyMap<string, ScopeRule>;
};

const scopeItemSchema = z.object({
  type: z.enum(['type', 'field']),
  typeName: z.string(),
  fieldName: z.string().optional(),
  requiredAccess: z.string().nullable().optional(),
  offlineScopes: z.array(z.string()),
});

// Loose objects: the introspection keeps every key (mutationType, directives, ...) for buildClientSchema.
const schemaFileSchema = z.looseObject({
  data: z.looseObject({ __schema: z.looseObject({ queryType: z.looseObject({ name: z.string() }), types: z.array(z.unknown()) }) }),
  offline_scopes: z.object({ items: z.array(scopeItemSchema) }).optional(),
});

function isIntrospection(value: unknown): value is IntrospectionQuery {
  return typeof value === 'object' && value !== null && '__schema' in value;
}

// Parsing ~11 MB of JSON takes ~200 ms; the result is immutable, so one copy per file serves every twin in the process.
const schemasByPath = new Map<string, AdminSchema>();

/** Loads (once per path) the introspection file; throws at start-up if the file is missing or malformed. */
export function loadAdminSchema(path: string = ADMIN_SCHEMA_PATH): AdminSchema {
  const cached = schemasByPath.get(path);
  if (cached) return cached;
  const raw: unknown = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
  const parsed = schemaFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a Shopify introspection file: ${parsed.error.message}`);
  const introspection: unknown = parsed.data.data;
  if (!isIntrospection(introspection)) throw new Error(`${path} has no __schema`);
  const scopeRules = new Map<string, ScopeRule>();
  for (const item of parsed.data.offline_scopes?.items ?? []) {
    if (item.offlineScopes.length === 0) continue;
    const key = item.type === 'type' ? item.typeName : `${item.typeName}.${item.fieldName ?? ''}`;
    scopeRules.set(key, { anyOf: [...new Set(item.offlineScopes)], requiredAccess: item.requiredAccess ?? '' });
  }
  const loaded: AdminSchema = { version: ADMIN_SCHEMA_VERSION, schema: buildClientSchema(introspection), scopeRules };
  schemasByPath.set(path, loaded);
  return loaded;
}
