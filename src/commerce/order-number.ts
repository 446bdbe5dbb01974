// Turns what a caller says or keys into a canonical order name: `#1001`, `1001`, "one zero zero one", "ten oh one", DTMF `1001#`.
// Pure. It never decides whether the order exists; the adapter matches the result against the shop's order names.

const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', nought: '0', naught: '0', nil: '0',
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};

const TEEN_WORDS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};

const TENS_WORDS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

const REPEAT_WORDS: Record<string, number> = { double: 2, triple: 3 };

/** Longest order number we accept; Shopify's default numbering starts at #1001. */
export const MAX_ORDER_DIGITS = 10;

function tokenize(input: string): string[] {
  return input
    .toLowerCase()
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

function wordValue(token: string): number | undefined {
  const digit = DIGIT_WORDS[token];
  if (digit !== undefined) return Number(digit);
  return TEEN_WORDS[token] ?? TENS_WORDS[token];
}

// "one thousand and one", "eleven hundred five": read as a cardinal number.
function readCardinal(tokens: string[]): string | null {
  let total = 0;
  let current = 0;
  let sawNumber = false;
  for (const token of tokens) {
    if (/^\d+$/.test(token)) {
      current += Number(token);
      sawNumber = true;
    } else if (token === 'a' && !sawNumber) {
      current += 1;
    } else if (token === 'hundred') {
      current = (current || 1) * 100;
      sawNumber = true;
    } else if (token === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
      sawNumber = true;
    } else {
      const value = wordValue(token);
      if (value === undefined) continue;
      current += value;
      sawNumber = true;
    }
  }
  return sawNumber ? String(total + current) : null;
}

// "ten oh one", "one zero zero one", "fourteen twenty-two": each group of words is read as its own digits.
function readDigitGroups(tokens: string[]): string {
  let digits = '';
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? '';
    if (/^\d+$/.test(token)) {
      digits += token;
      continue;
    }
    const repeat = REPEAT_WORDS[token];
    const next = tokens[index + 1] ?? '';
    if (repeat !== undefined && DIGIT_WORDS[next] !== undefined) {
      digits += (DIGIT_WORDS[next] ?? '').repeat(repeat);
      index++;
      continue;
    }
    const tens = TENS_WORDS[token];
    if (tens !== undefined) {
      const unit = DIGIT_WORDS[next];
      if (unit !== undefined && unit !== '0' && next !== 'oh' && next !== 'o') {
        digits += String(tens + Number(unit));
        index++;
      } else {
        digits += String(tens);
      }
      continue;
    }
    const value = DIGIT_WORDS[token] ?? (TEEN_WORDS[token] === undefined ? undefined : String(TEEN_WORDS[token]));
    if (value !== undefined) digits += value;
  }
  return digits;
}

/**
 * The canonical order name (`#1001`) for what the caller said or keyed, or null when it holds no usable number.
 * Words that carry no digits ("order", "number", "it's", "hash") are skipped.
 */
export function parseOrderNumber(input: string): string | null {
  const tokens = tokenize(input);
  const isCardinal = tokens.includes('hundred') || tokens.includes('thousand');
  const digits = isCardinal ? readCardinal(tokens) : readDigitGroups(tokens);
  if (!digits || digits.length > MAX_ORDER_DIGITS) return null;
  return `#${digits}`;
}
