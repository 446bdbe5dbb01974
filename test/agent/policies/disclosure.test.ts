import { describe, expect, it } from 'vitest';
import { discloseOrder, maskEmailForSpeech, type OrderFacts, type ShipmentFacts } from '../../../src/agent/policies/disclosure.ts';

// Wednesday, November 4th 2026, 10 AM in New York (after the autumn DST change).
const NOW = new Date('2026-11-04T15:00:00Z');
const CONTEXT = { now: NOW, timeZone: 'America/New_York' };

const MUG = { id: 'gid://shopify/LineItem/111', name: 'Ceramic Mug - Blue', quantity: 2 };
const TEA = { id: 'gid://shopify/LineItem/112', name: 'Tea Sampler', quantity: 1 };

function shipment(overrides: Partial<ShipmentFacts> = {}): ShipmentFacts {
  return {
    id: 'gid://shopify/Fulfillment/1',
    status: 'success',
    displayStatus: 'in_transit',
    carrier: 'UPS',
    trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    inTransitAt: new Date('2026-11-03T18:30:00Z'),
    estimatedDeliveryAt: new Date('2026-11-06T00:00:00Z'),
    deliveredAt: null,
    items: [
      { lineItemId: MUG.id, name: MUG.name, quantity: 2 },
      { lineItemId: TEA.id, name: TEA.name, quantity: 1 },
    ],
    ...overrides,
  };
}

function order(overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    name: '#1001',
    email: 'jane.doe@example.com',
    financialStatus: 'paid',
    fulfillmentStatus: 'fulfilled',
    cancelledAt: null,
    cancelReason: null,
    lineItems: [MUG, TEA],
    shipments: [shipment()],
    ...overrides,
  };
}

const MUG_BOX = { id: 'gid://shopify/Fulfillment/1', items: [{ lineItemId: MUG.id, name: MUG.name, quantity: 2 }] };
const TEA_BOX = { id: 'gid://shopify/Fulfillment/2', items: [{ lineItemId: TEA.id, name: TEA.name, quantity: 1 }] };

