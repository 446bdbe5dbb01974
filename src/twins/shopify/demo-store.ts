// The seeded demo shop (Juniper & Pine): 28 orders covering every WISMO and returns case the agent must handle.
// Every date is relative to the `now` passed in, so tests are deterministic. README.md beside this file has the table.
import type {
  FulfillmentDisplayStatus,
  FulfillmentHoldReason,
  OrderCancelReason,
  OrderDisplayFinancialStatus,
  OrderDisplayFulfillmentStatus,
  ReturnStatus,
  TwinAddress,
  TwinCustomer,
  TwinFulfillment,
  TwinOrder,
  TwinProduct,
  TwinReasonDefinition,
  TwinReturn,
  TwinStoreData,
} from './store-data.ts';

export const DEMO_SHOP_DOMAIN = 'juniper-and-pine.myshopify.com';

/** A caller ID that belongs to no customer in the demo shop. */
export const DEMO_UNKNOWN_CALLER = '+14155550199';

const DAY_MS = 86_400_000;

type CustomerSeed = [key: string, first: string, last: string | null, phone: string | null, email: string, address: Omit<TwinAddress, 'firstName' | 'lastName' | 'phone'>];

const CUSTOMERS: CustomerSeed[] = [
  ['jane', 'Jane', 'Doe', '+14155550100', 'jane.doe@example.com', us('1 Market St', 'San Francisco', 'California', 'CA', '94107')],
  ['marcus', 'Marcus', 'Lee', '+14155550101', 'marcus.lee@example.com', us('200 Grand Ave', 'Oakland', 'California', 'CA', '94612')],
  ['priya', 'Priya', 'Shah', '+14155550102', 'priya.shah@example.com', us('500 Congress Ave', 'Austin', 'Texas', 'TX', '78701')],
  ['tom', 'Tom', 'Becker', '+14155550103', 'tom.becker@example.com', us('1600 Champa St', 'Denver', 'Colorado', 'CO', '80202')],
  ['ana', 'Ana', 'Souza', '+14155550104', 'ana.souza@example.com', us('100 Biscayne Blvd', 'Miami', 'Florida', 'FL', '33132')],
  ['liam', 'Liam', "O'Brien", '+14155550105', 'liam.obrien@example.com', us('1 Beacon St', 'Boston', 'Massachusetts', 'MA', '02108')],
  ['chloe', 'Chloe', 'Martin', '+14155550106', 'chloe.martin@example.com', us('400 Pine St', 'Seattle', 'Washington', 'WA', '98101')],
  ['noah', 'Noah', 'Kim', '+14155550107', 'noah.kim@example.com', us('800 SW Broadway', 'Portland', 'Oregon', 'OR', '97205')],
  ['emma', 'Emma', 'Wilson', '+447700900123', 'emma.wilson@example.co.uk', abroad('10 Downing Row', 'London', null, null, 'SW1A 2AA', 'United Kingdom', 'GB')],
  ['sophie', 'Sophie', 'Tremblay', '+16045550108', 'sophie.tremblay@example.ca', abroad('750 Hornby St', 'Vancouver', 'British Columbia', 'BC', 'V6Z 2H7', 'Canada', 'CA')],
  ['jack', 'Jack', 'Taylor', '+61491570156', 'jack.taylor@example.com.au', abroad('1 Macquarie St', 'Sydney', 'New South Wales', 'NSW', '2000', 'Australia', 'AU')],
  ['mia', 'Mia', 'Garcia', '+14155550109', 'mia.garcia@example.com', us('233 S Wacker Dr', 'Chicago', 'Illinois', 'IL', '60606')],
  ['ethan', 'Ethan', 'Brown', '+14155550110', 'ethan.brown@example.com', us('45 Court St', 'Brooklyn', 'New York', 'NY', '11201')],
  ['olivia', 'Olivia', 'Davis', '+14155550111', 'olivia.davis@example.com', us('55 Trinity Ave', 'Atlanta', 'Georgia', 'GA', '30303')],
  ['lucas', 'Lucas', 'Moore', '+14155550112', 'lucas.moore@example.com', us('200 W Washington St', 'Phoenix', 'Arizona', 'AZ', '85003')],
  ['ava', 'Ava', 'Johnson', '+14155550113', 'ava.johnson@example.com', us('501 Broadway', 'Nashville', 'Tennessee', 'TN', '37203')],
  ['henry', 'Henry', 'Clark', '+14155550114', 'henry.clark@example.com', us('2 E Main St', 'Madison', 'Wisconsin', 'WI', '53703')],
  ['grace', 'Grace', 'Lewis', '+14155550115', 'grace.lewis@example.com', us('350 S 5th St', 'Minneapolis', 'Minnesota', 'MN', '55415')],
  ['zoe', 'Zoe', 'Hall', '+14155550116', 'zoe.hall@example.com', us('1200 3rd Ave', 'San Diego', 'California', 'CA', '92101')],
  ['ben', 'Ben', 'Young', '+14155550117', 'ben.young@example.com', us('50 S Main St', 'Salt Lake City', 'Utah', 'UT', '84101')],
  ['ruby', 'Ruby', 'Allen', '+14155550118', 'ruby.allen@example.com', us('1 E Edenton St', 'Raleigh', 'North Carolina', 'NC', '27601')],
  ['sam', 'Sam', 'Rivera', null, 'sam.rivera@example.com', us('1 Civic Plaza NW', 'Albuquerque', 'New Mexico', 'NM', '87102')],
];

