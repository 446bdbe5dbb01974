import { describe, expect, it } from 'vitest';
import { matchesSearch, parseSearchQuery } from '../../../src/twins/shopify/search-query.ts';

describe('parseSearchQuery', () => {
  it.each([
    ['name:#1001', [[{ field: 'name', value: '#1001', comparator: '=', isNegated: false }]]],
    ['name:"#1001"', [[{ field: 'name', value: '#1001', comparator: '=', isNegated: false }]]],
    ["name:'#1001'", [[{ field: 'name', value: '#1001', comparator: '=', isNegated: false }]]],
    ['name:\\#1001', [[{ field: 'name', value: '#1001', comparator: '=', isNegated: false }]]],
    ['phone:+14155550100', [[{ field: 'phone', value: '+14155550100', comparator: '=', isNegated: false }]]],
    ["created_at:>='2026-10-01'", [[{ field: 'created_at', value: '2026-10-01', comparator: '>=', isNegated: false }]]],
    ['email:a@b.c OR name:#1001', [[{ field: 'email', value: 'a@b.c', comparator: '=', isNegated: false }], [{ field: 'name', value: '#1001', comparator: '=', isNegated: false }]]],
    ['status:open AND -tag:vip', [[{ field: 'status', value: 'open', comparator: '=', isNegated: false }, { field: 'tag', value: 'vip', comparator: '=', isNegated: true }]]],
    ['jane', [[{ field: null, value: 'jane', comparator: '=', isNegated: false }]]],
    ['', []],
  ])('parses %s', (source, expected) => {
    expect(parseSearchQuery(source)).toEqual(expected);
  });

  it('ANDs terms inside a group and ORs the groups', () => {
    const query = parseSearchQuery('a b OR c');
    const truthOf = (values: Record<string, boolean>) => matchesSearch(query, (term) => values[term.value] ?? false);
    expect(truthOf({ a: true, b: true })).toBe(true);
    expect(truthOf({ a: true })).toBe(false);
    expect(truthOf({ c: true })).toBe(true);
    expect(matchesSearch([], () => false)).toBe(true);
  });
});
