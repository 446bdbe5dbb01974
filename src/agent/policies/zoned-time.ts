// Wall-clock arithmetic in an IANA time zone using Intl alone: the local date and time of an instant, and the
// instant a local date and time names. Pure; DST gaps and overlaps resolve the same way every time.

/** A calendar date in some time zone; `month` runs 1–12. */
export type LocalDate = { year: number; month: number; day: number };

export type ZonedDateTime = LocalDate & {
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  minuteOfDay: number;
};

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The local date and time of `instant` in `timeZone`. */
export function toZoned(instant: Date, timeZone: string): ZonedDateTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((entry) => entry.type === type)?.value ?? NaN);
  const date = { year: part('year'), month: part('month'), day: part('day') };
  const hour = part('hour');
  const minute = part('minute');
  return { ...date, hour, minute, weekday: weekdayOf(date), minuteOfDay: hour * 60 + minute };
}

export function toLocalDate(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = toZoned(instant, timeZone);
  return { year, month, day };
}

/**
 * The instant at `minuteOfDay` on `date` in `timeZone`. A wall time skipped by a DST jump resolves to the same
 * distance past the jump (02:30 on a spring-forward night is 03:30); a wall time that happens twice resolves to
 * the first one. This matches Temporal's "compatible" disambiguation.
 */
export function fromZoned(date: LocalDate, minuteOfDay: number, timeZone: string): Date {
  const wallAsUtcMs = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE_MS;
  // Zones change offset at most once within a day either side, so the offsets a day before and after are the
  // only candidates.
  const offsetBeforeMs = offsetMs(wallAsUtcMs - DAY_MS, timeZone);
  const offsetAfterMs = offsetMs(wallAsUtcMs + DAY_MS, timeZone);
  const candidates = [wallAsUtcMs - offsetBeforeMs, wallAsUtcMs - offsetAfterMs]
    .filter((instantMs) => instantMs + offsetMs(instantMs, timeZone) === wallAsUtcMs)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wallAsUtcMs - offsetBeforeMs);
}

/**
 * The first instant at which the wall clock in `timeZone` reads `minuteOfDay` on `date` or later. It equals
 * `fromZoned` except inside a DST gap, where it is the jump itself: a shop opening at 02:30 on a spring-forward
 * night is open from 03:00, the first minute the clock shows past 02:30.
 */
export function firstInstantAtOrAfter(date: LocalDate, minuteOfDay: number, timeZone: string): Date {
  const candidate = fromZoned(date, minuteOfDay, timeZone);
  const wall = toZoned(candidate, timeZone);
  const overshootMinutes = daysBetween(date, wall) * 1440 + wall.minuteOfDay - minuteOfDay;
  if (overshootMinutes <= 0) return candidate;
  const hasReached = (instantMs: number): boolean => {
    const local = toZoned(new Date(instantMs), timeZone);
    const days = daysBetween(date, local);
    return days > 0 || (days === 0 && local.minuteOfDay >= minuteOfDay);
  };
  let beforeMs = candidate.getTime() - overshootMinutes * MINUTE_MS;
  let reachedMs = candidate.getTime();
  while (reachedMs - beforeMs > MINUTE_MS) {
    const middleMs = beforeMs + Math.floor((reachedMs - beforeMs) / 2 / MINUTE_MS) * MINUTE_MS;
    if (hasReached(middleMs)) reachedMs = middleMs;
    else beforeMs = middleMs;
  }
  return new Date(reachedMs);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / DAY_MS);
}

export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** True when the name is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function offsetMs(instantMs: number, timeZone: string): number {
  const wholeMinuteMs = Math.floor(instantMs / MINUTE_MS) * MINUTE_MS;
  const local = toZoned(new Date(wholeMinuteMs), timeZone);
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) - wholeMinuteMs;
}
