// A finished call → what Gorgias should hold: the customer to upsert and one phone ticket with the transcript as
// messages and an internal note (gorgias-rest-api.md, 13.3). Pure: no I/O, no clock; the same call maps the same way.
import { escalationPriority, isEscalationReason } from '../agent/policies/escalation-reasons.ts';
import type { CallOutcome, CallRecord, ToolCallRecord, TurnRecord } from '../store/call-records.ts';
import { escalationDetailsSchema, type EscalationDetails } from './escalation-details.ts';
import { escapeHtml, intentLabel, reasonLabel, renderEscalationNote } from './escalation-note.ts';
import { MAX_MESSAGES_PER_TICKET_CREATE, type CreateMessageInput, type CreateTicketInput, type TicketPriority } from './gorgias-request-codec.ts';

export type EscalationConfig = {
  /** Tags on every call ticket, e.g. `ai-phone`, `ai-escalated` (GORGIAS_TAGS). */
  baseTags: readonly string[];
  /** The Gorgias user the agent's turns and the note are sent as (GORGIAS_BOT_USER_ID). */
  botUserId: number;
  /** Where the dashboard lives; the call's page is `<base>/calls/<id>`. */
  dashboardUrlBase: string | null;
  /** A ticket field that receives the call's intent (GORGIAS_CONTACT_REASON_FIELD_ID). */
  contactReasonFieldId: number | null;
  /** Resolved calls become closed tickets tagged `ai-resolved` (LOG_RESOLVED_CALLS). */
  logResolvedCalls: boolean;
};

export type EscalationInput = { call: CallRecord; turns: readonly TurnRecord[]; toolCalls: readonly ToolCallRecord[] };

/** Who called, for the customer upsert: find by phone, fill name and verified email, create when absent. */
export type CustomerWanted = {
  /** E.164, or null when the number was withheld. */
  phone: string | null;
  name: string | null;
  verifiedEmail: string | null;
  /** Written on a created customer; lets a create that lost its answer be found again (gorgias-rest-api.md, 14). */
  externalId: string;
};

export type TicketRequests = { create: CreateTicketInput; overflow: CreateMessageInput[] };

export type EscalationPlan =
  | {
      kind: 'deliver';
      /** The ticket's `external_id`: one per call, checked before any create (gorgias-rest-api.md, 14). */
      externalId: string;
      customer: CustomerWanted;
      contactReason: { fieldId: number; value: string } | null;
      /** Problems in `details` that were worked around; the worker logs them. */
      issues: string[];
      ticketFor(customerId: number): TicketRequests;
    }
  | { kind: 'skip'; why: string };

export const RESOLVED_TAG = 'ai-resolved';
const ESCALATED_TAG = 'ai-escalated';
const E164 = /^\+[1-9]\d{6,14}$/;
const SUBJECT_SUMMARY_CHARS = 120;

export function ticketExternalId(call: Pick<CallRecord, 'callSid'>): string {
  return `aicall:${call.callSid}`;
}

/** Which ended calls Gorgias holds: every escalation, and resolved calls with LOG_RESOLVED_CALLS. */
export function callGetsTicket(outcome: CallOutcome, logResolvedCalls: boolean): boolean {
  return outcome === 'escalated' || (outcome === 'resolved' && logResolvedCalls);
}

export function planEscalation(input: EscalationInput, config: EscalationConfig): EscalationPlan {
  const { call } = input;
  if (call.phase !== 'ended' || call.outcome === null) return { kind: 'skip', why: 'the call has not ended' };
  const isResolved = call.outcome === 'resolved';
  if (isResolved && !config.logResolvedCalls) return { kind: 'skip', why: 'resolved calls are not logged (LOG_RESOLVED_CALLS)' };

  const parsed = escalationDetailsSchema.safeParse(call.details);
  const details: EscalationDetails = parsed.success ? parsed.data : { ordersDiscussed: [], actions: [], verifiedBy: [] };
  const issues = parsed.success ? [] : parsed.error.issues.map((issue) => `details.${issue.path.join('.')}: ${issue.message}`);
  const phone = E164.test(call.fromNumber) ? call.fromNumber : null;
  const externalId = ticketExternalId(call);
  const customer: CustomerWanted = {
    phone,
    name: details.callerName ?? null,
    verifiedEmail: call.isVerified ? (details.verifiedEmail ?? null) : null,
    externalId: `aicall-caller:${phone ?? call.callSid}`,
  };
  const contactReason = config.contactReasonFieldId !== null && call.intent ? { fieldId: config.contactReasonFieldId, value: intentLabel(call.intent) } : null;
  return { kind: 'deliver', externalId, customer, contactReason, issues, ticketFor: (customerId) => buildTicket(input, config, details, customerId) };
}

function buildTicket(input: EscalationInput, config: EscalationConfig, details: EscalationDetails, customerId: number): TicketRequests {
  const { call } = input;
  const isResolved = call.outcome === 'resolved';
  const externalId = ticketExternalId(call);
  const transcript = transcriptMessages(input, config, customerId);
  const note = noteMessage(input, config, details);
  // The note rides in the create so the agent never sees the ticket without it; turns past the cap follow (6.1).
  const firstTurns = transcript.slice(0, MAX_MESSAGES_PER_TICKET_CREATE - 1);
  const create: CreateTicketInput = {
    externalId,
    channel: 'phone',
    via: 'api',
    fromAgent: false,
    status: isResolved ? 'closed' : 'open',
    priority: isResolved ? 'low' : priorityFor(call.reason),
    subject: subject(call),
    customer: { id: customerId },
    tags: tags(call, config),
    meta: meta(call, details, config),
    messages: [...firstTurns, note],
  };
  return { create, overflow: transcript.slice(firstTurns.length) };
}

