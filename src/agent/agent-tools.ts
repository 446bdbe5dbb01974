// The agent's whole tool set, built once at start-up from its dependencies; each call shares the same registry.
import type { OrderLookup } from '../commerce/order-lookup.ts';
import type { KnowledgeSearch } from '../knowledge/kb-search.ts';
import type { ReturnPolicy } from './policies/returns-eligibility.ts';
import type { SmsSender } from './ports.ts';
import { endCallTool } from './tools/end-call.ts';
import { createEscalateTool, type HandoffPolicy } from './tools/escalate.ts';
import type { ToolDefinition } from './tool-registry.ts';

export type AgentToolDeps = {
  handoff: HandoffPolicy;
  orders: OrderLookup;
  knowledge: KnowledgeSearch;
  /** Null when SMS_FROM is not configured: the agent then offers no texts. */
  sms: SmsSender | null;
  returns: ReturnPolicy;
  /** The store's time zone, for dates in the caller's terms ("Thursday"). */
  timeZone: string;
};

export function buildAgentTools(deps: AgentToolDeps): ToolDefinition[] {
  return [endCallTool, createEscalateTool(deps.handoff)];
}
