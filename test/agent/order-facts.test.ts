import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/commerce/order-lookup.ts';
import { toOrderFacts, toReturnableOrder, toVerifiableOrder } from '../../src/agent/order-facts.ts';
import { buildDeliveredOrder, buildOrder, buildShipment, daysAgo, returnableOf } from '../support/commerce-fakes.ts';

describe('toOrderFacts', () => {
  it.each<[string, Partial<Order>, Partial<ReturnType<typeof toOrderFacts>>]>([
    ['keeps a known payment and fulfillment status', {}, { financialStatus: 'paid', fulfillmentStatus: 'fulfilled' }],
    ['reads an unknown payment status as one that needs no explaining', { financialStatus: 'unknown' }, { financialStatus: 'paid' }],
    ['reads an unknown fulfillment status as not fulfilled', { fulfillmentStatus: 'unknown' }, { fulfillmentStatus: 'unfulfilled' }],
    ['reads a hold seen on a fulfillment order as on hold', { fulfillmentStatus: 'unfulfilled', isOnHold: true, fulfillments: [] }, { fulfillmentStatus: 'on_hold' }],
    ['keeps a partial fulfillment even when the rest is held', { fulfillmentStatus: 'partially_fulfilled', isOnHold: true }, { fulfillmentStatus: 'partially_fulfilled' }],
    ['has no cancel reason for an open order', { cancelReason: 'customer' }, { cancelledAt: null, cancelReason: null }],
    ['gives a cancelled order without a known reason the reason other', { cancelledAt: daysAgo(2), cancelReason: 'unknown' }, { cancelledAt: new Date(daysAgo(2)), cancelReason: 'other' }],
    ['keeps a known cancel reason', { cancelledAt: daysAgo(2), cancelReason: 'inventory' }, { cancelReason: 'inventory' }],
    ["falls back to the customer's email for an order without one", { email: null }, { email: 'jane.doe@example.com' }],
  ])('%s', (_name, overrides, expected) => {
    expect(toOrderFacts(buildOrder(overrides))).toMatchObject(expected);
  });

  it('counts the current quantity of each line item, after removals', () => {
    const order = buildOrder();
    order.lineItems[0] = { ...order.lineItems[0]!, currentQuantity: 1 };
    expect(toOrderFacts(order).lineItems).toEqual([
      { id: 'gid://shopify/LineItem/50010', name: 'Ceramic Mug', quantity: 1 },
      { id: 'gid://shopify/LineItem/50011', name: 'Tea Sampler', quantity: 1 },
    ]);
  });

  it.each<[Order['fulfillments'][number]['status'], { status: string; displayStatus: string | null }]>([
    ['in_transit', { status: 'success', displayStatus: 'in_transit' }],
    ['delivered', { status: 'success', displayStatus: 'delivered' }],
    ['canceled', { status: 'cancelled', displayStatus: 'canceled' }],
    ['failure', { status: 'failure', displayStatus: 'failure' }],
    ['unknown', { status: 'success', displayStatus: null }],
  ])('maps a %s shipment to the policy statuses', (status, expected) => {
    expect(toOrderFacts(buildOrder({ fulfillments: [buildShipment({ status })] })).shipments[0]).toMatchObject(expected);
  });

  it('names the items in a shipment and turns its timestamps into dates', () => {
    const [shipment] = toOrderFacts(buildOrder()).shipments;
    expect(shipment).toEqual({
      id: 'gid://shopify/Fulfillment/50010',
      status: 'success',
      displayStatus: 'in_transit',
      carrier: 'UPS',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      inTransitAt: new Date(daysAgo(3, 18)),
      estimatedDeliveryAt: new Date(daysAgo(-2, 20)),
      deliveredAt: null,
      items: [
        { lineItemId: 'gid://shopify/LineItem/50010', name: 'Ceramic Mug', quantity: 2 },
        { lineItemId: 'gid://shopify/LineItem/50011', name: 'Tea Sampler', quantity: 1 },
      ],
    });
  });

  it('carries no address, phone or payment field', () => {
    expect(Object.keys(toOrderFacts(buildOrder())).sort()).toEqual(['cancelReason', 'cancelledAt', 'email', 'financialStatus', 'fulfillmentStatus', 'lineItems', 'name', 'shipments']);
  });
});

