import { Kind, getOperationAST, getVariableValues, parse, type FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../../../src/twins/shopify/admin-schema.ts';
import { actualQueryCost, requestedQueryCost, type CostInput } from '../../../src/twins/shopify/query-cost.ts';

const { schema } = loadAdminSchema();

function costInput(source: string, variables: Record<string, unknown> = {}): CostInput {
  const document = parse(source);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return { schema, operation, fragments, variables: coerced.coerced };
}

describe('requestedQueryCost (twilio-and-shopify.md, B4 rules)', () => {
  it.each([
    ['scalars only cost the object', '{ order(id: "gid://shopify/Order/1") { id name } }', {}, 1],
    ['a connection costs 2 plus its page of items', '{ orders(first: 5) { nodes { id } } }', {}, 7],
    ['a page size from a variable', 'query($n: Int!) { orders(first: $n) { nodes { id } } }', { n: 20 }, 22],
    ['nested objects count once per item', '{ orders(first: 5) { nodes { id customer { id displayName } } } }', {}, 12],
    ['edges with node cost like nodes', '{ orders(first: 3) { edges { cursor node { id } } } }', {}, 5],
    ['a list sized by first', '{ order(id: "gid://shopify/Order/1") { fulfillments(first: 4) { id trackingInfo(first: 2) { number } } } }', {}, 13],
    ['a mutation costs 10', 'mutation { returnRequest(input: { orderId: "gid://shopify/Order/1", returnLineItems: [] }) { return { id returnLineItems(first: 50) { nodes { id } } } userErrors { message } } }', {}, 10],
    ['a fragment spread counts as inline', 'query { order(id: "gid://shopify/Order/1") { ...F } } fragment F on Order { customer { id } }', {}, 2],
    [
      'fragments on two types of an interface cost the dearer one',
      '{ return(id: "gid://shopify/Return/1") { returnLineItems(first: 2) { nodes { id ... on ReturnLineItem { fulfillmentLineItem { id lineItem { id } } } ... on UnverifiedReturnLineItem { unitPrice { amount } } } } } }',
      {},
      1 + 2 + 2 * (1 + 2),
    ],
  ])('%s', (_rule, source, variables, expected) => {
    expect(requestedQueryCost(costInput(source, variables))).toBe(expected);
  });
});

describe('actualQueryCost', () => {
  it('counts the objects that came back, not the page asked for', () => {
    const input = costInput('{ orders(first: 5) { nodes { id customer { id } } } }');
    expect(actualQueryCost(input, { orders: { nodes: [{ id: 'a', customer: { id: 'c' } }, { id: 'b', customer: null }] } })).toBe(2 + 2 + 1);
  });

  it('costs a missing object nothing', () => {
    expect(actualQueryCost(costInput('{ order(id: "gid://shopify/Order/1") { id customer { id } } }'), { order: null })).toBe(0);
  });
});
