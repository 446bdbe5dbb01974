// Root fields of the twin's QueryRoot and Mutation: the entry points the contract's documents call (B2, B3).
// graphql-js has already validated and coerced every argument against Shopify's schema before these run.
import { z } from 'zod';
import { paginate } from './connection.ts';
import { isGid, parseGid } from './store-data.ts';
import type { TwinStore } from './twin-store.ts';
import { TwinViews, invalidGlobalId, orderSortKey, pageArgs, stringArg, type Args } from './twin-views.ts';

const returnRequestInputSchema = z.object({
  orderId: z.string(),
  returnLineItems: z.array(
    z.object({
      fulfillmentLineItemId: z.string(),
      quantity: z.number().int(),
      returnReasonDefinitionId: z.string().nullish(),
      returnReason: z.enum(['COLOR', 'DEFECTIVE', 'NOT_AS_DESCRIBED', 'OTHER', 'SIZE_TOO_LARGE', 'SIZE_TOO_SMALL', 'STYLE', 'UNKNOWN', 'UNWANTED', 'WRONG_ITEM']).nullish(),
      customerNote: z.string().nullish(),
    }),
  ),
});

const identifierSchema = z.object({
  phoneNumber: z.string().optional(),
  emailAddress: z.string().optional(),
  id: z.string().optional(),
});

export type TwinRoots = { query: Record<string, unknown>; mutation: Record<string, unknown> };

function idOf(value: string | undefined, type: string): number | null {
  if (value === undefined) return null;
  if (!isGid(value)) throw invalidGlobalId(value);
  return parseGid(value, type);
}

export function createTwinRoots(store: TwinStore, nowIso: () => string): TwinRoots {
  const views = new TwinViews(store);
  const query = {
    shop: () => ({ __typename: 'Shop', id: 'gid://shopify/Shop/1', name: store.shopName, myshopifyDomain: store.shopDomain }),
    customers: (args: Args) => {
      const found = store.searchCustomers(stringArg(args, 'query'));
      return paginate(found, pageArgs(args), (customer) => views.customer(customer));
    },
    customerByIdentifier: (args: Args) => {
      const identifier = identifierSchema.parse(args.identifier);
      if (identifier.phoneNumber !== undefined) {
        const customer = store.customerByPhone(identifier.phoneNumber);
        return customer ? views.customer(customer) : null;
      }
      if (identifier.emailAddress !== undefined) {
        const customer = store.customerByEmail(identifier.emailAddress);
        return customer ? views.customer(customer) : null;
      }
      const id = idOf(identifier.id, 'Customer');
      const customer = id === null ? undefined : store.customer(id);
      return customer ? views.customer(customer) : null;
    },
    customer: (args: Args) => {
      const id = idOf(stringArg(args, 'id'), 'Customer');
      const customer = id === null ? undefined : store.customer(id);
      return customer ? views.customer(customer) : null;
    },
    orders: (args: Args) => {
      const found = store.sortOrders(store.searchOrders(stringArg(args, 'query')), orderSortKey(args.sortKey), args.reverse === true);
      return paginate(found, { ...pageArgs(args), reverse: false }, (order) => views.order(order));
    },
    order: (args: Args) => {
      const id = idOf(stringArg(args, 'id'), 'Order');
      const order = id === null ? undefined : store.order(id);
      return order ? views.order(order) : null;
    },
    returnableFulfillments: (args: Args) => {
      const id = idOf(stringArg(args, 'orderId'), 'Order');
      return views.returnableFulfillments(id ?? -1, args);
    },
    returnReasonDefinitions: (args: Args) => {
      const handles = Array.isArray(args.handles) ? args.handles.filter((handle) => typeof handle === 'string') : null;
      const ids = Array.isArray(args.ids) ? args.ids.filter((id) => typeof id === 'string') : null;
      const found = store
        .reasonDefinitions()
        .filter((definition) => handles === null || handles.includes(definition.handle))
        .filter((definition) => ids === null || ids.includes(`gid://shopify/ReturnReasonDefinition/${definition.id}`));
      return paginate(found, pageArgs(args), (definition) => views.reasonDefinition(definition));
    },
    return: (args: Args) => {
      const id = idOf(stringArg(args, 'id'), 'Return');
      const record = id === null ? undefined : store.returnById(id);
      return record ? views.returnRecord(record) : null;
    },
  };
  const mutation = {
    returnRequest: (args: Args) => {
      const input = returnRequestInputSchema.parse(args.input);
      const outcome = store.requestReturn(
        {
          orderId: input.orderId,
          returnLineItems: input.returnLineItems.map((line) => ({
            fulfillmentLineItemId: line.fulfillmentLineItemId,
            quantity: line.quantity,
            returnReasonDefinitionId: line.returnReasonDefinitionId ?? null,
            returnReason: line.returnReason ?? null,
            customerNote: line.customerNote ?? null,
          })),
        },
        nowIso(),
      );
      return outcome.ok ? { return: views.returnRecord(outcome.created), userErrors: [] } : { return: null, userErrors: outcome.userErrors };
    },
  };
  return { query, mutation };
}