describe('toVerifiableOrder', () => {
  it.each<[string, Partial<Order>, Partial<ReturnType<typeof toVerifiableOrder>>]>([
    ["takes the order's phone and its customer's, once each", {}, { customerPhones: ['+14155550100'], email: 'jane.doe@example.com', postalCodes: ['94107'] }],
    ['keeps both when they differ', { phone: '+14155550177' }, { customerPhones: ['+14155550177', '+14155550100'] }],
    ["takes a guest's phone from the order alone", { customer: null, phone: '+14155550120', email: 'guest.shopper@example.com' }, { customerPhones: ['+14155550120'], email: 'guest.shopper@example.com' }],
    ['has no phone when neither has one', { customer: null, phone: null }, { customerPhones: [] }],
    ['has no postal code without a shipping address', { shippingAddress: null }, { postalCodes: [] }],
    ["falls back to the customer's email", { email: null }, { email: 'jane.doe@example.com' }],
  ])('%s', (_name, overrides, expected) => {
    expect(toVerifiableOrder(buildOrder(overrides))).toMatchObject({ id: 'gid://shopify/Order/5001', name: '#1001', ...expected });
  });
});

describe('toReturnableOrder', () => {
  it('gives each line item its delivered parcels and nothing returned yet', () => {
    const order = buildDeliveredOrder();
    expect(toReturnableOrder(order, returnableOf(order))).toEqual({
      isCancelled: false,
      lineItems: [
        { id: 'gid://shopify/LineItem/50010', name: 'Ceramic Mug', quantity: 2, productType: 'Kitchen', tags: [], isFinalSale: false, deliveries: [{ quantity: 2, deliveredAt: new Date(daysAgo(5)) }], returnedQuantity: 0 },
        { id: 'gid://shopify/LineItem/50011', name: 'Tea Sampler', quantity: 1, productType: 'Food', tags: ['consumable'], isFinalSale: false, deliveries: [{ quantity: 1, deliveredAt: new Date(daysAgo(5)) }], returnedQuantity: 0 },
      ],
    });
  });

  it.each<[string, (order: Order) => { order: Order; returnable: ReturnType<typeof returnableOf> }, { deliveries: number; returnedQuantity: number; quantity?: number }]>([
    ['counts what the shop no longer accepts as returned', (order) => ({ order, returnable: returnableOf(order).map((item) => ({ ...item, returnableQuantity: item.returnableQuantity - 1 })) }), { deliveries: 2, returnedQuantity: 1 }],
    ['has no deliveries for a parcel still in transit', (order) => ({ order: buildOrder(), returnable: [] }), { deliveries: 0, returnedQuantity: 0 }],
    [
      'ignores a cancelled parcel',
      (order) => ({ order: { ...order, fulfillments: order.fulfillments.map((shipment) => ({ ...shipment, status: 'canceled' as const })) }, returnable: [] }),
      { deliveries: 0, returnedQuantity: 0 },
    ],
    [
      'caps what counts as delivered at the current quantity after a refund',
      (order) => ({ order: { ...order, lineItems: order.lineItems.map((item) => ({ ...item, currentQuantity: 1 })) }, returnable: returnableOf(order).map((item) => ({ ...item, returnableQuantity: 0 })) }),
      { deliveries: 2, returnedQuantity: 1, quantity: 1 },
    ],
  ])('%s', (_name, arrange, expected) => {
    const { order, returnable } = arrange(buildDeliveredOrder());
    const [mug] = toReturnableOrder(order, returnable).lineItems;
    expect(mug?.deliveries.reduce((total, delivery) => total + delivery.quantity, 0)).toBe(expected.deliveries);
    expect(mug?.returnedQuantity).toBe(expected.returnedQuantity);
    if (expected.quantity !== undefined) expect(mug?.quantity).toBe(expected.quantity);
  });

  it('marks a cancelled order and keeps final sale, tags and product type', () => {
    const order = buildDeliveredOrder();
    order.lineItems[0] = { ...order.lineItems[0]!, isFinalSale: true, tags: ['final-sale'] };
    const returnable = toReturnableOrder({ ...order, cancelledAt: daysAgo(1) }, returnableOf(order));
    expect(returnable.isCancelled).toBe(true);
    expect(returnable.lineItems[0]).toMatchObject({ isFinalSale: true, tags: ['final-sale'], productType: 'Kitchen' });
  });
});
