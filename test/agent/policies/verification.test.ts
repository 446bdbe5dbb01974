import { describe, expect, it } from 'vitest';
import {
  initialVerificationState,
  isOrderVerified,
  isSamePostalCode,
  nextVerification,
  normalizeEmail,
  normalizeOrderNumber,
  normalizePhone,
  type VerifiableOrder,
  type VerificationAttempt,
  type VerificationState,
} from '../../../src/agent/policies/verification.ts';

const ORDER: VerifiableOrder = {
  id: 'gid://shopify/Order/5555555555',
  name: '#1001',
  customerPhones: ['+14155550100'],
  email: 'Jane.Doe@example.com',
  postalCodes: ['62701', 'K1A 0B1'],
};

function details(overrides: Partial<Extract<VerificationAttempt, { kind: 'order_details' }>> = {}): VerificationAttempt {
  return { kind: 'order_details', orderNumber: '1001', email: null, postalCode: null, order: ORDER, ...overrides };
}

describe('nextVerification', () => {
  it.each([
    ['the same E.164 number', '+14155550100'],
    ['the number with formatting', '+1 (415) 555-0100'],
  ])("verifies by caller ID when the caller ID is %s as the order's customer phone", (_label, callerPhone) => {
    const step = nextVerification(initialVerificationState, { kind: 'caller_id', callerPhone, order: ORDER });

    expect(step).toMatchObject({ decision: 'verified', orderId: ORDER.id, method: 'caller_id' });
    expect(isOrderVerified(step.state, ORDER.id)).toBe(true);
  });

  it.each([
    ['a different number', '+14155550199'],
    ['a withheld caller ID', 'anonymous'],
    ['a national number without country code', '4155550100'],
    ['no caller ID at all', null],
  ])('asks for details without counting a failure for %s', (_label, callerPhone) => {
    const step = nextVerification(initialVerificationState, { kind: 'caller_id', callerPhone, order: ORDER });

    expect(step).toMatchObject({ decision: 'ask_again', ask: 'order_number_and_email_or_postal_code', why: 'caller_id_unmatched', attemptsLeft: 3 });
    expect(step.state.failedAttempts).toBe(0);
  });

  it.each([
    ['the email in another case with spaces', { email: '  JANE.DOE@Example.com ' }, 'email'],
    ['a spoken email', { email: 'jane dot doe at example dot com' }, 'email'],
    ['the shipping postal code', { postalCode: '62701' }, 'postal_code'],
    ['a postal code without its space, in lower case', { postalCode: 'k1a0b1' }, 'postal_code'],
    ['the ZIP+4 of a five-digit ZIP', { postalCode: '62701-1234' }, 'postal_code'],
    ['a wrong email but the right postal code', { email: 'someone@example.com', postalCode: '62701' }, 'postal_code'],
    ['the order number with a pound sign', { orderNumber: '#1001', postalCode: '62701' }, 'postal_code'],
    ['the order number said with "order"', { orderNumber: 'order number 1001', postalCode: '62701' }, 'postal_code'],
  ] as const)('verifies the order number plus %s', (_label, overrides, method) => {
    const step = nextVerification(initialVerificationState, details(overrides));

    expect(step).toMatchObject({ decision: 'verified', orderId: ORDER.id, method });
  });

  it.each([
    ['a wrong email', { email: 'jane.doe@example.org' }],
    ['a wrong postal code', { postalCode: '62702' }],
    ['a ZIP that only shares a prefix', { postalCode: '6270' }],
    ['an order number that found no order', { postalCode: '62701', order: null }],
    ['an order number that differs from the order found', { orderNumber: '1002', postalCode: '62701' }],
  ])('counts %s as a failed attempt and asks again', (_label, overrides) => {
    const step = nextVerification(initialVerificationState, details(overrides));

    expect(step).toMatchObject({ decision: 'ask_again', why: 'details_mismatch', attemptsLeft: 2 });
    expect(step.state.failedAttempts).toBe(1);
    expect(step.state.verified).toEqual([]);
  });

  it.each([
    ['no email or postal code', { orderNumber: '1001' }, 'email_or_postal_code'],
    ['blank email and postal code', { email: ' ', postalCode: '  ' }, 'email_or_postal_code'],
    ['no order number', { orderNumber: '  ', postalCode: '62701' }, 'order_number_and_email_or_postal_code'],
  ] as const)('asks again without counting a failure when the caller gives %s', (_label, overrides, ask) => {
    const step = nextVerification(initialVerificationState, details(overrides));

    expect(step).toMatchObject({ decision: 'ask_again', ask, why: 'details_missing' });
    expect(step.state.failedAttempts).toBe(0);
  });

  it('escalates with verification_failed on the third failed attempt, and stays escalated', () => {
    let state: VerificationState = initialVerificationState;
    const decisions: string[] = [];
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      const step = nextVerification(state, details({ email }));
      decisions.push(step.decision);
      state = step.state;
    }

    expect(decisions).toEqual(['ask_again', 'ask_again', 'escalate']);
    expect(nextVerification(state, details({ email: 'jane.doe@example.com' }))).toMatchObject({ decision: 'escalate', reason: 'verification_failed' });
    expect(nextVerification(state, { kind: 'caller_id', callerPhone: '+14155550100', order: ORDER })).toMatchObject({ decision: 'escalate' });
  });

  it('keeps an order verified for the rest of the call, without asking again', () => {
    const first = nextVerification(initialVerificationState, details({ postalCode: '62701' }));
    const again = nextVerification(first.state, details({ postalCode: 'wrong' }));

    expect(again).toMatchObject({ decision: 'verified', method: 'postal_code' });
    expect(again.state.failedAttempts).toBe(0);
  });

  it('verifies each order on its own: verifying one order does not verify another', () => {
    const first = nextVerification(initialVerificationState, details({ postalCode: '62701' }));
    const other: VerifiableOrder = { ...ORDER, id: 'gid://shopify/Order/6', name: '#1002', postalCodes: ['10001'] };

    const step = nextVerification(first.state, details({ orderNumber: '1002', postalCode: '62701', order: other }));

    expect(step.decision).toBe('ask_again');
    expect(isOrderVerified(step.state, other.id)).toBe(false);
  });
});

