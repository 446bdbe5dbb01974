// Decides whether an order is tied to the caller before anything about it is said: caller ID equal to the order's
// customer phone, or the order number plus the order's email or postal code. Pure; the state is a value.

export const MAX_FAILED_VERIFICATIONS = 3;

/** What verification needs to know about an order; nothing here is ever read to the caller. */
export type VerifiableOrder = {
  id: string;
  /** Shopify's order name, such as "#1001" (twilio-and-shopify.md, B2). */
  name: string;
  /**
   * Phones of the order's customer: the order's phone and the customer's default phone. Not the shipping
   * address's phone, which may belong to a gift recipient.
   */
  customerPhones: readonly string[];
  email: string | null;
  /** Postal codes on the order (shipping and billing). */
  postalCodes: readonly string[];
};

export type VerificationMethod = 'caller_id' | 'email' | 'postal_code';

export type VerificationState = {
  verified: ReadonlyArray<{ orderId: string; method: VerificationMethod }>;
  failedAttempts: number;
  isLockedOut: boolean;
};

export const initialVerificationState: VerificationState = { verified: [], failedAttempts: 0, isLockedOut: false };

export type VerificationAttempt =
  /** The caller's `From` as Twilio sent it; `anonymous` or any non-E.164 value never matches. */
  | { kind: 'caller_id'; callerPhone: string | null; order: VerifiableOrder }
  /** `order` is what the order number found, or null when it found nothing. */
  | { kind: 'order_details'; orderNumber: string; email?: string | null; postalCode?: string | null; order: VerifiableOrder | null };

/** What the agent should ask for next. */
export type VerificationAsk = 'order_number_and_email_or_postal_code' | 'email_or_postal_code';

export type VerificationStep =
  | { state: VerificationState; decision: 'verified'; orderId: string; method: VerificationMethod }
  | {
      state: VerificationState;
      decision: 'ask_again';
      ask: VerificationAsk;
      why: 'caller_id_unmatched' | 'details_missing' | 'details_mismatch';
      attemptsLeft: number;
    }
  | { state: VerificationState; decision: 'escalate'; reason: 'verification_failed' };

/**
 * One verification step. Only a complete attempt that fails counts toward the limit: an unmatched caller ID or
 * a missing email and postal code just asks again. When the caller gives both email and postal code, either
 * matching is enough, since each alone proves the same thing.
 */
export function nextVerification(state: VerificationState, attempt: VerificationAttempt): VerificationStep {
  if (state.isLockedOut) return { state, decision: 'escalate', reason: 'verification_failed' };
  const known = attempt.order === null ? undefined : state.verified.find((entry) => entry.orderId === attempt.order?.id);
  if (known !== undefined) return { state, decision: 'verified', orderId: known.orderId, method: known.method };

  if (attempt.kind === 'caller_id') {
    const caller = normalizePhone(attempt.callerPhone);
    const isMatch = caller !== null && attempt.order.customerPhones.some((phone) => normalizePhone(phone) === caller);
    if (isMatch) return verify(state, attempt.order.id, 'caller_id');
    return askAgain(state, 'order_number_and_email_or_postal_code', 'caller_id_unmatched');
  }

  const orderNumber = normalizeOrderNumber(attempt.orderNumber);
  const email = normalizeEmail(attempt.email);
  const postalCode = normalizePostalCode(attempt.postalCode);
  if (orderNumber === null) return askAgain(state, 'order_number_and_email_or_postal_code', 'details_missing');
  if (email === null && postalCode === null) return askAgain(state, 'email_or_postal_code', 'details_missing');

  const order = attempt.order;
  if (order !== null && normalizeOrderNumber(order.name) === orderNumber) {
    if (email !== null && normalizeEmail(order.email) === email) return verify(state, order.id, 'email');
    if (postalCode !== null && order.postalCodes.some((code) => isSamePostalCode(code, postalCode))) {
      return verify(state, order.id, 'postal_code');
    }
  }
  const failedAttempts = state.failedAttempts + 1;
  if (failedAttempts >= MAX_FAILED_VERIFICATIONS) {
    return { state: { ...state, failedAttempts, isLockedOut: true }, decision: 'escalate', reason: 'verification_failed' };
  }
  return askAgain({ ...state, failedAttempts }, 'order_number_and_email_or_postal_code', 'details_mismatch');
}

export function isOrderVerified(state: VerificationState, orderId: string): boolean {
  return state.verified.some((entry) => entry.orderId === orderId);
}

/** E.164 after dropping spaces, dashes, dots and brackets; anything else (`anonymous`, national numbers) is null. */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const compact = raw.normalize('NFKC').replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : null;
}

/**
 * Lower case, trimmed, with spoken "dot" and (when there is no "@") "at" turned into symbols, so "Jane dot Doe at
 * Gmail dot com" reads as jane.doe@gmail.com. Dots in the local part are ignored only for Gmail, where they
 * reach the same mailbox; "+tags" are kept, since they are part of what the shopper typed on the order.
 */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  let text = ` ${raw.normalize('NFKC').toLowerCase()} `.replace(/\s+dot\s+/g, '.');
  if (!text.includes('@')) text = text.replace(/\s+at\s+/, '@');
  // Speech-to-text often ends the address with a sentence's full stop.
  const compact = text.replace(/\s+/g, '').replace(/\.+$/, '');
  const match = /^([^@]+)@([^@]+\.[^@]+)$/.exec(compact);
  if (match === null) return null;
  const [, local = '', domain = ''] = match;
  if (domain === 'gmail.com' || domain === 'googlemail.com') return `${local.replaceAll('.', '')}@gmail.com`;
  return `${local}@${domain}`;
}

/** Upper case without spaces or hyphens: "k1a 0b1" and "K1A0B1" are the same code. */
export function normalizePostalCode(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const compact = raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
  return compact === '' ? null : compact;
}

/** Same code, or a US ZIP and a ZIP+4 with the same first five digits. */
export function isSamePostalCode(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = normalizePostalCode(a);
  const right = normalizePostalCode(b);
  if (left === null || right === null) return false;
  if (left === right) return true;
  const isZipPair = /^\d{5}$|^\d{9}$/.test(left) && /^\d{5}$|^\d{9}$/.test(right);
  return isZipPair && left.length !== right.length && left.slice(0, 5) === right.slice(0, 5);
}

/** "#1001", "1001", "order 1001" and "Order number #1001" are all "1001"; other prefixes ("EN1001") are kept. */
export function normalizeOrderNumber(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const compact = raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/^\s*ORDER\b\s*(?:NUMBER\b|NO\.?|NUM\.?)?/, '')
    .replace(/[\s#]/g, '');
  return compact === '' ? null : compact;
}

function verify(state: VerificationState, orderId: string, method: VerificationMethod): VerificationStep {
  return { state: { ...state, verified: [...state.verified, { orderId, method }] }, decision: 'verified', orderId, method };
}

function askAgain(state: VerificationState, ask: VerificationAsk, why: 'caller_id_unmatched' | 'details_missing' | 'details_mismatch'): VerificationStep {
  return { state, decision: 'ask_again', ask, why, attemptsLeft: MAX_FAILED_VERIFICATIONS - state.failedAttempts };
}