function us(address1: string, city: string, province: string, provinceCode: string, zip: string) {
  return { address1, address2: null, city, province, provinceCode, zip, country: 'United States', countryCode: 'US' };
}

function abroad(address1: string, city: string, province: string | null, provinceCode: string | null, zip: string, country: string, countryCode: string) {
  return { address1, address2: null, city, province, provinceCode, zip, country, countryCode };
}

const PRODUCTS: TwinProduct[] = [
  { id: 201, title: 'Ceramic Mug', productType: 'Kitchen', tags: [] },
  { id: 202, title: 'Tea Sampler', productType: 'Food', tags: ['consumable'] },
  { id: 203, title: 'Linen Throw Blanket', productType: 'Home', tags: [] },
  { id: 204, title: 'Wool Socks', productType: 'Apparel', tags: [] },
  { id: 205, title: 'Merino Sweater', productType: 'Apparel', tags: [] },
  { id: 206, title: 'Leather Journal', productType: 'Stationery', tags: [] },
  { id: 207, title: 'Canvas Tote', productType: 'Accessories', tags: [] },
  { id: 208, title: 'Rain Jacket', productType: 'Apparel', tags: [] },
  { id: 209, title: 'Clearance Soy Candle', productType: 'Home', tags: ['final-sale', 'clearance'] },
  { id: 210, title: 'Gift Card', productType: 'Gift Card', tags: [] },
];

