import { describe, expect, it } from 'vitest';
import { buildAgentTools, type AgentToolDeps } from '../../src/agent/agent-tools.ts';
import { CallerPrefetch } from '../../src/agent/caller-prefetch.ts';
import { ToolRegistry } from '../../src/agent/tool-registry.ts';
import { FOLLOW_UP_HANDOFF, NOW_ISO, RecordingSms, ScriptedKnowledge, ScriptedOrderLookup } from '../support/commerce-fakes.ts';
import { captureLog } from '../support/log-capture.ts';
import { ManualClock } from '../support/manual-clock.ts';

function deps(overrides: Partial<AgentToolDeps> = {}): AgentToolDeps {
  const orders = new ScriptedOrderLookup();
  return {
    handoff: FOLLOW_UP_HANDOFF,
    orders,
    prefetch: new CallerPrefetch({ orders, clock: new ManualClock(NOW_ISO), log: captureLog().log }),
    knowledge: new ScriptedKnowledge(() => []),
    sms: new RecordingSms(),
    returns: { windowDays: 30, excludedProductTypes: [], excludedTags: ['final-sale'] },
    timeZone: 'America/New_York',
    brandName: 'Juniper & Pine',
    ...overrides,
  };
}

describe('buildAgentTools', () => {
  it('offers every tool of the issue, each with a schema the model can read', () => {
    const registry = new ToolRegistry(buildAgentTools(deps()));
    expect(registry.names).toEqual(['find_orders', 'get_order_status', 'check_return_eligibility', 'start_return', 'search_knowledge', 'send_sms', 'escalate', 'end_call']);
    for (const schema of registry.schemasForModel()) expect(schema.parameters).toMatchObject({ type: 'object' });
  });

  it('offers no texts when SMS is not configured', () => {
    expect(new ToolRegistry(buildAgentTools(deps({ sms: null }))).names).not.toContain('send_sms');
  });

  it('bounds every shop lookup, says a filler after 600 ms, and masks the proof of identity', () => {
    const tools = buildAgentTools(deps());
    for (const tool of tools.filter((candidate) => ['find_orders', 'get_order_status', 'check_return_eligibility', 'start_return', 'send_sms'].includes(candidate.name))) {
      expect(tool.fillerAfterMs, tool.name).toBe(600);
      expect(tool.timeoutMs, tool.name).toBeLessThanOrEqual(5000);
    }
    for (const tool of tools.filter((candidate) => ['get_order_status', 'check_return_eligibility', 'start_return'].includes(candidate.name))) {
      expect(tool.sensitiveArguments, tool.name).toEqual(expect.arrayContaining(['email', 'postal_code']));
    }
  });
});
