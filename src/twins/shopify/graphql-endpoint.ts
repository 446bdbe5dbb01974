// One Admin GraphQL request, answered the way Shopify does: parse, validate against the real schema, coerce variables,
// price the query, check the bucket, execute over the twin's store (B4). No HTTP here; shopify-twin.ts owns the wire.
import {
  GraphQLError,
  defaultFieldResolver,
  executeSync,
  getNamedType,
  getOperationAST,
  getVariableValues,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
} from 'graphql';
import { z } from 'zod';
import type { AdminSchema, ScopeRule } from './admin-schema.ts';
import { THROTTLED_ERROR, maxCostExceeded, syntaxError, validateDocument, variableError, type ShopifyGraphqlError } from './graphql-errors.ts';
import type { LeakyBucket, ThrottleStatus } from './leaky-bucket.ts';
import { actualQueryCost, requestedQueryCost, type CostInput } from './query-cost.ts';
import type { TwinRoots } from './twin-root.ts';

/** "A single query may not exceed a cost of 1,000 points, regardless of plan limits" (B4). */
export const MAX_QUERY_COST = 1000;

export type GraphqlAnswer = {
  status: number;
  body: unknown;
  operationName: string | null;
  requestedQueryCost: number | null;
  isThrottled: boolean;
};

export type QueryCost = { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };

const requestBodySchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

/** What Shopify answers when the body carries no usable `query` (B4, HTTP 400). */
export const MISSING_QUERY_BODY = { errors: { query: 'Required parameter missing or invalid' } };

function errorsOnly(errors: ShopifyGraphqlError[], operationName: string | null): GraphqlAnswer {
  return { status: 200, body: { errors }, operationName, requestedQueryCost: null, isThrottled: false };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

function isGranted(rule: ScopeRule | undefined, granted: ReadonlySet<string>): boolean {
  return !rule || rule.anyOf.some((scope) => granted.has(scope));
}

function shapeExecutionError(error: GraphQLError): ShopifyGraphqlError {
  const json = error.toJSON();
  const code = typeof json.extensions?.code === 'string' ? json.extensions.code : 'INTERNAL_SERVER_ERROR';
  return { ...json, extensions: { ...json.extensions, code } };
}

export class GraphqlEndpoint {
  #admin: AdminSchema;
  #roots: TwinRoots;
  #bucket: LeakyBucket;

  constructor(admin: AdminSchema, roots: TwinRoots, bucket: LeakyBucket) {
    this.#admin = admin;
    this.#roots = roots;
    this.#bucket = bucket;
  }

  answer(rawBody: unknown, grantedScopes: ReadonlySet<string>, options: { isForcedThrottle: boolean }): GraphqlAnswer {
    const body = requestBodySchema.safeParse(rawBody);
    if (!body.success) return { status: 400, body: MISSING_QUERY_BODY, operationName: null, requestedQueryCost: null, isThrottled: false };
    const operationName = body.data.operationName ?? null;
    let document: DocumentNode;
    try {
      document = parse(body.data.query);
    } catch (error) {
      if (error instanceof GraphQLError) return errorsOnly([syntaxError(error)], operationName);
      throw error;
    }
    const schema = this.#admin.schema;
    const validationErrors = validateDocument(schema, document);
    if (validationErrors.length > 0) return errorsOnly(validationErrors, operationName);
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      const message = operationName ? `No operation named "${operationName}"` : 'An operation name is required';
      return errorsOnly([{ message, extensions: { code: 'OPERATION_NOT_FOUND' } }], operationName);
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], body.data.variables ?? {});
    if (coerced.errors) return errorsOnly(coerced.errors.map(variableError), operation.name?.value ?? operationName);
    const name = operation.name?.value ?? operationName;
    const costInput: CostInput = { schema, operation, fragments: fragmentsOf(document), variables: coerced.coerced };
    const requested = requestedQueryCost(costInput);
    if (requested > MAX_QUERY_COST) return { ...errorsOnly([maxCostExceeded(requested, MAX_QUERY_COST)], name), requestedQueryCost: requested };
    if (options.isForcedThrottle) this.#bucket.drain();
    if (!this.#bucket.tryTake(requested)) {
      const cost: QueryCost = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: this.#bucket.status() };
      return { status: 200, body: { errors: [THROTTLED_ERROR], extensions: { cost } }, operationName: name, requestedQueryCost: requested, isThrottled: true };
    }
    const result = executeSync({
      schema,
      document,
      rootValue: operation.operation === 'mutation' ? this.#roots.mutation : this.#roots.query,
      variableValues: body.data.variables ?? {},
      operationName: name,
      fieldResolver: this.#scopedResolver(grantedScopes),
    });
    const actual = actualQueryCost(costInput, result.data);
    this.#bucket.refund(requested - actual);
    const cost: QueryCost = { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: this.#bucket.status() };
    const errors = result.errors?.map(shapeExecutionError);
    return {
      status: 200,
      body: { ...(errors ? { errors } : {}), data: result.data ?? null, extensions: { cost } },
      operationName: name,
      requestedQueryCost: requested,
      isThrottled: false,
    };
  }

  // Fields and types carry the scopes Shopify's schema lists for them (B1, B5); a missing scope nulls the field.
  #scopedResolver(granted: ReadonlySet<string>): GraphQLFieldResolver<unknown, unknown> {
    const rules = this.#admin.scopeRules;
    return (source, args, context, info) => {
      const fieldRule = rules.get(`${info.parentType.name}.${info.fieldName}`);
      const typeRule = rules.get(getNamedType(info.returnType).name);
      const denied = !isGranted(fieldRule, granted) ? fieldRule : !isGranted(typeRule, granted) ? typeRule : undefined;
      if (denied) {
        throw new GraphQLError(`Access denied for ${info.fieldName} field. Required access: ${denied.requiredAccess}`, {
          extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: denied.requiredAccess },
        });
      }
      return defaultFieldResolver(source, args, context, info);
    };
  }
}
