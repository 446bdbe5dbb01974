// When the customer care team is open: parses BUSINESS_HOURS ("mon-fri 09:00-17:00, sat 10:00-14:00") in the
// store's IANA time zone, and answers "open now?" and "when do they open next?". Pure: `now` is an argument.
import { err, ok, type Result } from '../../shared/result.ts';
import { describeClockTime, weekdayName } from './spoken-dates.ts';
import { addDays, daysBetween, firstInstantAtOrAfter, isTimeZone, toLocalDate, toZoned, weekdayOf } from './zoned-time.ts';

/** One open stretch on one weekday, in minutes after local midnight; `endMinute` may be 1440 (24:00). */
export type BusinessWindow = { weekday: number; startMinute: number; endMinute: number };

export type BusinessHours = { timeZone: string; windows: readonly BusinessWindow[] };

export type BusinessHoursError = { code: 'invalid_business_hours'; problems: readonly string[] };

export type Opening = {
  at: Date;
  /** Said after "the team is back": "today at 10 AM", "tomorrow at 9 AM", "Monday at 9 AM". */
  phrase: string;
};

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const ENTRY = /^([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;
const MINUTES_PER_DAY = 1440;

/**
 * Parses a spec of comma-separated entries, each a day or day range and one time range. Ranges may wrap the week
 * ("fri-mon"); several entries may cover one day (a lunch break); overlapping windows merge. A window never
 * crosses midnight: write "fri 22:00-24:00, sat 00:00-02:00".
 */
export function parseBusinessHours(spec: string, timeZone: string): Result<BusinessHours, BusinessHoursError> {
  const problems: string[] = [];
  if (!isTimeZone(timeZone)) problems.push(`unknown time zone "${timeZone}"`);
  const windows: BusinessWindow[] = [];
  const entries = spec
    .toLowerCase()
    .split(',')
    .map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) problems.push('no opening hours given');
  for (const entry of entries) {
    if (entry === '') continue;
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') problems.push(parsed);
    else windows.push(...parsed);
  }
  if (problems.length > 0) return err({ code: 'invalid_business_hours', problems });
  return ok({ timeZone, windows: mergeWindows(windows) });
}

export function isWithinBusinessHours(hours: BusinessHours, now: Date): boolean {
  const local = toZoned(now, hours.timeZone);
  return hours.windows.some(
    (window) => window.weekday === local.weekday && window.startMinute <= local.minuteOfDay && local.minuteOfDay < window.endMinute,
  );
}

/**
 * The next moment after `now` at which the team opens (a window starts while it was closed the minute before).
 * During open hours that is the next opening after this stretch, not now.
 */
export function nextOpening(hours: BusinessHours, now: Date): Opening {
  const today = toLocalDate(now, hours.timeZone);
  for (let offset = 0; offset <= 7; offset++) {
    const date = addDays(today, offset);
    const weekday = weekdayOf(date);
    for (const window of hours.windows.filter((candidate) => candidate.weekday === weekday)) {
      const at = firstInstantAtOrAfter(date, window.startMinute, hours.timeZone);
      if (at.getTime() <= now.getTime()) continue;
      if (isWithinBusinessHours(hours, new Date(at.getTime() - 60_000))) continue;
      return { at, phrase: describeOpening(at, now, hours.timeZone) };
    }
  }
  // Unreachable: a parsed spec has at least one window, and every weekday recurs within eight days.
  throw new Error('nextOpening: business hours without any window');
}

function describeOpening(at: Date, now: Date, timeZone: string): string {
  const local = toZoned(at, timeZone);
  const days = daysBetween(toLocalDate(now, timeZone), local);
  const day = days === 0 ? 'today' : days === 1 ? 'tomorrow' : days === 7 ? `next ${weekdayName(local.weekday)}` : weekdayName(local.weekday);
  return `${day} at ${describeClockTime(local.minuteOfDay)}`;
}

function parseEntry(entry: string): BusinessWindow[] | string {
  const match = ENTRY.exec(entry.replace(/\s+/g, ' '));
  if (match === null) return `"${entry}" is not "<day>[-<day>] HH:MM-HH:MM"`;
  const [, firstDay = '', lastDay, startHour = '', startMinute = '', endHour = '', endMinute = ''] = match;
  const first = dayIndex(firstDay);
  const last = lastDay === undefined ? first : dayIndex(lastDay);
  if (first === -1 || last === -1) return `"${entry}" names an unknown day (use ${DAY_NAMES.join(', ')})`;
  const start = clockMinutes(startHour, startMinute);
  const end = clockMinutes(endHour, endMinute);
  if (start === null || end === null || start >= MINUTES_PER_DAY) return `"${entry}" has a time outside 00:00-24:00`;
  if (end <= start) return `"${entry}" closes before it opens; a window cannot cross midnight`;
  const span = (last - first + 7) % 7;
  return Array.from({ length: span + 1 }, (_, step) => ({ weekday: (first + step) % 7, startMinute: start, endMinute: end }));
}

function dayIndex(name: string): number {
  return DAY_NAMES.findIndex((day) => day === name);
}

function clockMinutes(hour: string, minute: string): number | null {
  const hours = Number(hour);
  const minutes = Number(minute);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

function mergeWindows(windows: readonly BusinessWindow[]): BusinessWindow[] {
  const sorted = [...windows].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  const merged: BusinessWindow[] = [];
  for (const window of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && last.weekday === window.weekday && window.startMinute <= last.endMinute) {
      merged[merged.length - 1] = { ...last, endMinute: Math.max(last.endMinute, window.endMinute) };
    } else {
      merged.push(window);
    }
  }
  return merged;
}