describe('discloseOrder: one box', () => {
  it.each([
    [
      'in transit with a date-only estimate, read as that calendar day, not the evening before',
      {},
      'Order 1001 is on its way with UPS, expected Friday.',
    ],
    ['expected today', { estimatedDeliveryAt: new Date('2026-11-04T00:00:00Z') }, 'Order 1001 is on its way with UPS, expected today.'],
    ['expected tomorrow', { estimatedDeliveryAt: new Date('2026-11-05T00:00:00Z') }, 'Order 1001 is on its way with UPS, expected tomorrow.'],
    [
      'expected in more than a week',
      { estimatedDeliveryAt: new Date('2026-11-20T00:00:00Z') },
      'Order 1001 is on its way with UPS, expected on November 20th.',
    ],
    [
      'an estimate with a time of day, read in the store zone (Thursday evening there, Friday in UTC)',
      { estimatedDeliveryAt: new Date('2026-11-06T03:00:00Z') },
      'Order 1001 is on its way with UPS, expected tomorrow.',
    ],
    ['out for delivery', { displayStatus: 'out_for_delivery', estimatedDeliveryAt: null }, 'Order 1001 is out for delivery with UPS.'],
    [
      'waiting for the carrier, without naming the carrier yet',
      { displayStatus: 'label_printed', inTransitAt: null, estimatedDeliveryAt: null },
      'Order 1001 is packed and waiting for the carrier to pick it up.',
    ],
    [
      'with no display status, from its timestamps',
      { displayStatus: null, estimatedDeliveryAt: null },
      'Order 1001 is on its way with UPS.',
    ],
    [
      'delivered yesterday',
      { displayStatus: 'delivered', deliveredAt: new Date('2026-11-03T19:00:00Z') },
      'Order 1001 was delivered by UPS yesterday.',
    ],
    [
      'delivered more than a week ago',
      { displayStatus: 'delivered', deliveredAt: new Date('2026-10-20T19:00:00Z') },
      'Order 1001 was delivered by UPS on October 20th.',
    ],
    ['ready for pickup', { displayStatus: 'ready_for_pickup', carrier: null }, 'Order 1001 is ready for pickup.'],
  ] as const)('says a shipment %s', (_label, overrides, summary) => {
    const disclosure = discloseOrder(order({ shipments: [shipment(overrides)] }), CONTEXT);

    expect(disclosure.tellCaller.summary).toBe(summary);
    expect(disclosure.escalate).toBeNull();
  });

  it('reports the status, carrier, day and tracking of the box', () => {
    const disclosure = discloseOrder(order(), CONTEXT);

    expect(disclosure.tellCaller).toMatchObject({
      orderName: '1001',
      status: 'shipped',
      notShipped: null,
      shipments: [{ progress: 'in_transit', carrier: 'UPS', day: 'Friday', isDelivered: false, hasTracking: true }],
    });
    expect(disclosure.trackingLinks).toEqual([{ carrier: 'UPS', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' }]);
  });

  it('marks the order delivered once every box has arrived', () => {
    const disclosure = discloseOrder(order({ shipments: [shipment({ displayStatus: 'delivered', deliveredAt: new Date('2026-11-04T14:00:00Z') })] }), CONTEXT);

    expect(disclosure.tellCaller.status).toBe('delivered');
    expect(disclosure.tellCaller.summary).toBe('Order 1001 was delivered by UPS today.');
  });
});

describe('discloseOrder: delivery exceptions', () => {
  it.each([
    [
      'past its estimated day and not delivered',
      shipment({ estimatedDeliveryAt: new Date('2026-11-02T00:00:00Z') }),
      {},
      'late',
      'Order 1001 is on its way with UPS. It was expected Monday and hasn\'t arrived yet.',
    ],
    [
      'marked delivered while the caller says it is not there',
      shipment({ displayStatus: 'delivered', deliveredAt: new Date('2026-11-03T19:00:00Z') }),
      { callerReportsNotReceived: true },
      'delivered_not_received',
      'Order 1001 was delivered by UPS yesterday.',
    ],
    [
      'reported undeliverable by the carrier',
      shipment({ displayStatus: 'not_delivered' }),
      {},
      'carrier_failure',
      "Order 1001 couldn't be delivered by UPS.",
    ],
    ['failed at the carrier', shipment({ status: 'failure', displayStatus: null }), {}, 'carrier_failure', "Order 1001 couldn't be delivered by UPS."],
    [
      'undeliverable, with no carrier named',
      shipment({ displayStatus: 'failure', carrier: null }),
      {},
      'carrier_failure',
      "Order 1001 couldn't be delivered by the carrier.",
    ],
  ] as const)('escalates a parcel %s', (_label, box, extra, kind, summary) => {
    const disclosure = discloseOrder(order({ shipments: [box] }), { ...CONTEXT, ...extra });

    expect(disclosure.escalate).toEqual({ reason: 'delivery_exception', exceptions: [{ shipmentId: box.id, kind }] });
    expect(disclosure.tellCaller.summary).toBe(summary);
  });

  it.each([
    ['expected today and not yet delivered', shipment({ estimatedDeliveryAt: new Date('2026-11-04T00:00:00Z') }), {}],
    ['in transit without an estimate', shipment({ estimatedDeliveryAt: null }), {}],
    ['the caller reports it missing but it is still on its way', shipment(), { callerReportsNotReceived: true }],
    ['waiting at a pickup point past its estimate', shipment({ displayStatus: 'ready_for_pickup', estimatedDeliveryAt: new Date('2026-11-01T00:00:00Z') }), {}],
  ] as const)('does not escalate a parcel %s', (_label, box, extra) => {
    expect(discloseOrder(order({ shipments: [box] }), { ...CONTEXT, ...extra }).escalate).toBeNull();
  });

  it('names only the late box when one of several is late', () => {
    const late = shipment({ ...MUG_BOX, estimatedDeliveryAt: new Date('2026-10-30T00:00:00Z') });
    const fine = shipment({ ...TEA_BOX });

    expect(discloseOrder(order({ shipments: [late, fine] }), CONTEXT).escalate?.exceptions).toEqual([{ shipmentId: MUG_BOX.id, kind: 'late' }]);
  });
});

describe('discloseOrder: several boxes and unshipped items', () => {
  it('speaks each box with its items, carrier and day', () => {
    const shipments = [
      shipment({ ...MUG_BOX }),
      shipment({ ...TEA_BOX, carrier: 'USPS', displayStatus: 'delivered', deliveredAt: new Date('2026-11-03T19:00:00Z'), trackingUrl: null }),
    ];

    const disclosure = discloseOrder(order({ shipments }), CONTEXT);

    expect(disclosure.tellCaller.summary).toBe(
      'Order 1001 is coming in 2 boxes. The box with 2 Ceramic Mug - Blue is on its way with UPS, expected Friday. ' +
        'The box with the Tea Sampler was delivered by USPS yesterday.',
    );
    expect(disclosure.tellCaller.status).toBe('shipped');
    expect(disclosure.trackingLinks).toHaveLength(1);
  });

  it('says what has not shipped yet when part of the order has', () => {
    const disclosure = discloseOrder(order({ fulfillmentStatus: 'partially_fulfilled', shipments: [shipment({ ...MUG_BOX })] }), CONTEXT);

    expect(disclosure.tellCaller.status).toBe('partially_shipped');
    expect(disclosure.tellCaller.notShipped).toEqual({
      reason: 'being_prepared',
      items: ['the Tea Sampler'],
      sentence: 'Not shipped yet: the Tea Sampler; our warehouse is getting it ready.',
    });
    expect(disclosure.tellCaller.summary).toBe(
      'Part of order 1001 has shipped. The box with 2 Ceramic Mug - Blue is on its way with UPS, expected Friday. ' +
        'Not shipped yet: the Tea Sampler; our warehouse is getting it ready.',
    );
  });

  it('ignores a cancelled shipment and a voided label', () => {
    const shipments = [shipment({ status: 'cancelled' }), shipment({ id: 'gid://shopify/Fulfillment/9', displayStatus: 'label_voided' })];

    const disclosure = discloseOrder(order({ fulfillmentStatus: 'unfulfilled', shipments }), CONTEXT);

    expect(disclosure.tellCaller.status).toBe('not_shipped');
    expect(disclosure.tellCaller.shipments).toEqual([]);
    expect(disclosure.trackingLinks).toEqual([]);
  });
});

describe('discloseOrder: not shipped and why', () => {
  it.each([
    [{ financialStatus: 'pending' }, 'awaiting_payment', "Order 1001 hasn't shipped yet because the payment hasn't come through yet."],
    [{ financialStatus: 'partially_paid' }, 'awaiting_payment', "Order 1001 hasn't shipped yet because the payment hasn't come through yet."],
    [{ financialStatus: 'expired' }, 'payment_problem', "Order 1001 hasn't shipped yet because there's a problem with the payment."],
    [{ fulfillmentStatus: 'on_hold' }, 'on_hold', "Order 1001 hasn't shipped yet because the order is on hold."],
    [{ fulfillmentStatus: 'scheduled' }, 'scheduled', "Order 1001 hasn't shipped yet because it's scheduled to ship later."],
    [{ fulfillmentStatus: 'request_declined' }, 'fulfillment_problem', "Order 1001 hasn't shipped yet because our warehouse ran into a problem with it."],
    [{ fulfillmentStatus: 'unfulfilled', financialStatus: 'authorized' }, 'being_prepared', "Order 1001 hasn't shipped yet; our warehouse is getting it ready."],
  ] as const)('explains %j as %s', (overrides, reason, summary) => {
    const disclosure = discloseOrder(order({ fulfillmentStatus: 'unfulfilled', ...overrides, shipments: [] }), CONTEXT);

    expect(disclosure.tellCaller.status).toBe('not_shipped');
    expect(disclosure.tellCaller.notShipped?.reason).toBe(reason);
    expect(disclosure.tellCaller.summary).toBe(summary);
  });

  it('says an order with nothing to ship has nothing to ship', () => {
    const disclosure = discloseOrder(order({ fulfillmentStatus: 'fulfillment_not_required', shipments: [] }), CONTEXT);

    expect(disclosure.tellCaller).toMatchObject({ status: 'no_shipping_needed', notShipped: null, summary: 'Order 1001 has nothing that needs shipping.' });
  });
});

describe('discloseOrder: cancelled and refunded', () => {
  it.each([
    ['customer', 'Order 1001 was cancelled Monday at your request. Our records show it was refunded in full.'],
    ['inventory', 'Order 1001 was cancelled Monday because an item was out of stock. Our records show it was refunded in full.'],
    ['declined', 'Order 1001 was cancelled Monday because the payment was declined. Our records show it was refunded in full.'],
    ['fraud', 'Order 1001 was cancelled Monday. Our records show it was refunded in full.'],
    ['staff', 'Order 1001 was cancelled Monday. Our records show it was refunded in full.'],
  ] as const)('says a cancellation for reason %s without shipments or tracking', (cancelReason, summary) => {
    const cancelled = order({ cancelledAt: new Date('2026-11-02T16:00:00Z'), cancelReason, financialStatus: 'refunded', fulfillmentStatus: 'unfulfilled' });

    const disclosure = discloseOrder(cancelled, CONTEXT);

    expect(disclosure.tellCaller).toMatchObject({ status: 'cancelled', shipments: [], notShipped: null, summary });
    expect(disclosure.trackingLinks).toEqual([]);
    expect(disclosure.escalate).toBeNull();
  });

  it('mentions a partial refund on an order that shipped', () => {
    const disclosure = discloseOrder(order({ financialStatus: 'partially_refunded' }), CONTEXT);

    expect(disclosure.tellCaller.summary).toBe('Order 1001 is on its way with UPS, expected Friday. Our records show part of it was refunded.');
  });
});

describe('discloseOrder: personal data', () => {
  it('never puts the email in what may be told, unless asked for the masked form', () => {
    const plain = discloseOrder(order(), CONTEXT);
    const masked = discloseOrder(order(), { ...CONTEXT, includeMaskedEmail: true });

    expect(JSON.stringify(plain)).not.toContain('@');
    expect(masked.tellCaller.maskedEmail).toBe('j•••@example.com');
    expect(JSON.stringify(masked.tellCaller)).not.toContain('jane');
  });

  it.each([
    ['jane@gmail.com', 'j•••@gmail.com'],
    ['J@Example.COM', 'J•••@example.com'],
    ['@example.com', null],
    ['jane@', null],
  ])('masks %j as %j', (email, masked) => {
    expect(maskEmailForSpeech(email)).toBe(masked);
  });
});
