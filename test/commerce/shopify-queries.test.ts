import { Kind, NoDeprecatedCustomRule, getOperationAST, getVariableValues, parse, validate, type FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_BY_PHONE,
  ORDER_BY_NAME,
  ORDER_DETAIL,
  RECENT_ORDERS,
  RETURN_REASON_DEFINITIONS,
  RETURN_REQUEST,
  RETURNABLE_ITEMS,
  searchValue,
} from '../../src/commerce/shopify-queries.ts';
import { loadAdminSchema } from '../../src/twins/shopify/admin-schema.ts';
import { requestedQueryCost } from '../../src/twins/shopify/query-cost.ts';

const { schema } = loadAdminSchema();

function costOf(source: string, variables: Record<string, unknown>): number {
  const document = parse(source);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return requestedQueryCost({ schema, operation, fragments, variables: coerced.coerced });
}

const RETURN_INPUT = {
  input: {
    orderId: 'gid://shopify/Order/1',
    returnLineItems: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/2', quantity: 1, returnReasonDefinitionId: 'gid://shopify/ReturnReasonDefinition/3', customerNote: 'Too small.' }],
  },
};

// The figures the final report and the doc comments quote; a change to a document must update them on purpose.
const DOCUMENTS: [name: string, source: string, variables: Record<string, unknown>, cost: number][] = [
  ['CustomerByPhone', CUSTOMER_BY_PHONE, { phone: '+14155550100' }, 3],
  ['RecentOrders', RECENT_ORDERS, { customerId: 'gid://shopify/Customer/1', first: 5 }, 8],
  ['OrderByName', ORDER_BY_NAME, { query: 'name:"#1001"' }, 322],
  ['OrderDetail', ORDER_DETAIL, { id: 'gid://shopify/Order/1' }, 160],
  ['ReturnableItems', RETURNABLE_ITEMS, { orderId: 'gid://shopify/Order/1' }, 172],
  ['ReturnReasonDefinitions', RETURN_REASON_DEFINITIONS, {}, 52],
  ['ReturnRequest', RETURN_REQUEST, RETURN_INPUT, 10],
];

describe('our Admin GraphQL documents against Shopify’s 2026-10 schema', () => {
  it.each(DOCUMENTS)('%s validates, its variables coerce, and it asks for %#', (_name, source, variables) => {
    expect(validate(schema, parse(source)).map((error) => error.message)).toEqual([]);
    const operation = getOperationAST(parse(source));
    expect(getVariableValues(schema, operation?.variableDefinitions ?? [], variables).errors).toBeUndefined();
  });

  it.each(DOCUMENTS)('%s costs the documented points up front', (_name, source, variables, cost) => {
    expect(costOf(source, variables)).toBe(cost);
  });

  it.each(DOCUMENTS)('%s reads no deprecated field (Customer.email and .phone are, B2)', (_name, source) => {
    expect(validate(schema, parse(source), [NoDeprecatedCustomRule]).map((error) => error.message)).toEqual([]);
  });
});

describe('searchValue', () => {
  it.each([
    ['#1001', '"#1001"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
  ])('quotes %j as %s', (value, expected) => {
    expect(searchValue(value)).toBe(expected);
  });
});
