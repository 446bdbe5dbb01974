// The full-text index over knowledge passages: MiniSearch (BM25+ ranking) with boosted headings, fuzzy and prefix
// matching. Pure and in memory; it never reads files.
import MiniSearch from 'minisearch';
import type { KbPassage } from './kb-loader.ts';
import { toSearchTerm, tokenize } from './kb-terms.ts';

export type KnowledgeIndex = {
  readonly passages: readonly KbPassage[];
  readonly bySource: ReadonlyMap<string, KbPassage>;
  readonly engine: MiniSearch<KbPassage>;
};

/**
 * A query term, how much it counts in ranking (1 for the caller's own words, less for words implied by a
 * phrasing), and which of the caller's own terms it answers when it matches.
 */
export type QueryTerm = { term: string; weight: number; isOwn: boolean; covers: readonly string[] };

export type RankedPassage = {
  passage: KbPassage;
  score: number;
  /** Share (0..1) of the caller's own terms this passage answers; a typo match or an implied word counts less. */
  coverage: number;
};

/**
 * A passage's own heading names its topic best ("Final sale"), its parent headings less so ("Returns"), and
 * every passage of a file shares those parents, so they weigh no more than the body.
 */
const FIELD_BOOSTS = { heading: 3, parents: 1, text: 1 } as const;
const MATCH_QUALITY = { exact: 1, prefix: 0.9, fuzzy: 0.5 } as const;
/** A matched help-center word answers the phrasing it came from ("send it back" → "return"), though less surely. */
const IMPLIED_COVERAGE = 0.8;

export function buildKnowledgeIndex(passages: readonly KbPassage[]): KnowledgeIndex {
  const engine = new MiniSearch<KbPassage>({
    idField: 'source',
    fields: ['heading', 'parents', 'text'],
    storeFields: ['source'],
    extractField: (passage, field) => {
      if (field === 'heading') return passage.headings.at(-1) ?? '';
      if (field === 'parents') return passage.headings.slice(0, -1).join(' ');
      if (field === 'source') return passage.source;
      if (field === 'text') return passage.text;
      return '';
    },
    tokenize,
    processTerm: toSearchTerm,
  });
  engine.addAll(passages);
  return { passages, bySource: new Map(passages.map((passage) => [passage.source, passage])), engine };
}

/**
 * Ranks passages for already-processed query terms. Words of four letters or more also match as prefixes, and
 * of five or more within one edit (two from eight letters), so a misheard or mistyped word still lands.
 */
export function rankPassages(index: KnowledgeIndex, terms: readonly QueryTerm[]): RankedPassage[] {
  const ownTerms = [...new Set(terms.filter((term) => term.isOwn).map((term) => term.term))];
  if (ownTerms.length === 0 || index.passages.length === 0) return [];
  const weights = new Map<string, number>();
  for (const { term, weight } of terms) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
  const results = index.engine.search(
    { queries: [...weights.keys()], combineWith: 'OR' },
    {
      // The terms are processed already; processing them again would stem twice.
      processTerm: (term) => term,
      boost: FIELD_BOOSTS,
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 5 ? 1 : false),
      boostTerm: (term) => weights.get(term) ?? 1,
    },
  );
  return results.flatMap((result) => {
    const passage = typeof result.id === 'string' ? index.bySource.get(result.id) : undefined;
    if (passage === undefined) return [];
    const documentTerms = Object.keys(result.match);
    const matched = terms.filter((term) => result.queryTerms.includes(term.term));
    const covered = ownTerms.map((own) =>
      Math.max(
        0,
        ...matched
          .filter((term) => term.covers.includes(own))
          .map((term) => (term.isOwn ? 1 : IMPLIED_COVERAGE) * MATCH_QUALITY[matchKind(term.term, documentTerms)]),
      ),
    );
    const coverage = covered.reduce((sum, value) => sum + value, 0) / ownTerms.length;
    return [{ passage, score: result.score, coverage }];
  });
}

function matchKind(queryTerm: string, documentTerms: readonly string[]): keyof typeof MATCH_QUALITY {
  if (documentTerms.includes(queryTerm)) return 'exact';
  if (documentTerms.some((term) => term.startsWith(queryTerm))) return 'prefix';
  return 'fuzzy';
}
