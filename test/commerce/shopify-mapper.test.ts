import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  mapCustomerByPhone,
  mapOrderByName,
  mapOrderDetail,
  mapQueryCost,
  mapRecentOrders,
  mapReturnableItems,
  mapReturnReasonDefinitions,
  mapReturnRequest,
} from '../../src/commerce/shopify-mapper.ts';

function fixture(name: string): { data?: unknown; extensions?: unknown } {
  const parsed: unknown = JSON.parse(readFileSync(new URL(`../fixtures/shopify/${name}`, import.meta.url), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${name} is not an object`);
  return { data: Reflect.get(parsed, 'data'), extensions: Reflect.get(parsed, 'extensions') };
}

function objectAt(value: unknown, key: string): object {
  const found: unknown = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
  if (typeof found !== 'object' || found === null) throw new Error(`no object at ${key}`);
  return found;
}

function orderFrom(name: string) {
  const mapped = mapOrderDetail(fixture(name).data);
  if (!mapped.ok || !mapped.value) throw new Error(`${name} did not map: ${JSON.stringify(mapped)}`);
  return mapped.value;
}

describe('mapOrderDetail', () => {
  it('maps an order in transit with its carrier, tracking and dates', () => {
    expect(orderFrom('order-detail-in-transit.json')).toEqual({
      id: 'gid://shopify/Order/5001',
      name: '#1001',
      createdAt: '2026-11-16T10:00:00Z',
      processedAt: '2026-11-16T10:00:00Z',
      customer: { id: 'gid://shopify/Customer/101', firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com', phone: '+14155550100' },
      email: 'jane.doe@example.com',
      phone: '+14155550100',
      shippingAddress: { zip: '94107', countryCode: 'US', city: 'San Francisco' },
      financialStatus: 'paid',
      fulfillmentStatus: 'fulfilled',
      isOnHold: false,
      holdReason: null,
      cancelledAt: null,
      cancelReason: null,
      lineItems: [
        { id: 'gid://shopify/LineItem/50010', title: 'Ceramic Mug', variantTitle: 'Sage', quantity: 2, currentQuantity: 2, productType: 'Kitchen', tags: [], isFinalSale: false },
        { id: 'gid://shopify/LineItem/50011', title: 'Tea Sampler', variantTitle: null, quantity: 1, currentQuantity: 1, productType: 'Food', tags: ['consumable'], isFinalSale: false },
      ],
      fulfillments: [
        {
          id: 'gid://shopify/Fulfillment/50010',
          status: 'in_transit',
          carrier: 'UPS',
          trackingNumber: '1Z999AA10123456784',
          trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
          shippedAt: '2026-11-17T09:00:00Z',
          estimatedDeliveryAt: '2026-11-22T20:00:00Z',
          inTransitAt: '2026-11-17T18:00:00Z',
          deliveredAt: null,
          lineItems: [
            { fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500100', lineItemId: 'gid://shopify/LineItem/50010', quantity: 2 },
            { fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/500101', lineItemId: 'gid://shopify/LineItem/50011', quantity: 1 },
          ],
        },
      ],
      returns: [],
      returnStatus: 'no_return',
      tags: [],
    });
  });

  it.each([
    ['order-detail-on-hold.json', { fulfillmentStatus: 'on_hold', isOnHold: true, holdReason: 'incorrect_address', fulfillments: [] }],
    ['order-detail-cancelled.json', { cancelledAt: '2026-11-13T12:00:00Z', cancelReason: 'customer', financialStatus: 'refunded', lineItems: [{ quantity: 1, currentQuantity: 0 }] }],
    ['order-detail-already-returned.json', { returnStatus: 'returned', returns: [{ name: '#1010-R1', status: 'closed', totalQuantity: 1 }] }],
    ['order-detail-guest-checkout.json', { customer: null, email: 'guest.shopper@example.com', phone: '+14155550120', shippingAddress: { zip: '62701', countryCode: 'US', city: 'Springfield' } }],
  ])('maps %s', (name, expected) => {
    expect(orderFrom(name)).toMatchObject(expected);
  });

  it('marks final-sale items from their product tags', () => {
    expect(orderFrom('order-detail-final-sale.json').lineItems.map((item) => [item.title, item.isFinalSale, item.tags])).toEqual([
      ['Clearance Soy Candle', true, ['final-sale', 'clearance']],
      ['Ceramic Mug', false, []],
    ]);
  });

  it('keeps every shipment of an order shipped in several parcels', () => {
    expect(orderFrom('order-detail-several-shipments.json').fulfillments.map((shipment) => [shipment.status, shipment.carrier, shipment.deliveredAt !== null])).toEqual([
      ['delivered', 'Canada Post', true],
      ['in_transit', 'Canada Post', false],
      ['label_printed', 'UPS', false],
    ]);
  });

  it('turns an enum value Shopify adds later into unknown instead of failing', () => {
    const wire = structuredClone(fixture('order-detail-in-transit.json').data);
    const order = objectAt(wire, 'order');
    Reflect.set(order, 'displayFulfillmentStatus', 'TELEPORTED');
    Reflect.set(objectAt(objectAt(order, 'fulfillments'), '0'), 'displayStatus', 'DRONE_DROPPED');
    const mapped = mapOrderDetail(wire);
    expect(mapped.ok && mapped.value).toMatchObject({ fulfillmentStatus: 'unknown', fulfillments: [{ status: 'unknown' }] });
  });

  it('maps a missing order to null and a malformed answer to an error', () => {
    expect(mapOrderDetail({ order: null })).toEqual({ ok: true, value: null });
    const malformed = mapOrderDetail({ order: { id: 5 } });
    expect(malformed.ok).toBe(false);
    expect(mapOrderDetail('nonsense').ok).toBe(false);
  });
});

describe('mapOrderByName', () => {
  it('takes only the order whose name matches exactly', () => {
    const order = objectAt(fixture('order-detail-in-transit.json').data, 'order');
    const near = { ...order, id: 'gid://shopify/Order/1', name: '#10010' };
    expect(mapOrderByName({ orders: { nodes: [near, order] } }, '#1001')).toMatchObject({ ok: true, value: { id: 'gid://shopify/Order/5001' } });
    expect(mapOrderByName({ orders: { nodes: [near] } }, '#1001')).toEqual({ ok: true, value: null });
  });
});

describe('the smaller answers', () => {
  it('maps a customer found by phone, and none', () => {
    expect(mapCustomerByPhone(fixture('customer-by-phone-found.json').data)).toEqual({
      ok: true,
      value: { id: 'gid://shopify/Customer/101', firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com', phone: '+14155550100' },
    });
    expect(mapCustomerByPhone({ customerByIdentifier: null })).toEqual({ ok: true, value: null });
  });

  it('maps recent orders newest first, and a missing customer to null', () => {
    const mapped = mapRecentOrders(fixture('recent-orders.json').data);
    expect(mapped.ok && mapped.value?.map((order) => [order.name, order.fulfillmentStatus])).toEqual([
      ['#1003', 'unfulfilled'],
      ['#1001', 'fulfilled'],
      ['#1002', 'fulfilled'],
    ]);
    expect(mapRecentOrders({ customer: null })).toEqual({ ok: true, value: null });
  });

  it('flattens returnable fulfillments into items with what is left to return', () => {
    expect(mapReturnableItems(fixture('returnable-items-partly-returned.json').data)).toEqual({
      ok: true,
      value: [
        {
          fulfillmentId: 'gid://shopify/Fulfillment/50210',
          fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/502100',
          lineItemId: 'gid://shopify/LineItem/50210',
          title: 'Wool Socks',
          returnableQuantity: 2,
          deliveredAt: '2026-11-11T15:00:00Z',
        },
      ],
    });
  });

  it('drops deleted return reason definitions', () => {
    const data = { returnReasonDefinitions: { nodes: [{ id: 'a', handle: 'quality', name: 'Quality', deleted: false }, { id: 'b', handle: 'old', name: 'Old', deleted: true }] } };
    expect(mapReturnReasonDefinitions(data)).toEqual({ ok: true, value: [{ id: 'a', handle: 'quality', name: 'Quality' }] });
  });

  it('maps the contract’s created return and its user error', () => {
    expect(mapReturnRequest(fixture('return-request-created.json').data)).toEqual({
      ok: true,
      value: { kind: 'created', receipt: { id: 'gid://shopify/Return/9999999999', name: '#1001-R1', status: 'requested', items: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/7777777777', quantity: 1 }] } },
    });
    expect(mapReturnRequest(fixture('return-request-user-error.json').data)).toEqual({
      ok: true,
      value: { kind: 'refused', userErrors: [{ field: ['input', 'returnLineItems', '0', 'quantity'], message: 'Quantity is greater than the returnable quantity.', code: 'INVALID' }] },
    });
  });

  it('reads the cost extension of a throttled answer, where actualQueryCost is null', () => {
    expect(mapQueryCost(fixture('throttled.json').extensions)).toEqual({
      requestedQueryCost: 752,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 },
    });
    expect(mapQueryCost(undefined)).toBeNull();
  });
});
