// Shopify's search syntax (`name:#1001 OR email:a@b.c`), parsed into OR-groups of AND-ed terms for the twin.
// Covers the subset the contract documents (twilio-and-shopify.md, B2.1); it never decides what a term matches.

export type SearchComparator = '=' | '>' | '>=' | '<' | '<=';

export type SearchTerm = {
  /** Null for a bare word, which Shopify matches against the default fields. */
  field: string | null;
  value: string;
  comparator: SearchComparator;
  isNegated: boolean;
};

/** Terms in one inner array are AND-ed; the groups are OR-ed. */
export type SearchQuery = SearchTerm[][];

type Token = { text: string; isQuoted: boolean };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index] ?? '';
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    let text = '';
    let isQuoted = false;
    while (index < source.length && !/\s/.test(source[index] ?? '')) {
      const current = source[index] ?? '';
      if (current === '\\' && index + 1 < source.length) {
        // Backslash escapes the special characters `: \ ( )` (twilio-and-shopify.md, B2.1).
        text += source[index + 1] ?? '';
        index += 2;
      } else if (current === '"' || current === "'") {
        const close = source.indexOf(current, index + 1);
        const end = close === -1 ? source.length : close;
        // Only a token that opens with a quote is a quoted word (never read as OR or as a negation).
        if (text.length === 0) isQuoted = true;
        text += source.slice(index + 1, end);
        index = end + 1;
      } else if (current === '(' || current === ')') {
        index++;
      } else {
        text += current;
        index++;
      }
    }
    if (text.length > 0 || isQuoted) tokens.push({ text, isQuoted });
  }
  return tokens;
}

function toTerm(token: Token): SearchTerm {
  let text = token.text;
  let isNegated = false;
  if (!token.isQuoted && text.startsWith('-')) {
    isNegated = true;
    text = text.slice(1);
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return { field: null, value: text, comparator: '=', isNegated };
  const field = text.slice(0, colon).toLowerCase();
  let value = text.slice(colon + 1);
  let comparator: SearchComparator = '=';
  const operator = /^(>=|<=|>|<)/.exec(value);
  if (operator) {
    comparator = operator[1] === '>=' ? '>=' : operator[1] === '<=' ? '<=' : operator[1] === '>' ? '>' : '<';
    value = value.slice(comparator.length);
  }
  return { field, value, comparator, isNegated };
}

export function parseSearchQuery(source: string): SearchQuery {
  const groups: SearchTerm[][] = [[]];
  for (const token of tokenize(source)) {
    if (!token.isQuoted && token.text === 'OR') {
      groups.push([]);
      continue;
    }
    if (!token.isQuoted && token.text === 'AND') continue;
    groups[groups.length - 1]?.push(toTerm(token));
  }
  return groups.filter((group) => group.length > 0);
}

/** True when some OR-group has every term true; an empty query matches everything. */
export function matchesSearch(query: SearchQuery, test: (term: SearchTerm) => boolean): boolean {
  if (query.length === 0) return true;
  return query.some((group) => group.every((term) => test(term) !== term.isNegated));
}
