// How text becomes search terms: stop words dropped, a light English stemmer, and spoken phrasings mapped to
// help-center words. Pure; the index and the query share it so both sides stem the same way.

const STOP_WORDS = new Set(
  (
    'a about above after again all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing done down during each either else ever every few for from further had has have having ' +
    'he her here hers him his how i if in into is it its itself just let me mine more most much must my myself no nor ' +
    'not now of off on once one only or other our ours out over own please same she should so some something ' +
    'such than that the their theirs them then there these they thing things this those through to too under until up ' +
    'us very was we were what when where which while who whom why will with would you your yours yourself ' +
    'hi hello hey okay ok um uh yeah yes thanks thank like really maybe actually wondering wonder know tell ' +
    'want wanted wants need needs needed get got getting go going guys anyone help question ask asking ' +
    'take make use used uses using say said also still already anything stuff kind sort way lot bit ' +
    'll re ve d s t m don doesn didn isn wasn aren won wouldn couldn shouldn haven hasn ' +
    'whats hows thats theres im ive id youre theyre dont doesnt didnt isnt wasnt arent cant wont'
  ).split(' '),
);

/** Spoken phrasings and their help-center words, added to a query (never to the index). */
const SPOKEN_PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:send|sending|ship|shipping|mail|mailing|take|taking|bring|bringing|give|giving)\b(?:\s+\w+){0,2}\s+back\b/, 'return'],
  [/\bmoney back\b|\breimburse/, 'refund'],
  [/\bhow long\b|\bhow many days\b/, 'days'],
  [/\b(?:swap|switch|trade)\b/, 'exchange'],
  [/\b(?:broke|broken|ripped|torn|faulty|defective|falling apart|stopped working)\b/, 'warranty defect'],
  [/\b(?:arriv(?:e|es|ed|ing)|get here|show up|shows up)\b/, 'delivery'],
  [/\b(?:package|packages|box|shipment)\b/, 'parcel'],
  [/\b(?:stolen|never came|never arrived|never got|didn't get|did not get|not received|can't find|cannot find)\b/, 'lost missing parcel'],
  [/\b(?:real person|human|representative|someone|somebody|live agent|manager)\b/, 'talk person team'],
  [/\b(?:open|opening|closed|close|available)\b/, 'hours'],
  [/\bcall (?:me |you )?back\b|\bcallback\b|\bhear back\b/, 'callback follow'],
  [/\b(?:wash|washing|clean|cleaning|laundry|launder)\b/, 'care wash'],
  [/\b(?:fit|fits|fitting|too small|too big|too large|tight|loose)\b/, 'size fit'],
  [/\b(?:coupon|discount code)\b/, 'promo code'],
  [/\b(?:overseas|abroad|outside the (?:us|united states)|another country)\b/, 'international'],
  [/\b(?:fix|fixed|mend)\b/, 'repair'],
];

export const TOKEN_SEPARATOR = /[^\p{L}\p{N}]+/u;

export function tokenize(text: string): string[] {
  return text.split(TOKEN_SEPARATOR).filter((token) => token !== '');
}

/** One raw token to its search term, or null for a stop word. */
export function toSearchTerm(token: string): string | null {
  const word = token.normalize('NFKC').toLowerCase();
  if (word === '' || STOP_WORDS.has(word)) return null;
  return stem(word);
}

/** A help-center word implied by a spoken phrasing, and the caller's own terms that phrasing stands for. */
export type ImpliedWord = { word: string; standsFor: readonly string[] };

/** Help-center words implied by spoken phrasings in the query, not already among its own terms. */
export function expandSpokenQuery(query: string): ImpliedWord[] {
  const spoken = query.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'");
  const own = new Set(toSearchTerms(spoken));
  const implied = new Map<string, Set<string>>();
  for (const [pattern, words] of SPOKEN_PHRASES) {
    const match = pattern.exec(spoken);
    if (match === null) continue;
    for (const word of words.split(' ')) {
      const term = toSearchTerm(word);
      if (term === null || own.has(term)) continue;
      const standsFor = implied.get(word) ?? new Set<string>();
      for (const phraseTerm of toSearchTerms(match[0])) standsFor.add(phraseTerm);
      implied.set(word, standsFor);
    }
  }
  return [...implied].map(([word, standsFor]) => ({ word, standsFor: [...standsFor] }));
}

export function toSearchTerms(text: string): string[] {
  return tokenize(text).flatMap((token) => toSearchTerm(token) ?? []);
}

/**
 * A light suffix stripper (plurals, -ing, -ed, a final -e), not Porter: it only needs to map the forms a
 * caller says onto the forms a help center writes, the same way on both sides.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let base = word;
  if (base.endsWith('ies') && base.length > 4) base = `${base.slice(0, -3)}y`;
  else if (base.endsWith('sses')) base = base.slice(0, -2);
  else if (base.endsWith('s') && !/(?:ss|us|is)$/.test(base)) base = base.slice(0, -1);
  if (base.endsWith('ing') && base.length >= 6) base = undouble(base.slice(0, -3));
  else if (base.endsWith('ed') && base.length >= 5) base = undouble(base.slice(0, -2));
  if (base.endsWith('e') && base.length >= 4) base = base.slice(0, -1);
  return base;
}

function undouble(base: string): string {
  return /([^aeiouslz])\1$/.test(base) ? base.slice(0, -1) : base;
}
