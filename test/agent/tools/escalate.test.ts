import { describe, expect, it } from 'vitest';
import { createEscalateTool } from '../../../src/agent/tools/escalate.ts';
import { FOLLOW_UP_HANDOFF } from '../../support/commerce-fakes.ts';
import { toolHarness } from '../../support/tool-harness.ts';

describe('escalate', () => {
  it.each([
    ['refund', 'refund_request'],
    ['exchange', 'exchange_request'],
    ['address_change', 'order_change'],
    ['cancel_order', 'order_change'],
  ])('files a %s request with the reason the policy gives, whatever the model chose', async (request, reason) => {
    const harness = toolHarness([createEscalateTool(FOLLOW_UP_HANDOFF)]);
    const result = await harness.call('escalate', { reason: 'other', summary: 'Wants their money back.', request });

    expect(harness.effects).toEqual([{ kind: 'escalate', reason, summary: 'Wants their money back.', callerWants: null, handoff: 'callback' }]);
    expect(String(result.output['say'])).toMatch(/^Do not promise the request/);
  });

  it("keeps the model's reason without a request", async () => {
    const harness = toolHarness([createEscalateTool(FOLLOW_UP_HANDOFF)]);
    await harness.call('escalate', { reason: 'caller_requested_human', summary: 'Wants a person.', caller_wants: 'A call back' });
    expect(harness.effects).toEqual([{ kind: 'escalate', reason: 'caller_requested_human', summary: 'Wants a person.', callerWants: 'A call back', handoff: 'callback' }]);
  });

  it('promises a call back at the caller number only when there is one', async () => {
    const known = toolHarness([createEscalateTool(FOLLOW_UP_HANDOFF)]);
    const withheld = toolHarness([createEscalateTool(FOLLOW_UP_HANDOFF)], { callerNumber: null });
    const args = { reason: 'other', summary: 'Needs the team.' };

    expect((await known.call('escalate', args)).output['say']).toContain('tomorrow after 9 AM at the number they called from');
    expect((await withheld.call('escalate', args)).output['say']).not.toContain('the number they called from');
  });

  it('connects the caller while someone can take the call', async () => {
    const harness = toolHarness([createEscalateTool({ ...FOLLOW_UP_HANDOFF, canTransferNow: () => true })]);
    const result = await harness.call('escalate', { reason: 'caller_requested_human', summary: 'Wants a person.' });
    expect(result.output).toEqual({ handoff: 'transfer', say: expect.stringContaining('connecting them to a teammate') });
    expect(harness.effects[0]).toMatchObject({ handoff: 'transfer' });
  });
});
