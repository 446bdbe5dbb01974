// What happens after a return is requested, read from the knowledge base so the brand's own words (label, drop-off)
// are what the caller hears and gets by text. Never invents steps: no passage, no steps.
import type { KnowledgeSearch } from '../../knowledge/kb-search.ts';

/** Words of the help-center passage on sending a return back; tuned on the sample knowledge base. */
export const RETURN_STEPS_QUERY = 'return label drop off';

export type ReturnSteps = { source: string; text: string };

export function findReturnSteps(knowledge: KnowledgeSearch): ReturnSteps | null {
  const best = knowledge.searchKnowledge(RETURN_STEPS_QUERY, { limit: 1 })[0];
  return best === undefined ? null : { source: best.source, text: best.text };
}
