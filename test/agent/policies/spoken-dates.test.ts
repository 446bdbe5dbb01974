import { describe, expect, it } from 'vitest';
import { describeClockTime, describeDay, describeLocalDay, ordinal } from '../../../src/agent/policies/spoken-dates.ts';

// Wednesday, March 4th 2026.
const TODAY = { year: 2026, month: 3, day: 4 };

describe('describeLocalDay', () => {
  it.each([
    [{ year: 2026, month: 3, day: 4 }, 'today'],
    [{ year: 2026, month: 3, day: 5 }, 'tomorrow'],
    [{ year: 2026, month: 3, day: 3 }, 'yesterday'],
    [{ year: 2026, month: 3, day: 6 }, 'Friday'],
    [{ year: 2026, month: 3, day: 10 }, 'Tuesday'],
    [{ year: 2026, month: 2, day: 26 }, 'Thursday'],
    [{ year: 2026, month: 3, day: 11 }, 'on March 11th'],
    [{ year: 2026, month: 4, day: 1 }, 'on April 1st'],
    [{ year: 2026, month: 2, day: 3 }, 'on February 3rd'],
    [{ year: 2027, month: 1, day: 22 }, 'on January 22nd, 2027'],
  ])('says %j as %j', (date, phrase) => {
    expect(describeLocalDay(date, TODAY)).toBe(phrase);
  });
});

describe('describeDay', () => {
  it('uses the store time zone for "today": 1 AM UTC Thursday is still Wednesday in New York', () => {
    const now = new Date('2026-03-04T15:00:00Z');

    expect(describeDay(new Date('2026-03-05T01:00:00Z'), now, 'America/New_York')).toBe('today');
    expect(describeDay(new Date('2026-03-05T01:00:00Z'), now, 'Europe/Berlin')).toBe('tomorrow');
  });
});

describe('describeClockTime', () => {
  it.each([
    [540, '9 AM'],
    [570, '9:30 AM'],
    [720, 'noon'],
    [0, 'midnight'],
    [1020, '5 PM'],
    [765, '12:45 PM'],
    [5, '12:05 AM'],
  ])('says minute %i as %j', (minuteOfDay, phrase) => {
    expect(describeClockTime(minuteOfDay)).toBe(phrase);
  });
});

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [23, '23rd'],
    [31, '31st'],
  ])('%i is %j', (day, text) => {
    expect(ordinal(day)).toBe(text);
  });
});
