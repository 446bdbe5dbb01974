// Realistic finished calls as the store returns them, for the mapper and the worker.
import type { EscalationConfig, EscalationInput } from '../../../src/helpdesk/escalation-mapper.ts';
import type { CallRecord, ToolCallRecord, TurnRecord } from '../../../src/store/call-records.ts';

export const BRAND_NUMBER = '+18005550199';
export const CALLER_NUMBER = '+14155550123';

export const escalationConfig: EscalationConfig = {
  baseTags: ['ai-phone', 'ai-escalated'],
  botUserId: 1002,
  dashboardUrlBase: 'https://voice.example.com/dashboard',
  contactReasonFieldId: null,
  logResolvedCalls: false,
};

export function callRecord(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    id: 'call_0001',
    callSid: 'CA5f1e0c2a',
    streamSid: 'MZ0001',
    fromNumber: CALLER_NUMBER,
    toNumber: BRAND_NUMBER,
    phase: 'ended',
    startedAt: new Date('2026-11-20T10:00:00.000Z'),
    answeredAt: new Date('2026-11-20T10:00:01.000Z'),
    endedAt: new Date('2026-11-20T10:04:13.000Z'),
    endedBy: 'agent',
    outcome: 'escalated',
    reason: 'delivery_exception',
    intent: 'wismo',
    summary: 'Parcel for #1001 marked delivered on Monday but the caller has not received it.',
    callerWants: 'A replacement shipped, or a refund.',
    isVerified: true,
    handoff: null,
    recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
    model: 'gpt-realtime',
    details: {
      ordersDiscussed: [{ name: '#1001', status: 'delivered (marked delivered Mon 16 Nov)' }],
      actions: [{ kind: 'sms_sent', detail: 'tracking link for #1001' }],
      verifiedBy: ['caller_id', 'email'],
      callerName: 'Jane Caller',
      verifiedEmail: 'jane@example.com',
    },
    ...overrides,
  };
}

function turn(seq: number, speaker: 'caller' | 'agent', text: string, startedMs: number, isInterrupted = false): TurnRecord {
  return { seq, speaker, text, startedMs, endedMs: startedMs + 1_500, isInterrupted, latencyMs: speaker === 'agent' ? 650 : null, itemId: `item_${seq}` };
}

export const wismoTurns: TurnRecord[] = [
  turn(1, 'agent', 'Thanks for calling Juniper & Pine, this call may be recorded. How can I help?', 0),
  turn(2, 'caller', 'Hi, my order says delivered but it is not here.', 4_200),
  turn(3, 'agent', 'I am sorry to hear that. I found order 1001, marked delivered on Monday. Let me', 8_000, true),
  turn(4, 'caller', 'It is not on my porch, I checked twice.', 11_000),
  turn(5, 'agent', 'I have texted you the tracking link and I am passing this to our team, who will follow up.', 14_500),
  turn(6, 'caller', '   ', 19_000),
];

export const wismoTools: ToolCallRecord[] = [
  { seq: 1, name: 'find_orders', arguments: { phone: '[redacted]' }, status: 'ok', resultSummary: '1 order found (#1001)', latencyMs: 240, startedAt: new Date('2026-11-20T10:00:06Z') },
  { seq: 2, name: 'get_order_status', arguments: { order: '#1001' }, status: 'ok', resultSummary: 'delivered Mon 16 Nov, UPS', latencyMs: 310, startedAt: new Date('2026-11-20T10:00:07Z') },
  { seq: 3, name: 'send_sms', arguments: { kind: 'tracking' }, status: 'ok', resultSummary: 'tracking link sent', latencyMs: 180, startedAt: new Date('2026-11-20T10:00:16Z') },
];

export const wismoCall: EscalationInput = { call: callRecord(), turns: wismoTurns, toolCalls: wismoTools };

/** A call with `count` alternating turns, one second apart. */
export function longTurns(count: number): TurnRecord[] {
  return Array.from({ length: count }, (_, index) => turn(index + 1, index % 2 === 0 ? 'agent' : 'caller', `Turn number ${index + 1}.`, index * 1_000));
}
