// Answers a caller's question with the best knowledge passages and their citations, or with nothing when the
// knowledge base does not cover it (the agent escalates what it can't answer). Pure: no I/O, no clock.
import { rankPassages, type KnowledgeIndex, type QueryTerm } from './kb-index.ts';
import { expandSpokenQuery, toSearchTerm, toSearchTerms } from './kb-terms.ts';

export type KnowledgeHit = {
  /** Citation: `<file>#<anchor>`. */
  source: string;
  title: string;
  text: string;
  score: number;
};

export type KnowledgeSearchOptions = {
  /** At most this many passages; default 3. */
  limit?: number;
  /** Absolute floor below which a passage is noise; default {@link DEFAULT_MIN_SCORE}. */
  minScore?: number;
  /** Share of the caller's own words a passage must answer; default {@link DEFAULT_MIN_COVERAGE}. */
  minCoverage?: number;
  /** A passage must score at least this share of the best one; default {@link DEFAULT_MIN_SHARE_OF_BEST}. */
  minShareOfBest?: number;
};

/** The port the agent's `search_knowledge` tool depends on. */
export interface KnowledgeSearch {
  searchKnowledge(query: string, options?: KnowledgeSearchOptions): KnowledgeHit[];
}

export const DEFAULT_LIMIT = 3;
/**
 * Off-topic questions still share a word or two with a help center ("life", "stock"), so relevance needs both a
 * floor on the score and most of the question's own words answered. Tuned on the sample knowledge base.
 */
export const DEFAULT_MIN_SCORE = 3;
export const DEFAULT_MIN_COVERAGE = 0.6;
export const DEFAULT_MIN_SHARE_OF_BEST = 0.4;
/** Words implied by a spoken phrasing help, but count for less than the caller's own words. */
const EXPANSION_WEIGHT = 0.6;
const MAX_QUERY_TERMS = 24;

export function searchKnowledge(index: KnowledgeIndex, query: string, options: KnowledgeSearchOptions = {}): KnowledgeHit[] {
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const minShare = options.minShareOfBest ?? DEFAULT_MIN_SHARE_OF_BEST;
  const minCoverage = options.minCoverage ?? DEFAULT_MIN_COVERAGE;
  if (limit === 0) return [];
  const relevant = rankPassages(index, queryTerms(query)).filter(
    (entry) => entry.score >= minScore && entry.coverage >= minCoverage,
  );
  const best = relevant[0]?.score ?? 0;
  return relevant
    .filter((entry) => entry.score >= best * minShare)
    .slice(0, limit)
    .map(({ passage, score }) => ({ source: passage.source, title: passage.title, text: passage.text, score: roundScore(score) }));
}

/** The caller's own words, then the help-center words their phrasing implies, at a lower weight. */
export function queryTerms(query: string): QueryTerm[] {
  const own = toSearchTerms(query).map((term) => ({ term, weight: 1, isOwn: true, covers: [term] }));
  const implied = expandSpokenQuery(query).flatMap(({ word, standsFor }) => {
    const term = toSearchTerm(word);
    return term === null ? [] : [{ term, weight: EXPANSION_WEIGHT, isOwn: false, covers: standsFor }];
  });
  return [...own, ...implied].slice(0, MAX_QUERY_TERMS);
}

function roundScore(score: number): number {
  return Math.round(score * 100) / 100;
}
