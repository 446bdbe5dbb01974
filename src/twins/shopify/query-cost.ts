// Shopify's calculated query cost: what a document may cost before it runs, and what it did cost after (B4).
// Pure. Rules from the contract: scalar and enum 0, object 1, connection 2 + size × item, list sized by `first`, mutation 10.
import {
  Kind,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export const MUTATION_FIELD_COST = 10;
export const CONNECTION_BASE_COST = 2;

export type CostInput = {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Coerced variable values. */
  variables: Record<string, unknown>;
};

/** `undefined` while estimating; the executed result's value while measuring. */
type Measured = { isActual: boolean; value: unknown };

function childOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

class CostWalker {
  #input: CostInput;

  constructor(input: CostInput) {
    this.#input = input;
  }

  selectionCost(selectionSet: SelectionSetNode | undefined, parentType: GraphQLNamedType | undefined, at: Measured): number {
    if (!selectionSet || !parentType) return 0;
    let shared = 0;
    // Fragments on different concrete types of an interface or union cost the most expensive one (B4).
    const byTypeCondition = new Map<string, number>();
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        shared += this.#fieldCost(selection, parentType, at);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.#input.fragments.get(selection.name.value);
      if (!fragment) continue;
      const conditionName = fragment.typeCondition?.name.value;
      const conditionType = conditionName ? this.#input.schema.getType(conditionName) : parentType;
      const cost = this.selectionCost(fragment.selectionSet, conditionType ?? undefined, at);
      const isAlwaysApplied = !conditionName || isObjectType(parentType) || !isObjectType(conditionType);
      if (isAlwaysApplied) shared += cost;
      else byTypeCondition.set(conditionName, (byTypeCondition.get(conditionName) ?? 0) + cost);
    }
    return shared + Math.max(0, ...byTypeCondition.values());
  }

  #fieldCost(node: FieldNode, parentType: GraphQLNamedType, at: Measured): number {
    const name = node.name.value;
    if (name.startsWith('__')) return 0;
    if (!isObjectType(parentType) && !isInterfaceType(parentType)) return 0;
    const field = parentType.getFields()[name];
    if (!field) return 0;
    if (parentType === this.#input.schema.getMutationType()) return MUTATION_FIELD_COST;
    const namedType = getNamedType(field.type);
    if (isLeafType(namedType)) return 0;
    const value = at.isActual ? childOf(at.value, node.alias?.value ?? name) : undefined;
    if (at.isActual && (value === null || value === undefined)) return 0;
    const args = getArgumentValues(field, node, this.#input.variables);
    const pageSize = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
    if (isObjectType(namedType) && namedType.name.endsWith('Connection') && ('nodes' in namedType.getFields() || 'edges' in namedType.getFields())) {
      return CONNECTION_BASE_COST + this.#connectionItemsCost(node, namedType, pageSize ?? 0, at.isActual ? value : undefined);
    }
    if (isListType(getNullableType(field.type))) {
      if (at.isActual) return arrayOf(value).reduce<number>((sum, item) => sum + 1 + this.selectionCost(node.selectionSet, namedType, { isActual: true, value: item }), 0);
      return (pageSize ?? 1) * (1 + this.selectionCost(node.selectionSet, namedType, at));
    }
    return 1 + this.selectionCost(node.selectionSet, namedType, { isActual: at.isActual, value });
  }

  #connectionItemsCost(node: FieldNode, connectionType: GraphQLNamedType, pageSize: number, value: unknown): number {
    if (!isObjectType(connectionType)) return 0;
    const nodeType = getNamedType(connectionType.getFields().nodes?.type ?? connectionType.getFields().edges?.type);
    const edgeType = getNamedType(connectionType.getFields().edges?.type);
    const itemSelections: { selectionSet: SelectionSetNode | undefined; viaEdge: boolean }[] = [];
    for (const selection of node.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) continue;
      if (selection.name.value === 'nodes') itemSelections.push({ selectionSet: selection.selectionSet, viaEdge: false });
      if (selection.name.value === 'edges') {
        for (const edgeSelection of selection.selectionSet?.selections ?? []) {
          if (edgeSelection.kind === Kind.FIELD && edgeSelection.name.value === 'node') itemSelections.push({ selectionSet: edgeSelection.selectionSet, viaEdge: true });
        }
      }
    }
    if (itemSelections.length === 0) return 0;
    const itemType = isObjectType(edgeType) ? getNamedType(edgeType.getFields().node?.type) : nodeType;
    const costOfItem = (item: Measured): number => 1 + itemSelections.reduce((sum, entry) => sum + this.selectionCost(entry.selectionSet, itemType, item), 0);
    if (value === undefined) return pageSize * costOfItem({ isActual: false, value: undefined });
    const nodes = arrayOf(childOf(value, 'nodes'));
    const edges = arrayOf(childOf(value, 'edges')).map((edge) => childOf(edge, 'node'));
    const count = Math.max(nodes.length, edges.length);
    let total = 0;
    for (let index = 0; index < count; index++) total += costOfItem({ isActual: true, value: nodes[index] ?? edges[index] });
    return total;
  }
}

function rootType(input: CostInput): GraphQLNamedType | undefined {
  if (input.operation.operation === 'mutation') return input.schema.getMutationType() ?? undefined;
  if (input.operation.operation === 'subscription') return input.schema.getSubscriptionType() ?? undefined;
  return input.schema.getQueryType() ?? undefined;
}

export function requestedQueryCost(input: CostInput): number {
  return new CostWalker(input).selectionCost(input.operation.selectionSet, rootType(input), { isActual: false, value: undefined });
}

export function actualQueryCost(input: CostInput, data: unknown): number {
  return new CostWalker(input).selectionCost(input.operation.selectionSet, rootType(input), { isActual: true, value: data });
}
