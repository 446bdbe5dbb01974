// Dates and times in the words a caller uses: "today", "tomorrow", "Thursday", "on March 3rd", "9 AM". Pure;
// the caller's "today" is the store's calendar day, so every phrase takes `now` and the store time zone.
import { daysBetween, toLocalDate, weekdayOf, type LocalDate } from './zoned-time.ts';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const ORDINAL_SUFFIXES: Readonly<Record<number, string>> = { 1: 'st', 2: 'nd', 3: 'rd' };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/**
 * The day `date` falls on, said relative to `today`: "today", "tomorrow", "yesterday", the weekday within six
 * days either way ("Thursday"), otherwise "on March 3rd" (with the year when it is not this year's).
 */
export function describeLocalDay(date: LocalDate, today: LocalDate): string {
  const days = daysBetween(today, date);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  if (Math.abs(days) <= 6) return weekdayName(weekdayOf(date));
  return `on ${describeCalendarDate(date, today.year)}`;
}

/** `describeLocalDay` for an instant, in the store time zone. */
export function describeDay(instant: Date, now: Date, timeZone: string): string {
  return describeLocalDay(toLocalDate(instant, timeZone), toLocalDate(now, timeZone));
}

/** "March 3rd", or "March 3rd, 2027" when the year differs from `currentYear`. */
export function describeCalendarDate(date: LocalDate, currentYear: number): string {
  const text = `${MONTHS[date.month - 1] ?? ''} ${ordinal(date.day)}`;
  return date.year === currentYear ? text : `${text}, ${date.year}`;
}

/** A clock time as people say it: "9 AM", "9:30 AM", "noon", "midnight", "5 PM". */
export function describeClockTime(minuteOfDay: number): string {
  const minutes = ((minuteOfDay % 1440) + 1440) % 1440;
  if (minutes === 0) return 'midnight';
  if (minutes === 720) return 'noon';
  const hour24 = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const hour12 = hour24 % 12 === 0 ? 12 : hour24 % 12;
  const suffix = hour24 < 12 ? 'AM' : 'PM';
  return minute === 0 ? `${hour12} ${suffix}` : `${hour12}:${String(minute).padStart(2, '0')} ${suffix}`;
}

export function ordinal(day: number): string {
  const lastTwo = day % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${day}th`;
  return `${day}${ORDINAL_SUFFIXES[day % 10] ?? 'th'}`;
}

export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday] ?? '';
}
