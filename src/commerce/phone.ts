// Normalises a caller ID (Twilio's `From`) to E.164, or null when the caller is withheld or not a phone number.
// Pure; a null result means "ask for the order number", never "reject the caller" (twilio-and-shopify.md, A1 and B2.3).

const E164 = /^\+[1-9]\d{6,14}$/;

/** Words carriers and Twilio use for a withheld caller ID (A1: "anonymous, unknown, or other descriptions"). */
const WITHHELD_WORDS = /anonymous|unknown|restricted|private|unavailable|withheld|blocked|not available/i;

// Keypad spellings some carriers send for a withheld number (ANONYMOUS, RESTRICTED, UNAVAILABLE, UNKNOWN); field-reported.
const WITHHELD_DIGITS = new Set(['266696687', '7378742833', '86282452253', '8656696']);

export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * `defaultCallingCode` (digits, no `+`) places a national number: `(415) 555-0100` becomes `+14155550100` with `'1'`.
 */
export function normalizeCallerId(raw: string | null | undefined, defaultCallingCode = '1'): string | null {
  if (!raw) return null;
  let value = raw.trim();
  if (value.length === 0 || WITHHELD_WORDS.test(value)) return null;
  if (/^client:/i.test(value)) return null;
  const sip = /^sips?:([^@;]+)/i.exec(value);
  if (sip) value = sip[1] ?? '';
  if (/[a-z]/i.test(value.replace(/\b(ext|x)\.?\s*\d+$/i, ''))) return null;
  value = value.replace(/\s*(ext|x)\.?\s*\d+$/i, '');
  const digits = value.replace(/\D/g, '');
  if (digits.length === 0 || WITHHELD_DIGITS.has(digits)) return null;
  let e164: string;
  if (value.startsWith('+')) e164 = `+${digits}`;
  else if (digits.startsWith('00')) e164 = `+${digits.slice(2)}`;
  else if (defaultCallingCode === '1' && digits.length === 11 && digits.startsWith('1')) e164 = `+${digits}`;
  else e164 = `+${defaultCallingCode}${digits.replace(/^0/, '')}`;
  return isE164(e164) ? e164 : null;
}