const CARRIERS = {
  ups: ['UPS', (n: string) => `https://www.ups.com/track?tracknum=${n}`],
  usps: ['USPS', (n: string) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`],
  fedex: ['FedEx', (n: string) => `https://www.fedex.com/fedextrack/?trknbr=${n}`],
  dhl: ['DHL Express', (n: string) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`],
  canadaPost: ['Canada Post', (n: string) => `https://www.canadapost-postescanada.ca/track-reperage/en#/details/${n}`],
  auPost: ['Australia Post', (n: string) => `https://auspost.com.au/mypost/track/details/${n}`],
} as const satisfies Record<string, readonly [string, (n: string) => string]>;

type LineSeed = [productId: number, quantity: number, variant?: string | null, currentQuantity?: number];

/** Every day count means days before now: `shipped: 3` is three days ago, `eta: -2` is two days ahead, `eta: 0` is today. */
type ShipmentSeed = {
  lines: [lineIndex: number, quantity: number][];
  display: FulfillmentDisplayStatus;
  carrier: keyof typeof CARRIERS;
  tracking: string;
  shipped: number;
  inTransit?: number;
  eta?: number;
  delivered?: number;
};

type OrderSeed = {
  number: number;
  customer: string | null;
  placed: number;
  financial: OrderDisplayFinancialStatus;
  fulfillment: OrderDisplayFulfillmentStatus;
  lines: LineSeed[];
  shipments?: ShipmentSeed[];
  hold?: [FulfillmentHoldReason, string | null];
  cancelled?: [daysAgo: number, reason: OrderCancelReason];
  guest?: { email: string; phone: string | null; firstName: string; lastName: string; address: Omit<TwinAddress, 'firstName' | 'lastName' | 'phone'> };
  returned?: { status: ReturnStatus; daysAgo: number; lines: [shipmentIndex: number, lineIndex: number, quantity: number, reasonHandle: string][] };
  tags?: string[];
};

const ORDERS: OrderSeed[] = [
  { number: 1001, customer: 'jane', placed: 4, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[201, 2, 'Sage'], [202, 1]], shipments: [{ lines: [[0, 2], [1, 1]], display: 'IN_TRANSIT', carrier: 'ups', tracking: '1Z999AA10123456784', shipped: 3, inTransit: 3, eta: -2 }] },
  { number: 1002, customer: 'jane', placed: 16, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[203, 1, 'Oat'], [204, 2, 'M']], shipments: [{ lines: [[0, 1], [1, 2]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899223344556677', shipped: 14, inTransit: 14, eta: 10, delivered: 10 }] },
  { number: 1003, customer: 'jane', placed: 1, financial: 'PAID', fulfillment: 'UNFULFILLED', lines: [[205, 1, 'M / Navy']] },
  { number: 1004, customer: 'jane', placed: 70, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[206, 1]], shipments: [{ lines: [[0, 1]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899220000111122', shipped: 66, inTransit: 66, eta: 61, delivered: 60 }] },
  { number: 1005, customer: 'marcus', placed: 3, financial: 'PAID', fulfillment: 'ON_HOLD', lines: [[208, 1, 'L / Olive']], hold: ['INCORRECT_ADDRESS', 'Apartment number missing from the shipping address.'] },
  { number: 1006, customer: 'priya', placed: 6, financial: 'PAID', fulfillment: 'PARTIALLY_FULFILLED', lines: [[207, 1], [201, 1, 'Blue'], [208, 1, 'S / Navy']], shipments: [{ lines: [[0, 1], [1, 1]], display: 'DELIVERED', carrier: 'fedex', tracking: '612999AA10123456', shipped: 5, inTransit: 5, eta: 2, delivered: 2 }] },
  { number: 1007, customer: 'tom', placed: 12, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[205, 1, 'L / Grey']], shipments: [{ lines: [[0, 1]], display: 'IN_TRANSIT', carrier: 'ups', tracking: '1Z999AA10198765432', shipped: 10, inTransit: 10, eta: 3 }] },
  { number: 1008, customer: 'ana', placed: 8, financial: 'REFUNDED', fulfillment: 'UNFULFILLED', lines: [[203, 1, 'Charcoal', 0]], cancelled: [7, 'CUSTOMER'] },
  { number: 1009, customer: 'liam', placed: 25, financial: 'REFUNDED', fulfillment: 'FULFILLED', lines: [[208, 1, 'M / Olive', 0]], shipments: [{ lines: [[0, 1]], display: 'DELIVERED', carrier: 'ups', tracking: '1Z999AA10111122223', shipped: 23, inTransit: 23, eta: 20, delivered: 20 }] },
  {
    number: 1010, customer: 'chloe', placed: 30, financial: 'REFUNDED', fulfillment: 'FULFILLED', lines: [[205, 1, 'S / Navy']],
    shipments: [{ lines: [[0, 1]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899225566778899', shipped: 28, inTransit: 28, eta: 25, delivered: 25 }],
    returned: { status: 'CLOSED', daysAgo: 18, lines: [[0, 0, 1, 'size-too-small']] },
  },
  { number: 1011, customer: 'noah', placed: 8, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[209, 2, 'Cedar'], [201, 1, 'Sage']], shipments: [{ lines: [[0, 2], [1, 1]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899227788990011', shipped: 7, inTransit: 7, eta: 5, delivered: 5 }] },
  { number: 1012, customer: 'emma', placed: 6, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[203, 1, 'Oat']], shipments: [{ lines: [[0, 1]], display: 'IN_TRANSIT', carrier: 'dhl', tracking: '1234567890', shipped: 4, inTransit: 4, eta: -1 }] },
  {
    number: 1013, customer: 'sophie', placed: 9, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[201, 1, 'Sage'], [203, 1, 'Oat'], [204, 2, 'S']],
    shipments: [
      { lines: [[0, 1]], display: 'DELIVERED', carrier: 'canadaPost', tracking: '7023210039414604', shipped: 8, inTransit: 8, eta: 4, delivered: 4 },
      { lines: [[1, 1]], display: 'IN_TRANSIT', carrier: 'canadaPost', tracking: '7023210039414605', shipped: 3, inTransit: 3, eta: -2 },
      { lines: [[2, 2]], display: 'LABEL_PRINTED', carrier: 'ups', tracking: '1Z999AA10155566677', shipped: 1, eta: -5 },
    ],
  },
  { number: 1014, customer: 'jack', placed: 14, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[207, 2]], shipments: [{ lines: [[0, 2]], display: 'DELIVERED', carrier: 'auPost', tracking: '33LKS5012345', shipped: 12, inTransit: 12, eta: 8, delivered: 8 }] },
  { number: 1015, customer: 'mia', placed: 2, financial: 'PENDING', fulfillment: 'UNFULFILLED', lines: [[205, 1, 'M / Grey']] },
  { number: 1016, customer: 'ethan', placed: 4, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[206, 1]], shipments: [{ lines: [[0, 1]], display: 'OUT_FOR_DELIVERY', carrier: 'usps', tracking: '9400111899221212121212', shipped: 2, inTransit: 2, eta: 0 }] },
  { number: 1017, customer: 'olivia', placed: 5, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[203, 1, 'Charcoal']], shipments: [{ lines: [[0, 1]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899223434343434', shipped: 4, inTransit: 4, eta: 1, delivered: 1 }] },
  { number: 1018, customer: 'lucas', placed: 2, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[207, 1]], shipments: [{ lines: [[0, 1]], display: 'LABEL_PRINTED', carrier: 'fedex', tracking: '612999AA10777888', shipped: 0, eta: -4 }] },
  { number: 1019, customer: 'ava', placed: 6, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[208, 1, 'M / Navy']], shipments: [{ lines: [[0, 1]], display: 'ATTEMPTED_DELIVERY', carrier: 'ups', tracking: '1Z999AA10133344455', shipped: 4, inTransit: 4, eta: 1 }] },
  { number: 1020, customer: 'henry', placed: 9, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[210, 1, '$50'], [207, 1]], shipments: [{ lines: [[0, 1], [1, 1]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899225656565656', shipped: 8, inTransit: 8, eta: 6, delivered: 6 }] },
  {
    number: 1021, customer: 'grace', placed: 12, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[204, 3, 'L']],
    shipments: [{ lines: [[0, 3]], display: 'DELIVERED', carrier: 'ups', tracking: '1Z999AA10144455566', shipped: 11, inTransit: 11, eta: 9, delivered: 9 }],
    returned: { status: 'REQUESTED', daysAgo: 2, lines: [[0, 0, 1, 'size-too-large']] },
  },
  {
    number: 1022, customer: null, placed: 6, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[201, 1, 'Blue']],
    guest: { email: 'guest.shopper@example.com', phone: '+14155550120', firstName: 'Robin', lastName: 'Guest', address: us('10 Main St', 'Springfield', 'Illinois', 'IL', '62701') },
    shipments: [{ lines: [[0, 1]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899227878787878', shipped: 5, inTransit: 5, eta: 3, delivered: 3 }],
  },
  { number: 1023, customer: 'jane', placed: 130, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[202, 2]], shipments: [{ lines: [[0, 2]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899229999000011', shipped: 126, inTransit: 126, eta: 121, delivered: 120 }] },
  { number: 1024, customer: 'zoe', placed: 35, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[205, 1, 'S / Grey']], shipments: [{ lines: [[0, 1]], display: 'DELIVERED', carrier: 'ups', tracking: '1Z999AA10166677788', shipped: 33, inTransit: 33, eta: 29, delivered: 29 }] },
  { number: 1025, customer: 'ben', placed: 7, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[203, 1, 'Oat']], shipments: [{ lines: [[0, 1]], display: 'DELAYED', carrier: 'fedex', tracking: '612999AA10999000', shipped: 5, inTransit: 4, eta: -3 }] },
  { number: 1026, customer: 'ruby', placed: 8, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[204, 3, 'M'], [201, 2, 'Sage']], shipments: [{ lines: [[0, 3], [1, 2]], display: 'DELIVERED', carrier: 'usps', tracking: '9400111899226565656565', shipped: 7, inTransit: 7, eta: 5, delivered: 5 }] },
  { number: 1027, customer: 'marcus', placed: 18, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[201, 1, 'Blue']], shipments: [{ lines: [[0, 1]], display: 'DELIVERED', carrier: 'ups', tracking: '1Z999AA10177788899', shipped: 17, inTransit: 17, eta: 15, delivered: 15 }] },
  { number: 1028, customer: 'sam', placed: 3, financial: 'PAID', fulfillment: 'FULFILLED', lines: [[206, 1]], shipments: [{ lines: [[0, 1]], display: 'IN_TRANSIT', carrier: 'usps', tracking: '9400111899224545454545', shipped: 2, inTransit: 2, eta: -3 }] },
];

const REASON_DEFINITIONS: [handle: string, name: string, deleted?: boolean][] = [
  ['damaged-or-defective', 'Damaged or defective'],
  ['wrong-item', 'Received the wrong item'],
  ['not-as-described', 'Item not as described'],
  ['size-too-small', 'Size was too small'],
  ['size-too-large', 'Size was too large'],
  ['unwanted', 'Customer changed their mind'],
  ['style', 'Style'],
  ['color', 'Color'],
  ['arrived-late', 'Arrived late'],
  ['quality', 'Quality'],
  ['comfort', 'Comfort'],
  ['too-tight', 'Too tight'],
  ['color-too-bright', 'Color too bright'],
  ['other', 'Other'],
  ['legacy-reason', 'Legacy reason', true],
];

/** Shopify's DateTime: ISO 8601 in UTC without fractional seconds (`2026-11-02T15:04:05Z`). */
export function shopifyDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds the demo shop as it stands at `now`. */
export function seedDemoStore(now: Date): TwinStoreData {
  const nowMs = now.getTime();
  // Orders are placed mid-morning; shipments move in the afternoon, so "n days ago" reads naturally.
  const daysAgo = (days: number, hour = 10): string => {
    const date = new Date(nowMs - days * DAY_MS);
    date.setUTCHours(hour, 0, 0, 0);
    return shopifyDateTime(date);
  };
  const customerIds = new Map<string, number>();
  const customers: TwinCustomer[] = CUSTOMERS.map(([key, firstName, lastName, phone, email], index) => {
    customerIds.set(key, 101 + index);
    return { id: 101 + index, firstName, lastName, email, phone, tags: [], createdAt: daysAgo(400 - index) };
  });
  const addressOf = (key: string): TwinAddress | null => {
    const seed = CUSTOMERS.find((candidate) => candidate[0] === key);
    return seed ? { ...seed[5], firstName: seed[1], lastName: seed[2], phone: seed[3] } : null;
  };
  const reasonDefinitions: TwinReasonDefinition[] = REASON_DEFINITIONS.map(([handle, name, deleted], index) => ({ id: 11 + index, handle, name, deleted: deleted === true }));
  const returns: TwinReturn[] = [];
  const orders: TwinOrder[] = ORDERS.map((seed) => {
    const id = 5000 + (seed.number - 1000);
    const customerId = seed.customer === null ? null : (customerIds.get(seed.customer) ?? null);
    const customer = customers.find((candidate) => candidate.id === customerId);
    const lineItems = seed.lines.map(([productId, quantity, variant, currentQuantity], index) => ({
      id: id * 10 + index,
      productId,
      title: PRODUCTS.find((product) => product.id === productId)?.title ?? 'Item',
      variantTitle: variant ?? null,
      sku: `JP-${productId}-${(variant ?? 'STD').replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`,
      quantity,
      currentQuantity: currentQuantity ?? quantity,
    }));
    const fulfillments: TwinFulfillment[] = (seed.shipments ?? []).map((shipment, shipmentIndex) => {
      const [company, urlOf] = CARRIERS[shipment.carrier];
      const lastEvent = shipment.delivered ?? shipment.inTransit ?? shipment.shipped;
      return {
        id: id * 10 + shipmentIndex,
        status: 'SUCCESS',
        displayStatus: shipment.display,
        createdAt: daysAgo(shipment.shipped, 9),
        updatedAt: daysAgo(lastEvent, 16),
        inTransitAt: shipment.inTransit === undefined ? null : daysAgo(shipment.inTransit, 18),
        estimatedDeliveryAt: shipment.eta === undefined ? null : daysAgo(shipment.eta, 20),
        deliveredAt: shipment.delivered === undefined ? null : daysAgo(shipment.delivered, 15),
        tracking: [{ company, number: shipment.tracking, url: urlOf(shipment.tracking) }],
        lines: shipment.lines.map(([lineIndex, quantity], position) => ({ id: id * 100 + shipmentIndex * 10 + position, lineItemId: id * 10 + lineIndex, quantity })),
      };
    });
    const order: TwinOrder = {
      id,
      name: `#${seed.number}`,
      confirmationNumber: `JP${seed.number}X${(seed.number * 7919).toString(36).toUpperCase()}`,
      customerId,
      email: seed.guest?.email ?? customer?.email ?? null,
      phone: seed.guest?.phone ?? customer?.phone ?? null,
      createdAt: daysAgo(seed.placed),
      processedAt: daysAgo(seed.placed),
      financialStatus: seed.financial,
      fulfillmentStatus: seed.fulfillment,
      cancelledAt: seed.cancelled ? daysAgo(seed.cancelled[0], 12) : null,
      cancelReason: seed.cancelled ? seed.cancelled[1] : null,
      closed: seed.cancelled !== undefined || seed.returned?.status === 'CLOSED',
      tags: seed.tags ?? [],
      note: null,
      shippingAddress: seed.guest ? { ...seed.guest.address, firstName: seed.guest.firstName, lastName: seed.guest.lastName, phone: seed.guest.phone } : seed.customer ? addressOf(seed.customer) : null,
      shippingLineTitle: seed.guest || !seed.customer || addressOf(seed.customer)?.countryCode === 'US' ? 'Standard Shipping' : 'International Shipping',
      lineItems,
      fulfillments,
      holds: seed.hold ? [{ reason: seed.hold[0], reasonNotes: seed.hold[1] }] : [],
    };
    if (seed.returned) {
      returns.push({
        id: 7000 - returns.length,
        name: `${order.name}-R1`,
        orderId: id,
        status: seed.returned.status,
        createdAt: daysAgo(seed.returned.daysAgo, 11),
        lines: seed.returned.lines.map(([shipmentIndex, lineIndex, quantity, handle], position) => ({
          id: 8000 - returns.length * 10 - position,
          fulfillmentLineItemId: fulfillments[shipmentIndex]?.lines[lineIndex]?.id ?? 0,
          quantity,
          returnReasonDefinitionId: reasonDefinitions.find((definition) => definition.handle === handle)?.id ?? null,
          returnReason: 'UNKNOWN',
          customerNote: null,
          returnReasonNote: '',
        })),
      });
    }
    return order;
  });
  return { shopName: 'Juniper & Pine', shopDomain: DEMO_SHOP_DOMAIN, customers, products: PRODUCTS, orders, returns, reasonDefinitions };
}
