import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, firstInstantAtOrAfter, fromZoned, toZoned } from '../../../src/agent/policies/zoned-time.ts';

describe('toZoned', () => {
  it.each([
    ['2026-03-04T14:00:00Z', 'America/New_York', { year: 2026, month: 3, day: 4, hour: 9, minute: 0, weekday: 3, minuteOfDay: 540 }],
    ['2026-03-08T07:00:00Z', 'America/New_York', { year: 2026, month: 3, day: 8, hour: 3, minute: 0, weekday: 0, minuteOfDay: 180 }],
    ['2026-03-08T06:59:00Z', 'America/New_York', { year: 2026, month: 3, day: 8, hour: 1, minute: 59, weekday: 0, minuteOfDay: 119 }],
    ['2026-12-31T23:30:00Z', 'Asia/Kolkata', { year: 2027, month: 1, day: 1, hour: 5, minute: 0, weekday: 5, minuteOfDay: 300 }],
    ['2026-06-01T00:00:00Z', 'UTC', { year: 2026, month: 6, day: 1, hour: 0, minute: 0, weekday: 1, minuteOfDay: 0 }],
  ])('reads %s in %s as the local wall clock', (iso, timeZone, expected) => {
    expect(toZoned(new Date(iso), timeZone)).toEqual(expected);
  });
});

describe('fromZoned', () => {
  it.each([
    ['a winter time', { year: 2026, month: 1, day: 15 }, 9 * 60, 'America/New_York', '2026-01-15T14:00:00.000Z'],
    ['a summer time', { year: 2026, month: 7, day: 15 }, 9 * 60, 'America/New_York', '2026-07-15T13:00:00.000Z'],
    ['a time skipped by spring forward, as the same distance past the jump', { year: 2026, month: 3, day: 8 }, 150, 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['a time repeated by fall back, as the first of the two', { year: 2026, month: 11, day: 1 }, 90, 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['a time in a half-hour zone', { year: 2026, month: 3, day: 4 }, 9 * 60, 'Asia/Kolkata', '2026-03-04T03:30:00.000Z'],
    ['a time on the day Europe springs forward', { year: 2026, month: 3, day: 29 }, 9 * 60, 'Europe/London', '2026-03-29T08:00:00.000Z'],
  ])('finds the instant of %s', (_label, date, minuteOfDay, timeZone, iso) => {
    expect(fromZoned(date, minuteOfDay, timeZone).toISOString()).toBe(iso);
  });
});

describe('firstInstantAtOrAfter', () => {
  it('is the DST jump itself for a wall time the jump skips', () => {
    expect(firstInstantAtOrAfter({ year: 2026, month: 3, day: 8 }, 150, 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('equals fromZoned for an ordinary wall time', () => {
    expect(firstInstantAtOrAfter({ year: 2026, month: 3, day: 9 }, 540, 'America/New_York').toISOString()).toBe('2026-03-09T13:00:00.000Z');
  });
});

describe('calendar arithmetic', () => {
  it.each([
    [{ year: 2026, month: 1, day: 31 }, 1, { year: 2026, month: 2, day: 1 }],
    [{ year: 2028, month: 2, day: 28 }, 1, { year: 2028, month: 2, day: 29 }],
    [{ year: 2026, month: 12, day: 31 }, 1, { year: 2027, month: 1, day: 1 }],
    [{ year: 2026, month: 3, day: 1 }, -1, { year: 2026, month: 2, day: 28 }],
    [{ year: 2026, month: 3, day: 1 }, 30, { year: 2026, month: 3, day: 31 }],
  ])('adds days: %j plus %i is %j', (date, days, expected) => {
    expect(addDays(date, days)).toEqual(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });
});
