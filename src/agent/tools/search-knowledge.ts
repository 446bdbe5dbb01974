// Answers policy and product questions from the brand's knowledge base only: the best passages with their source
// for the record, or `found: false` so the agent offers to pass the question on. It never answers from elsewhere.
import { z } from 'zod';
import type { KnowledgeSearch } from '../../knowledge/kb-search.ts';
import { defineTool } from '../tool-registry.ts';

const searchKnowledgeInput = z.object({
  question: z.string().trim().min(2).max(300).describe("The caller's question, in their words."),
  topic: z.enum(['policy', 'product']).default('policy').describe('policy: shipping, returns, payments, hours. product: sizing, care, materials, warranty.'),
});

export function createSearchKnowledgeTool(knowledge: KnowledgeSearch) {
  return defineTool({
    name: 'search_knowledge',
    description:
      "Searches the store's help center. Use it for every question about shipping, returns, payments, sizing, care, warranty " +
      'or contact hours, and answer only from what it returns.',
    input: searchKnowledgeInput,
    timeoutMs: 1000,
    async run(input) {
      const intent = { kind: 'intent' as const, intent: input.topic === 'product' ? 'product_question' : 'policy_question' };
      const hits = knowledge.searchKnowledge(input.question);
      if (hits.length === 0) {
        return {
          output: {
            found: false,
            say: "The help center doesn't cover this. Say you don't have that information and offer to pass the question to the team (escalate, reason policy_question_unanswered).",
          },
          summary: 'no passage found',
          effects: [intent],
        };
      }
      return {
        output: {
          found: true,
          passages: hits.map((hit) => ({ source: hit.source, title: hit.title, text: hit.text })),
          say: "Answer only from these passages, briefly and in your own words. Don't read out the source or add anything they don't say.",
        },
        summary: `answered from ${hits.map((hit) => hit.source).join(', ')}`,
        effects: [intent],
      };
    },
  });
}