/** The agent catalog's priority for the reason (escalation-reasons.ts); an unknown reason is `normal`. */
function priorityFor(reason: string | null): TicketPriority {
  return reason !== null && isEscalationReason(reason) ? escalationPriority(reason) : 'normal';
}

function subject(call: CallRecord): string {
  const intent = call.intent ? intentLabel(call.intent) : 'Phone call';
  const line = (call.summary ?? '').replace(/\s+/g, ' ').trim() || (call.reason ? reasonLabel(call.reason) : call.outcome === 'resolved' ? 'resolved by the AI agent' : 'escalated by the AI agent');
  const summary = line.length > SUBJECT_SUMMARY_CHARS ? `${line.slice(0, SUBJECT_SUMMARY_CHARS - 1).trimEnd()}…` : line;
  return `${intent}: ${summary}`;
}

function tags(call: CallRecord, config: EscalationConfig): string[] {
  // A resolved call is not an escalation: it drops the escalation tag and carries `ai-resolved` instead.
  const base = call.outcome === 'resolved' ? [...config.baseTags.filter((tag) => tag !== ESCALATED_TAG), RESOLVED_TAG] : config.baseTags;
  const all = [...base, call.intent, call.outcome === 'resolved' ? null : call.reason];
  return [...new Set(all.flatMap((tag) => (tag && tag.trim() ? [tag.trim().slice(0, 256)] : [])))];
}

function meta(call: CallRecord, details: EscalationDetails, config: EscalationConfig): Record<string, unknown> {
  return {
    source: 'ai-phone-agent',
    callId: call.id,
    callSid: call.callSid,
    from: call.fromNumber,
    to: call.toNumber,
    startedAt: call.startedAt.toISOString(),
    durationSeconds: durationSeconds(call),
    outcome: call.outcome,
    reason: call.reason,
    intent: call.intent,
    handoff: call.handoff,
    isVerified: call.isVerified,
    ordersDiscussed: details.ordersDiscussed,
    dashboardUrl: dashboardUrl(call, config),
    recordingUrl: call.recordingUrl,
  };
}

/** One message per turn, stamped with when it was said and marked sent so Gorgias sends nothing (7.1). */
function transcriptMessages(input: EscalationInput, config: EscalationConfig, customerId: number): CreateMessageInput[] {
  const { call } = input;
  const streamStartMs = (call.answeredAt ?? call.startedAt).getTime();
  const caller = { address: call.fromNumber };
  const brand = { address: call.toNumber };
  let lastMs = Number.NEGATIVE_INFINITY;
  return [...input.turns]
    .sort((a, b) => a.seq - b.seq)
    .filter((turn) => turn.text.trim().length > 0)
    .map((turn): CreateMessageInput => {
      // Keep messages strictly ordered even when two turns share a stream timestamp.
      lastMs = Math.max(streamStartMs + (turn.startedMs ?? turn.endedMs ?? 0), lastMs + 1);
      const at = new Date(lastMs).toISOString();
      const text = turn.isInterrupted ? `${turn.text.trim()} [cut off by the caller]` : turn.text.trim();
      const isAgent = turn.speaker === 'agent';
      return {
        channel: 'phone',
        via: 'api',
        fromAgent: isAgent,
        sender: { id: isAgent ? config.botUserId : customerId },
        ...(isAgent ? { receiver: { id: customerId } } : {}),
        source: { type: 'phone', from: isAgent ? brand : caller, to: [isAgent ? caller : brand] },
        bodyText: text,
        bodyHtml: `<p>${escapeHtml(text)}</p>`,
        externalId: `${ticketExternalId(call)}:turn:${turn.seq}`,
        createdDatetime: at,
        sentDatetime: at,
      };
    });
}

function noteMessage(input: EscalationInput, config: EscalationConfig, details: EscalationDetails): CreateMessageInput {
  const { call } = input;
  const at = (call.endedAt ?? call.startedAt).toISOString();
  const body = renderEscalationNote({
    isResolved: call.outcome === 'resolved',
    reason: call.reason,
    intent: call.intent,
    summary: call.summary,
    callerWants: call.callerWants,
    isVerified: call.isVerified,
    verifiedBy: details.verifiedBy,
    callerName: details.callerName ?? null,
    callerPhone: call.fromNumber,
    handoff: call.handoff,
    orders: details.ordersDiscussed,
    actions: details.actions,
    checks: input.toolCalls.map((tool) => ({ name: tool.name, status: tool.status, resultSummary: tool.resultSummary })),
    recordingUrl: call.recordingUrl,
    dashboardUrl: dashboardUrl(call, config),
    callSid: call.callSid,
    startedAt: call.startedAt,
    durationSeconds: durationSeconds(call),
  });
  return {
    channel: 'internal-note',
    via: 'api',
    fromAgent: true,
    isPublic: false,
    sender: { id: config.botUserId },
    source: { type: 'internal-note' },
    bodyText: body.text,
    bodyHtml: body.html,
    externalId: `${ticketExternalId(call)}:note`,
    createdDatetime: at,
    sentDatetime: at,
  };
}

function durationSeconds(call: CallRecord): number | null {
  return call.endedAt ? Math.max(0, Math.round((call.endedAt.getTime() - call.startedAt.getTime()) / 1000)) : null;
}

function dashboardUrl(call: CallRecord, config: EscalationConfig): string | null {
  return config.dashboardUrlBase ? `${config.dashboardUrlBase.replace(/\/+$/, '')}/calls/${encodeURIComponent(call.id)}` : null;
}
