import { describe, expect, it } from 'vitest';
import {
  checkReturnEligibility,
  decideRequest,
  type ReturnLineItem,
  type ReturnPolicy,
} from '../../../src/agent/policies/returns-eligibility.ts';

// Wednesday, November 4th 2026, 10 AM in New York.
const CLOCK = { now: new Date('2026-11-04T15:00:00Z'), timeZone: 'America/New_York' };
const POLICY: ReturnPolicy = { windowDays: 30, excludedProductTypes: ['Gift Card'], excludedTags: ['final-sale'] };

function item(overrides: Partial<ReturnLineItem> = {}): ReturnLineItem {
  return {
    id: 'gid://shopify/LineItem/1',
    name: 'Trailhead Fleece',
    quantity: 1,
    productType: 'Jackets',
    tags: ['fleece'],
    isFinalSale: false,
    deliveries: [{ quantity: 1, deliveredAt: new Date('2026-10-10T18:00:00Z') }],
    returnedQuantity: 0,
    ...overrides,
  };
}

function check(lineItem: ReturnLineItem, isCancelled = false) {
  const result = checkReturnEligibility({ isCancelled, lineItems: [lineItem] }, POLICY, CLOCK);
  const [first] = result.items;
  if (first === undefined) throw new Error('no line item result');
  return first;
}

describe('checkReturnEligibility', () => {
  it.each([
    ['delivered 25 days ago', item(), 1, 'You can return the Trailhead Fleece. The return window is open through Monday.'],
    ['delivered exactly 30 days ago', item({ deliveries: [{ quantity: 1, deliveredAt: new Date('2026-10-05T18:00:00Z') }] }), 1, 'You can return the Trailhead Fleece. The return window is open through today.'],
    [
      'with three delivered and one already returned',
      item({ quantity: 3, deliveries: [{ quantity: 3, deliveredAt: new Date('2026-10-20T18:00:00Z') }], returnedQuantity: 1 }),
      2,
      'You can return up to 2 of the Trailhead Fleece. The return window is open through November 19th.',
    ],
    [
      'with one parcel in the window and one outside it',
      item({
        quantity: 3,
        deliveries: [
          { quantity: 2, deliveredAt: new Date('2026-09-01T18:00:00Z') },
          { quantity: 1, deliveredAt: new Date('2026-10-20T18:00:00Z') },
        ],
      }),
      1,
      'You can return the Trailhead Fleece. The return window is open through November 19th.',
    ],
    [
      'with an earlier return that may have come from either parcel',
      item({
        quantity: 3,
        deliveries: [
          { quantity: 1, deliveredAt: new Date('2026-09-01T18:00:00Z') },
          { quantity: 2, deliveredAt: new Date('2026-10-20T18:00:00Z') },
        ],
        returnedQuantity: 2,
      }),
      1,
      'You can return the Trailhead Fleece. The return window is open through November 19th.',
    ],
  ])('allows an item %s', (_label, lineItem, maxQuantity, explanation) => {
    expect(check(lineItem)).toMatchObject({ eligible: true, maxQuantity, explanation, lineItemId: lineItem.id, name: lineItem.name });
  });

  it.each([
    ['delivered 31 days ago', item({ deliveries: [{ quantity: 1, deliveredAt: new Date('2026-10-04T18:00:00Z') }] }), false, 'outside_window', 'The Trailhead Fleece is past our 30-day return window, which ended yesterday.'],
    ['delivered two months ago', item({ deliveries: [{ quantity: 1, deliveredAt: new Date('2026-09-01T18:00:00Z') }] }), false, 'outside_window', 'The Trailhead Fleece is past our 30-day return window, which ended on October 1st.'],
    [
      'delivered late on October 4th in New York, which is already October 5th in UTC',
      item({ deliveries: [{ quantity: 1, deliveredAt: new Date('2026-10-05T02:00:00Z') }] }),
      false,
      'outside_window',
      'The Trailhead Fleece is past our 30-day return window, which ended yesterday.',
    ],
    ['tagged final-sale in another case', item({ tags: ['Final-Sale '] }), false, 'final_sale', "The Trailhead Fleece was a final sale item, so it can't be returned."],
    ['flagged final sale on the line item', item({ isFinalSale: true }), false, 'final_sale', "The Trailhead Fleece was a final sale item, so it can't be returned."],
    [
      'final sale and also outside the window: final sale wins',
      item({ tags: ['final-sale'], deliveries: [{ quantity: 1, deliveredAt: new Date('2026-09-01T18:00:00Z') }] }),
      false,
      'final_sale',
      "The Trailhead Fleece was a final sale item, so it can't be returned.",
    ],
    ['of an excluded product type', item({ name: 'Gift Card', productType: 'gift card' }), false, 'excluded_type', "The Gift Card is a kind of item we can't take back as a return."],
    ['not delivered yet', item({ deliveries: [] }), false, 'not_delivered', "The Trailhead Fleece hasn't been delivered yet, so a return can start once it arrives."],
    ['already returned', item({ returnedQuantity: 1 }), false, 'already_returned', 'The Trailhead Fleece has already been returned, or has a return in progress.'],
    [
      'returned already from the only parcel still in the window',
      item({
        quantity: 2,
        deliveries: [
          { quantity: 1, deliveredAt: new Date('2026-09-01T18:00:00Z') },
          { quantity: 1, deliveredAt: new Date('2026-10-20T18:00:00Z') },
        ],
        returnedQuantity: 2,
      }),
      false,
      'already_returned',
      'The Trailhead Fleece has already been returned, or has a return in progress.',
    ],
    ['removed from the order', item({ quantity: 0 }), false, 'cancelled', "The Trailhead Fleece was cancelled, so there's nothing to return."],
    ['on a cancelled order', item(), true, 'cancelled', "The Trailhead Fleece was cancelled, so there's nothing to return."],
  ] as const)('refuses an item %s', (_label, lineItem, isCancelled, reason, explanation) => {
    expect(check(lineItem, isCancelled)).toEqual({ lineItemId: lineItem.id, name: lineItem.name, eligible: false, reason, explanation });
  });

  it('checks every line item and says whether any can be returned', () => {
    const result = checkReturnEligibility(
      { isCancelled: false, lineItems: [item({ id: 'a', isFinalSale: true }), item({ id: 'b' })] },
      POLICY,
      CLOCK,
    );

    expect(result.items.map((entry) => [entry.lineItemId, entry.eligible])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(result.hasEligibleItems).toBe(true);
  });

  it('uses the configured window length', () => {
    const result = checkReturnEligibility({ isCancelled: false, lineItems: [item()] }, { ...POLICY, windowDays: 14 }, CLOCK);

    expect(result.items[0]).toMatchObject({ eligible: false, reason: 'outside_window' });
    expect(result.hasEligibleItems).toBe(false);
  });
});

describe('decideRequest', () => {
  it.each([
    ['return', { action: 'check_eligibility' }],
    ['refund', { action: 'escalate', reason: 'refund_request' }],
    ['exchange', { action: 'escalate', reason: 'exchange_request' }],
    ['address_change', { action: 'escalate', reason: 'order_change' }],
    ['order_change', { action: 'escalate', reason: 'order_change' }],
    ['cancel_order', { action: 'escalate', reason: 'order_change' }],
  ] as const)('routes a %s request to %j', (request, decision) => {
    expect(decideRequest(request)).toEqual(decision);
  });
});
