import { describe, expect, it } from 'vitest';
import { parseOrderNumber } from '../../src/commerce/order-number.ts';

describe('parseOrderNumber', () => {
  it.each([
    ['#1001', '#1001'],
    ['1001', '#1001'],
    ['  # 1001 ', '#1001'],
    ['1001#', '#1001'],
    ['order number 1001', '#1001'],
    ['1 0 0 1', '#1001'],
    ['one zero zero one', '#1001'],
    ['one oh oh one', '#1001'],
    ['ten oh one', '#1001'],
    ['Ten-oh-one.', '#1001'],
    ['ten zero one', '#1001'],
    ['fourteen twenty-two', '#1422'],
    ['twenty twenty five', '#2025'],
    ['twenty oh five', '#2005'],
    ['one thousand and one', '#1001'],
    ['a thousand and one', '#1001'],
    ['eleven hundred five', '#1105'],
    ['one double oh seven', '#1007'],
    ["it's hash one zero two six", '#1026'],
    ['order #1013 please', '#1013'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseOrderNumber(input)).toBe(expected);
  });

  it.each([[''], ['my order'], ['#'], ['12345678901']])('finds no order number in %j', (input) => {
    expect(parseOrderNumber(input)).toBeNull();
  });
});
