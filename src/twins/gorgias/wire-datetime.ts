// Gorgias datetimes: ISO 8601 in, `2024-02-14T21:30:50.201204+00:00` out (gorgias-rest-api.md, 1 [S] S4).
// The twin keeps time as epoch microseconds so an imported `sent_datetime` round-trips to the microsecond.

export type Micros = number;

// Offsetless input is read as UTC [I]; date-only or free text is refused.
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseWireDatetime(text: string): Micros | undefined {
  const match = ISO_DATETIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = match;
  const fields = [year, month, day, hour, minute].map(Number);
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0] = fields;
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const utcMs = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utcMs);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined;
  const offsetMinutes = zone === 'Z' ? 0 : parseOffsetMinutes(zone);
  const micros = Number(fraction.padEnd(6, '0'));
  return (utcMs - offsetMinutes * 60_000) * 1000 + micros;
}

function parseOffsetMinutes(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

export function formatWireDatetime(value: Micros): string {
  const wholeMs = Math.floor(value / 1000);
  const micros = value - wholeMs * 1000;
  const iso = new Date(wholeMs).toISOString();
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`;
  return `${iso.slice(0, 19)}.${fraction}+00:00`;
}

export function formatOptionalDatetime(value: Micros | null): string | null {
  return value === null ? null : formatWireDatetime(value);
}

export function microsFromMs(epochMs: number): Micros {
  return Math.round(epochMs * 1000);
}
