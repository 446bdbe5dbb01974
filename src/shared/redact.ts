// Masks personal data before it reaches a log line; logs never carry full phone numbers or emails.

/** Keeps the country code hint and the last two digits: `+1415…00` style, never the full number. */
export function maskPhone(phone: string | undefined | null): string {
  if (!phone) return '';
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length < 5) return '***';
  return `${phone.startsWith('+') ? '+' : ''}${digits.slice(0, 1)}***${digits.slice(-2)}`;
}

export function maskEmail(email: string | undefined | null): string {
  if (!email) return '';
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, 1)}***@${email.slice(at + 1)}`;
}

const EMAIL_PATTERN = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
const PHONE_PATTERN = /\+?\d[\d\s().-]{7,}\d/g;

/** Masks emails and phone-like digit runs inside free text (tool arguments, error messages). */
export function redactText(text: string): string {
  return text.replace(EMAIL_PATTERN, (match) => maskEmail(match)).replace(PHONE_PATTERN, (match) => maskPhone(match));
}
