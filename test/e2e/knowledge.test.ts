// Policy questions through every twin: answered from the knowledge base with the passage's source on record, and a
// question the knowledge base does not cover passed to the team (policy_question_unanswered).
import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { startTestBridge, storedOutcome } from '../support/test-bridge.ts';
import { hearAgent, lastOutput, outputsOf } from '../support/scenario-steps.ts';

describe('policy questions', () => {
  it('answers from the knowledge base and keeps the source on record', async () => {
    const bridge = await startTestBridge();
    const caller = await bridge.placeCall({
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [
          {
            caller: 'How long do I have to return something?',
            steps: [
              { callTool: { name: 'search_knowledge', arguments: { question: 'How long do I have to return something?' } } },
              { say: (context) => (lastOutput(context)['found'] === true ? '30 days.' : 'Sorry.') },
            ],
          },
          { caller: 'Bye.', steps: [{ say: 'Bye!', callTool: { name: 'end_call', arguments: { summary: 'Explained the 30-day return window.' } } }] },
        ],
      }),
    });
    await hearAgent(caller);
    await caller.say('How long for returns?');
    await hearAgent(caller);
    await caller.say('Bye.');
    const call = await storedOutcome(bridge, caller);

    const [answer] = outputsOf(bridge, 'search_knowledge');
    expect(answer).toMatchObject({ found: true, passages: [{ source: 'returns.md#return-window', text: expect.stringContaining('30 days from the day your order was delivered') }] });
    const [search] = await bridge.app.calls.listToolCalls(call.id);
    expect(search).toMatchObject({ name: 'search_knowledge', status: 'ok', resultSummary: 'answered from returns.md#return-window' });
    expect(call).toMatchObject({ outcome: 'resolved', intent: 'policy_question' });
    bridge.realtime.assertNoLeftovers();
    expect(bridge.log.problems()).toEqual([]);
  });

  it('passes a question the knowledge base does not cover to the team', async () => {
    const bridge = await startTestBridge();
    const caller = await bridge.placeCall({
      scenario: defineScenario({
        greeting: { say: 'Hi!' },
        turns: [
          {
            caller: 'Can I pay with bitcoin?',
            steps: [
              { callTool: { name: 'search_knowledge', arguments: { question: 'Can I pay with bitcoin?' } } },
              {
                callTool: {
                  name: 'escalate',
                  arguments: (context) =>
                    lastOutput(context)['found'] === false
                      ? { reason: 'policy_question_unanswered', summary: 'Asked whether they can pay with bitcoin; the help center does not say.' }
                      : { reason: 'other', summary: 'The script went wrong.' },
                },
              },
              { say: 'The team will call.' },
            ],
          },
        ],
      }),
    });
    await hearAgent(caller);
    await caller.say('Bitcoin?');
    const call = await storedOutcome(bridge, caller);

    expect(outputsOf(bridge, 'search_knowledge')).toEqual([{ found: false, say: expect.stringContaining('offer to pass the question to the team') }]);
    expect(call).toMatchObject({
      outcome: 'escalated',
      reason: 'policy_question_unanswered',
      intent: 'policy_question',
      summary: 'Asked whether they can pay with bitcoin; the help center does not say.',
    });
    bridge.realtime.assertNoLeftovers();
    expect(bridge.log.problems()).toEqual([]);
  });
});
