import { describe, expect, it } from 'vitest';
import { DEMO_UNKNOWN_CALLER, seedDemoStore } from '../../../src/twins/shopify/demo-store.ts';
import type { TwinOrder } from '../../../src/twins/shopify/store-data.ts';
import { TwinStore } from '../../../src/twins/shopify/twin-store.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const data = seedDemoStore(NOW);
const store = new TwinStore(data);
const byName = (name: string): TwinOrder => {
  const order = data.orders.find((candidate) => candidate.name === name);
  if (!order) throw new Error(`no ${name}`);
  return order;
};
const daysFromNow = (iso: string | null): number => (iso === null ? Number.NaN : Math.round((Date.parse(iso) - NOW.getTime()) / 86_400_000));

describe('demo store', () => {
  it('holds at least 25 orders with unique names and customers with E.164 phones', () => {
    expect(data.orders.length).toBeGreaterThanOrEqual(25);
    expect(new Set(data.orders.map((order) => order.name)).size).toBe(data.orders.length);
    for (const customer of data.customers) if (customer.phone !== null) expect(customer.phone).toMatch(/^\+[1-9]\d{6,14}$/);
  });

  it('is the same store for the same now', () => {
    expect(seedDemoStore(new Date(NOW))).toEqual(data);
  });

  it.each<[string, string, (order: TwinOrder) => boolean]>([
    ['unfulfilled', '#1003', (order) => order.fulfillmentStatus === 'UNFULFILLED' && order.fulfillments.length === 0],
    ['on hold with a reason', '#1005', (order) => order.fulfillmentStatus === 'ON_HOLD' && order.holds[0]?.reason === 'INCORRECT_ADDRESS'],
    ['partially fulfilled', '#1006', (order) => order.fulfillmentStatus === 'PARTIALLY_FULFILLED'],
    ['in transit, due in two days', '#1001', (order) => order.fulfillments[0]?.displayStatus === 'IN_TRANSIT' && daysFromNow(order.fulfillments[0].estimatedDeliveryAt) === 2],
    ['delivered ten days ago', '#1002', (order) => daysFromNow(order.fulfillments[0]?.deliveredAt ?? null) === -10],
    ['late beyond its estimate', '#1007', (order) => order.fulfillments[0]?.deliveredAt === null && daysFromNow(order.fulfillments[0].estimatedDeliveryAt) < 0],
    ['cancelled', '#1008', (order) => order.cancelledAt !== null && order.cancelReason === 'CUSTOMER'],
    ['refunded', '#1009', (order) => order.financialStatus === 'REFUNDED' && order.cancelledAt === null],
    ['already returned', '#1010', (order) => store.returnsOf(order.id).some((record) => record.status === 'CLOSED')],
    ['final sale', '#1011', (order) => order.lineItems.some((item) => store.product(item.productId)?.tags.includes('final-sale'))],
    ['international', '#1012', (order) => order.shippingAddress?.countryCode === 'GB'],
    ['several shipments', '#1013', (order) => order.fulfillments.length === 3],
    ['unpaid', '#1015', (order) => order.financialStatus === 'PENDING'],
    ['a guest checkout', '#1022', (order) => order.customerId === null && order.email !== null],
  ])('has an order that is %s (%s)', (_what, name, holds) => {
    expect(holds(byName(name))).toBe(true);
  });

  it('has a customer with several orders and a caller it does not know', () => {
    expect(store.ordersOfCustomer(store.customerByPhone('+14155550100')?.id ?? 0).map((order) => order.name)).toEqual(['#1001', '#1002', '#1003', '#1004', '#1023']);
    expect(store.customerByPhone(DEMO_UNKNOWN_CALLER)).toBeUndefined();
  });

  it('ships only what each order holds', () => {
    for (const order of data.orders) {
      for (const fulfillment of order.fulfillments) {
        for (const line of fulfillment.lines) {
          const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
          expect(item, `${order.name} ships an item it does not hold`).toBeDefined();
          expect(line.quantity).toBeLessThanOrEqual(item?.quantity ?? 0);
        }
      }
    }
  });
});
