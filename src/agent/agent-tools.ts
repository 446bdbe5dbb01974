// The agent's whole tool set, built once at start-up from its dependencies; each call shares the same registry.
import type { OrderLookup } from '../commerce/order-lookup.ts';
import type { KnowledgeSearch } from '../knowledge/kb-search.ts';
import type { CallerPrefetch } from './caller-prefetch.ts';
import type { ReturnPolicy } from './policies/returns-eligibility.ts';
import type { SmsSender } from './ports.ts';
import { createCheckReturnEligibilityTool } from './tools/check-return-eligibility.ts';
import { endCallTool } from './tools/end-call.ts';
import { createEscalateTool } from './tools/escalate.ts';
import { createFindOrdersTool } from './tools/find-orders.ts';
import { createGetOrderStatusTool } from './tools/get-order-status.ts';
import type { HandoffPolicy } from './tools/hand-off.ts';
import { createSearchKnowledgeTool } from './tools/search-knowledge.ts';
import { createSendSmsTool } from './tools/send-sms.ts';
import { createStartReturnTool } from './tools/start-return.ts';
import type { ToolDefinition } from './tool-registry.ts';

export type AgentToolDeps = {
  handoff: HandoffPolicy;
  orders: OrderLookup;
  /** The caller's orders looked up while the call rang; the order tools read it before asking the shop. */
  prefetch: CallerPrefetch;
  knowledge: KnowledgeSearch;
  /** Null when SMS_FROM is not configured: the agent then offers no texts. */
  sms: SmsSender | null;
  returns: ReturnPolicy;
  /** The store's time zone, for dates in the caller's terms ("Thursday"). */
  timeZone: string;
  /** Names the sender of a text message. */
  brandName: string;
};

export function buildAgentTools(deps: AgentToolDeps): ToolDefinition[] {
  const { handoff, orders, prefetch, knowledge, sms, returns, timeZone, brandName } = deps;
  const canText = sms !== null;
  const access = { orders, prefetch, handoff };
  return [
    createFindOrdersTool({ prefetch, handoff, timeZone }),
    createGetOrderStatusTool({ ...access, timeZone, canText }),
    createCheckReturnEligibilityTool({ ...access, returns, timeZone }),
    createStartReturnTool({ ...access, returns, timeZone, knowledge, canText }),
    createSearchKnowledgeTool(knowledge),
    ...(sms === null ? [] : [createSendSmsTool({ ...access, sms, knowledge, timeZone, brandName })]),
    createEscalateTool(handoff),
    endCallTool,
  ];
}
