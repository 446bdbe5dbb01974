import { describe, expect, it } from 'vitest';
import { formatWireDatetime, parseWireDatetime } from '../../../src/twins/gorgias/wire-datetime.ts';

describe('wire datetimes', () => {
  it.each([
    ['2024-02-14T21:30:50.201204+00:00', '2024-02-14T21:30:50.201204+00:00'],
    ['2025-01-27T19:38:52.028Z', '2025-01-27T19:38:52.028000+00:00'],
    ['2026-11-21T04:10:00+00:00', '2026-11-21T04:10:00.000000+00:00'],
    ['2026-11-21T06:10:00+02:00', '2026-11-21T04:10:00.000000+00:00'],
    ['2026-11-20T23:10:00-0500', '2026-11-21T04:10:00.000000+00:00'],
    ['2026-11-21T04:10:00', '2026-11-21T04:10:00.000000+00:00'],
    ['2026-11-21T04:10', '2026-11-21T04:10:00.000000+00:00'],
  ])('reads %s as %s', (input, expected) => {
    const micros = parseWireDatetime(input);
    expect(micros).toBeDefined();
    expect(formatWireDatetime(micros ?? 0)).toBe(expected);
  });

  it.each(['2026-11-21', 'yesterday', '1700000000', '2026-02-30T00:00:00Z', '2026-11-21T25:00:00Z', ''])('refuses %j', (input) => {
    expect(parseWireDatetime(input)).toBeUndefined();
  });
});
