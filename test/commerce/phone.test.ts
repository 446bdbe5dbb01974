import { describe, expect, it } from 'vitest';
import { isE164, normalizeCallerId } from '../../src/commerce/phone.ts';

describe('normalizeCallerId', () => {
  it.each([
    ['+14155550100', '1', '+14155550100'],
    ['+1 (415) 555-0100', '1', '+14155550100'],
    ['(415) 555-0100', '1', '+14155550100'],
    ['14155550100', '1', '+14155550100'],
    ['4155550100', '1', '+14155550100'],
    ['00447700900123', '1', '+447700900123'],
    ['07700 900123', '44', '+447700900123'],
    ['sip:+14155550100@pbx.example.com', '1', '+14155550100'],
    ['+1 415 555 0100 ext. 12', '1', '+14155550100'],
  ])('turns %j (default +%s) into %s', (raw, callingCode, expected) => {
    expect(normalizeCallerId(raw, callingCode)).toBe(expected);
  });

  it.each([
    [undefined],
    [null],
    [''],
    ['anonymous'],
    ['Anonymous'],
    ['unknown'],
    ['RESTRICTED'],
    ['private'],
    ['Unavailable'],
    ['client:alice'],
    ['sip:alice@pbx.example.com'],
    ['+266696687'],
    ['+7378742833'],
    ['+86282452253'],
    ['+8656696'],
    ['12'],
    ['+1234567890123456'],
  ])('gives no number for %j', (raw) => {
    expect(normalizeCallerId(raw)).toBeNull();
  });

  it.each([
    ['+14155550100', true],
    ['14155550100', false],
    ['+0123456789', false],
  ])('says whether %s is E.164', (value, expected) => {
    expect(isE164(value)).toBe(expected);
  });
});