describe('normalizers', () => {
  it.each([
    ['+14155550100', '+14155550100'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+1.415.555.0100', '+14155550100'],
    ['anonymous', null],
    ['client:alice', null],
    ['(415) 555-0100', null],
    ['+0123456789', null],
  ])('normalizePhone(%j) is %j', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each([
    ['Jane.Doe@Example.com', 'jane.doe@example.com'],
    ['jane dot doe at example dot com', 'jane.doe@example.com'],
    ['jane.doe@example.com.', 'jane.doe@example.com'],
    ['j.a.n.e@gmail.com', 'jane@gmail.com'],
    ['Jane.Doe@googlemail.com', 'janedoe@gmail.com'],
    ['jane+shop@example.com', 'jane+shop@example.com'],
    ['jane at example', null],
    ['', null],
  ])('normalizeEmail(%j) is %j', (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([
    ['#1001', '1001'],
    ['1001', '1001'],
    [' order #1001 ', '1001'],
    ['Order No. 1001', '1001'],
    ['EN1001', 'EN1001'],
    ['#1001-A', '1001-A'],
    ['#', null],
  ])('normalizeOrderNumber(%j) is %j', (raw, expected) => {
    expect(normalizeOrderNumber(raw)).toBe(expected);
  });

  it.each([
    ['62701', '62701', true],
    ['62701', '62701-1234', true],
    ['627011234', '62701', true],
    ['62701-1234', '62701-9999', false],
    ['SW1A 1AA', 'sw1a1aa', true],
    ['K1A 0B1', 'K1A-0B1', true],
    ['62701', '62710', false],
    ['', '', false],
  ])('isSamePostalCode(%j, %j) is %s', (a, b, expected) => {
    expect(isSamePostalCode(a, b)).toBe(expected);
  });
});
