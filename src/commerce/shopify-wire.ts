// Zod schemas for the JSON our Admin GraphQL documents get back (shopify-queries.ts); Shopify's spellings live only here.
// Enums are plain strings so a value Shopify adds later parses and maps to `unknown` instead of failing a call.
import { z } from 'zod';

const nodes = <T extends z.ZodType>(node: T) => z.object({ nodes: z.array(node) });

export const customerWire = z.object({
  id: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  defaultEmailAddress: z.object({ emailAddress: z.string() }).nullish(),
  defaultPhoneNumber: z.object({ phoneNumber: z.string() }).nullish(),
});

export const orderWire = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  processedAt: z.string(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  tags: z.array(z.string()),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string(),
  cancelledAt: z.string().nullish(),
  cancelReason: z.string().nullish(),
  returnStatus: z.string(),
  customer: customerWire.nullish(),
  shippingAddress: z.object({ city: z.string().nullish(), zip: z.string().nullish(), countryCodeV2: z.string().nullish() }).nullish(),
  lineItems: nodes(
    z.object({
      id: z.string(),
      title: z.string(),
      variantTitle: z.string().nullish(),
      quantity: z.number().int(),
      currentQuantity: z.number().int(),
      product: z.object({ productType: z.string(), tags: z.array(z.string()) }).nullish(),
    }),
  ),
  fulfillments: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      displayStatus: z.string().nullish(),
      createdAt: z.string(),
      inTransitAt: z.string().nullish(),
      estimatedDeliveryAt: z.string().nullish(),
      deliveredAt: z.string().nullish(),
      trackingInfo: z.array(z.object({ company: z.string().nullish(), number: z.string().nullish(), url: z.string().nullish() })),
      fulfillmentLineItems: nodes(z.object({ id: z.string(), quantity: z.number().int().nullish(), lineItem: z.object({ id: z.string() }) })),
    }),
  ),
  fulfillmentOrders: nodes(z.object({ status: z.string(), fulfillmentHolds: z.array(z.object({ reason: z.string() })) })),
  returns: nodes(z.object({ id: z.string(), name: z.string(), status: z.string(), createdAt: z.string(), totalQuantity: z.number().int() })),
});
export type OrderWire = z.infer<typeof orderWire>;

export const customerByPhoneData = z.object({ customerByIdentifier: customerWire.nullable() });

export const recentOrdersData = z.object({
  customer: z
    .object({
      id: z.string(),
      orders: nodes(
        z.object({
          id: z.string(),
          name: z.string(),
          createdAt: z.string(),
          displayFinancialStatus: z.string().nullish(),
          displayFulfillmentStatus: z.string(),
          cancelledAt: z.string().nullish(),
        }),
      ),
    })
    .nullable(),
});

export const orderByNameData = z.object({ orders: nodes(orderWire) });

export const orderDetailData = z.object({ order: orderWire.nullable() });

export const returnableItemsData = z.object({
  returnableFulfillments: nodes(
    z.object({
      fulfillment: z.object({ id: z.string(), deliveredAt: z.string().nullish() }),
      returnableFulfillmentLineItems: nodes(
        z.object({ quantity: z.number().int(), fulfillmentLineItem: z.object({ id: z.string(), lineItem: z.object({ id: z.string(), title: z.string() }) }) }),
      ),
    }),
  ),
});

export const returnReasonDefinitionsData = z.object({
  returnReasonDefinitions: nodes(z.object({ id: z.string(), handle: z.string(), name: z.string(), deleted: z.boolean() })),
});

export const returnRequestData = z.object({
  returnRequest: z
    .object({
      return: z
        .object({
          id: z.string(),
          name: z.string(),
          status: z.string(),
          returnLineItems: nodes(z.object({ quantity: z.number().int(), fulfillmentLineItem: z.object({ id: z.string() }).nullish() })),
        })
        .nullable(),
      userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string(), code: z.string().nullish() })),
    })
    .nullable(),
});

/** `extensions.cost` on every answer, THROTTLED ones included (actualQueryCost is null then, B4). */
export const costExtension = z.object({
  cost: z.object({
    requestedQueryCost: z.number(),
    actualQueryCost: z.number().nullish(),
    throttleStatus: z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() }),
  }),
});

export const graphqlErrorsWire = z.array(
  z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).loose().optional() }).loose(),
);
