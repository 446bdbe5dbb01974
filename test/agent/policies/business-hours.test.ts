import { describe, expect, it } from 'vitest';
import { isWithinBusinessHours, nextOpening, parseBusinessHours, type BusinessHours } from '../../../src/agent/policies/business-hours.ts';

function hours(spec: string, timeZone = 'America/New_York'): BusinessHours {
  const parsed = parseBusinessHours(spec, timeZone);
  if (!parsed.ok) throw new Error(parsed.error.problems.join('; '));
  return parsed.value;
}

const STORE = hours('mon-fri 09:00-17:00, sat 10:00-14:00');

describe('parseBusinessHours', () => {
  it('expands day ranges into one window per weekday, in minutes', () => {
    expect(hours('mon-wed 09:00-17:30').windows).toEqual([
      { weekday: 1, startMinute: 540, endMinute: 1050 },
      { weekday: 2, startMinute: 540, endMinute: 1050 },
      { weekday: 3, startMinute: 540, endMinute: 1050 },
    ]);
  });

  it('reads day ranges that wrap the week, in any case', () => {
    expect(hours('FRI-Mon 10:00-16:00').windows.map((window) => window.weekday)).toEqual([0, 1, 5, 6]);
  });

  it('merges overlapping windows on the same day and keeps a lunch break', () => {
    expect(hours('mon 09:00-12:00, mon 11:00-13:00, mon 14:00-17:00').windows).toEqual([
      { weekday: 1, startMinute: 540, endMinute: 780 },
      { weekday: 1, startMinute: 840, endMinute: 1020 },
    ]);
  });

  it.each([
    ['mon-fri 9-5', 'is not'],
    ['fun 09:00-17:00', 'unknown day'],
    ['mon 17:00-09:00', 'closes before it opens'],
    ['mon 09:00-24:30', 'outside 00:00-24:00'],
    ['mon 09:75-17:00', 'outside 00:00-24:00'],
    ['', 'no opening hours'],
  ])('rejects %j, saying it %s', (spec, problem) => {
    const parsed = parseBusinessHours(spec, 'America/New_York');

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.problems.join('; ')).toContain(problem);
  });

  it('rejects an unknown time zone', () => {
    const parsed = parseBusinessHours('mon-fri 09:00-17:00', 'America/Nowhere');

    expect(!parsed.ok && parsed.error.problems).toEqual(['unknown time zone "America/Nowhere"']);
  });
});

describe('isWithinBusinessHours', () => {
  it.each([
    ['Wednesday 9:00 EST, the opening minute', '2026-03-04T14:00:00Z', true],
    ['Wednesday 16:59 EST', '2026-03-04T21:59:00Z', true],
    ['Wednesday 17:00 EST, the closing minute', '2026-03-04T22:00:00Z', false],
    ['Wednesday 8:59 EST', '2026-03-04T13:59:00Z', false],
    ['Saturday 13:00 EST', '2026-03-07T18:00:00Z', true],
    ['Saturday 15:00 EST', '2026-03-07T20:00:00Z', false],
    ['Sunday noon', '2026-03-08T16:00:00Z', false],
    ['Monday 9:00 EDT, the first weekday after DST starts', '2026-03-09T13:00:00Z', true],
    ['Monday 8:30 EDT, which would be 9:30 without DST', '2026-03-09T12:30:00Z', false],
    ['Monday 9:00 EST, the first weekday after DST ends', '2026-11-02T14:00:00Z', true],
    ['Monday 8:00 EST, which was 9:00 before DST ended', '2026-11-02T13:00:00Z', false],
  ])('on %s is %s', (_label, iso, expected) => {
    expect(isWithinBusinessHours(STORE, new Date(iso))).toBe(expected);
  });
});

describe('nextOpening', () => {
  it.each([
    ['before opening on a weekday', STORE, '2026-03-04T12:00:00Z', '2026-03-04T14:00:00.000Z', 'today at 9 AM'],
    ['during opening hours: the next opening, not now', STORE, '2026-03-04T15:00:00Z', '2026-03-05T14:00:00.000Z', 'tomorrow at 9 AM'],
    ['on Friday evening', STORE, '2026-03-06T23:00:00Z', '2026-03-07T15:00:00.000Z', 'tomorrow at 10 AM'],
    ['on Saturday after closing, across the spring DST change', STORE, '2026-03-07T20:00:00Z', '2026-03-09T13:00:00.000Z', 'Monday at 9 AM'],
    ['on the Sunday DST starts', STORE, '2026-03-08T16:00:00Z', '2026-03-09T13:00:00.000Z', 'tomorrow at 9 AM'],
    ['on Saturday after closing, across the autumn DST change', STORE, '2026-10-31T20:00:00Z', '2026-11-02T14:00:00.000Z', 'Monday at 9 AM'],
    ['with one open day a week, a week ahead', hours('mon 09:00-17:00'), '2026-03-02T15:00:00Z', '2026-03-09T13:00:00.000Z', 'next Monday at 9 AM'],
    ['after a lunch break starts', hours('mon-fri 08:30-12:00, mon-fri 13:00-17:30', 'Europe/London'), '2026-03-04T12:30:00Z', '2026-03-04T13:00:00.000Z', 'today at 1 PM'],
    ['at a half hour', hours('mon-fri 09:30-17:00', 'Europe/London'), '2026-03-04T07:00:00Z', '2026-03-04T09:30:00.000Z', 'today at 9:30 AM'],
    ['at noon', hours('sat 12:00-16:00'), '2026-03-06T15:00:00Z', '2026-03-07T17:00:00.000Z', 'tomorrow at noon'],
    ['over round-the-clock weekdays: Monday midnight, not each midnight', hours('mon-fri 00:00-24:00'), '2026-03-04T15:00:00Z', '2026-03-09T04:00:00.000Z', 'Monday at midnight'],
    ['into a window whose start the spring DST jump skips: the jump itself', hours('sun 02:30-04:00'), '2026-03-07T20:00:00Z', '2026-03-08T07:00:00.000Z', 'tomorrow at 3 AM'],
    ['into a window that starts in the hour the autumn DST change repeats: the first one', hours('sun 01:30-04:00'), '2026-10-31T20:00:00Z', '2026-11-01T05:30:00.000Z', 'tomorrow at 1:30 AM'],
  ])('%s', (_label, businessHours, nowIso, atIso, phrase) => {
    const opening = nextOpening(businessHours, new Date(nowIso));

    expect(opening.at.toISOString()).toBe(atIso);
    expect(opening.phrase).toBe(phrase);
  });
});
