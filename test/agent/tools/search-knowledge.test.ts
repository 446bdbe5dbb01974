import { describe, expect, it } from 'vitest';
import { createSearchKnowledgeTool } from '../../../src/agent/tools/search-knowledge.ts';
import { RETURN_STEPS_HIT, ScriptedKnowledge } from '../../support/commerce-fakes.ts';
import { toolHarness } from '../../support/tool-harness.ts';

describe('search_knowledge', () => {
  it('answers with the passages and their source, and records a policy question', async () => {
    const knowledge = new ScriptedKnowledge(() => [RETURN_STEPS_HIT]);
    const harness = toolHarness([createSearchKnowledgeTool(knowledge)]);
    const result = await harness.call('search_knowledge', { question: 'How do I send a return back?' });

    expect(knowledge.queries).toEqual(['How do I send a return back?']);
    expect(result.output).toEqual({
      found: true,
      passages: [{ source: 'returns.md#how-to-start-a-return', title: 'How to start a return', text: RETURN_STEPS_HIT.text }],
      say: expect.stringContaining('Answer only from these passages'),
    });
    expect(result.summary).toBe('answered from returns.md#how-to-start-a-return');
    expect(harness.effects).toEqual([{ kind: 'intent', intent: 'policy_question' }]);
  });

  it('records a product question as one', async () => {
    const harness = toolHarness([createSearchKnowledgeTool(new ScriptedKnowledge(() => [RETURN_STEPS_HIT]))]);
    await harness.call('search_knowledge', { question: 'Does the sweater run small?', topic: 'product' });
    expect(harness.effects).toEqual([{ kind: 'intent', intent: 'product_question' }]);
  });

  it('says nothing was found and to offer passing the question on', async () => {
    const harness = toolHarness([createSearchKnowledgeTool(new ScriptedKnowledge(() => []))]);
    const result = await harness.call('search_knowledge', { question: 'Can I pay with bitcoin?' });

    expect(result.output).toEqual({ found: false, say: expect.stringContaining('policy_question_unanswered') });
    expect(result.summary).toBe('no passage found');
  });
});
