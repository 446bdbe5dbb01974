// The Admin GraphQL documents the bridge sends (API 2026-10), kept small in requested cost (twilio-and-shopify.md, B2-B4).
// Costs in comments are what Shopify's rules give for these exact documents; test/commerce/shopify-queries.test.ts checks them.

/** Everything a WISMO or returns answer needs about one order: 159 points (160 with the order itself). */
export const ORDER_FIELDS = /* GraphQL */ `
  fragment OrderFields on Order {
    id name createdAt processedAt email phone tags
    displayFinancialStatus displayFulfillmentStatus cancelledAt cancelReason returnStatus
    customer { id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } }
    shippingAddress { city zip countryCodeV2 }
    lineItems(first: 10) { nodes { id title variantTitle quantity currentQuantity product { productType tags } } }
    fulfillments(first: 5) {
      id status displayStatus createdAt inTransitAt estimatedDeliveryAt deliveredAt
      trackingInfo(first: 1) { company number url }
      fulfillmentLineItems(first: 10) { nodes { id quantity lineItem { id } } }
    }
    fulfillmentOrders(first: 3) { nodes { status fulfillmentHolds { reason } } }
    returns(first: 3) { nodes { id name status createdAt totalQuantity } }
  }
`;

/** Exact lookup by phone (needs `read_customers`): 3 points. */
export const CUSTOMER_BY_PHONE = /* GraphQL */ `
  query CustomerByPhone($phone: String!) {
    customerByIdentifier(identifier: { phoneNumber: $phone }) {
      id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber }
    }
  }
`;

/** A customer's newest orders, summaries only: 3 + `first` points. */
export const RECENT_ORDERS = /* GraphQL */ `
  query RecentOrders($customerId: ID!, $first: Int!) {
    customer(id: $customerId) {
      id
      orders(first: $first, sortKey: PROCESSED_AT, reverse: true) {
        nodes { id name createdAt displayFinancialStatus displayFulfillmentStatus cancelledAt }
      }
    }
  }
`;

/** Search by name, two candidates, matched exactly in code (search matching is unconfirmed, B2.1): 322 points. */
export const ORDER_BY_NAME = /* GraphQL */ `
  query OrderByName($query: String!) {
    orders(first: 2, query: $query, sortKey: PROCESSED_AT, reverse: true) { nodes { ...OrderFields } }
  }
  ${ORDER_FIELDS}
`;

/** One order by GID: 160 points. */
export const ORDER_DETAIL = /* GraphQL */ `
  query OrderDetail($id: ID!) {
    order(id: $id) { ...OrderFields }
  }
  ${ORDER_FIELDS}
`;

/** What can still go back, per delivered fulfillment (B3): 172 points with these page sizes. */
export const RETURNABLE_ITEMS = /* GraphQL */ `
  query ReturnableItems($orderId: ID!) {
    returnableFulfillments(orderId: $orderId, first: 5) {
      nodes {
        fulfillment { id deliveredAt }
        returnableFulfillmentLineItems(first: 10) { nodes { quantity fulfillmentLineItem { id lineItem { id title } } } }
      }
    }
  }
`;

/** The shop's return reasons (2026-10 replaced the ReturnReason enum with definitions, B3): 52 points. */
export const RETURN_REASON_DEFINITIONS = /* GraphQL */ `
  query ReturnReasonDefinitions {
    returnReasonDefinitions(first: 50) { nodes { id handle name deleted } }
  }
`;

/** A customer-initiated return awaiting merchant approval (B3): 10 points, as every mutation. */
export const RETURN_REQUEST = /* GraphQL */ `
  mutation ReturnRequest($input: ReturnRequestInput!) {
    returnRequest(input: $input) {
      return {
        id name status
        returnLineItems(first: 10) { nodes { quantity ... on ReturnLineItem { fulfillmentLineItem { id } } } }
      }
      userErrors { field message code }
    }
  }
`;

/** Quotes a search value so `#` and spaces survive Shopify's search syntax (B2.1). */
export function searchValue(value: string): string {
  return `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`;
}
