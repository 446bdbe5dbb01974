import { describe, expect, it } from 'vitest';
import { escalationDetailsSchema } from '../../src/helpdesk/escalation-details.ts';
import { planEscalation, type EscalationConfig, type EscalationInput, type TicketRequests } from '../../src/helpdesk/escalation-mapper.ts';
import { encodeCreateMessage, encodeCreateTicket } from '../../src/helpdesk/gorgias-request-codec.ts';
import { BRAND_NUMBER, CALLER_NUMBER, callRecord, escalationConfig, longTurns, wismoCall, wismoTurns } from './support/escalated-calls.ts';

const CUSTOMER_ID = 987654;

function ticketOf(input: EscalationInput, config: EscalationConfig = escalationConfig): TicketRequests {
  const plan = planEscalation(input, config);
  if (plan.kind !== 'deliver') throw new Error(`expected a delivery, got: ${plan.why}`);
  return plan.ticketFor(CUSTOMER_ID);
}

describe('escalation mapper: the ticket', () => {
  it('maps an escalated WISMO call to one open phone ticket the contract accepts', () => {
    const { create, overflow } = ticketOf(wismoCall);
    expect(overflow).toEqual([]);
    expect(create).toMatchObject({
      externalId: 'aicall:CA5f1e0c2a',
      channel: 'phone',
      via: 'api',
      fromAgent: false,
      status: 'open',
      priority: 'high',
      subject: 'Where is my order: Parcel for #1001 marked delivered on Monday but the caller has not received it.',
      customer: { id: CUSTOMER_ID },
      tags: ['ai-phone', 'ai-escalated', 'wismo', 'delivery_exception'],
      meta: {
        callId: 'call_0001',
        callSid: 'CA5f1e0c2a',
        from: CALLER_NUMBER,
        to: BRAND_NUMBER,
        startedAt: '2026-11-20T10:00:00.000Z',
        durationSeconds: 253,
        outcome: 'escalated',
        reason: 'delivery_exception',
        ordersDiscussed: [{ name: '#1001', status: 'delivered (marked delivered Mon 16 Nov)' }],
        dashboardUrl: 'https://voice.example.com/dashboard/calls/call_0001',
        recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
      },
    });
    expect(encodeCreateTicket(create).ok).toBe(true);
  });

  it('writes one message per spoken turn, in order, with the right sender, direction and time, already sent', () => {
    const { create } = ticketOf(wismoCall);
    const transcript = create.messages.slice(0, -1);
    expect(transcript.map((message) => [message.fromAgent, message.sender?.id, message.bodyText])).toEqual([
      [true, 1002, 'Thanks for calling Juniper & Pine, this call may be recorded. How can I help?'],
      [false, CUSTOMER_ID, 'Hi, my order says delivered but it is not here.'],
      [true, 1002, 'I am sorry to hear that. I found order 1001, marked delivered on Monday. Let me [cut off by the caller]'],
      [false, CUSTOMER_ID, 'It is not on my porch, I checked twice.'],
      [true, 1002, 'I have texted you the tracking link and I am passing this to our team, who will follow up.'],
    ]);
    expect(transcript[1]).toMatchObject({
      channel: 'phone',
      via: 'api',
      source: { type: 'phone', from: { address: CALLER_NUMBER }, to: [{ address: BRAND_NUMBER }] },
      externalId: 'aicall:CA5f1e0c2a:turn:2',
      createdDatetime: '2026-11-20T10:00:05.200Z',
      sentDatetime: '2026-11-20T10:00:05.200Z',
    });
    expect(transcript[0]).toMatchObject({ receiver: { id: CUSTOMER_ID }, source: { from: { address: BRAND_NUMBER }, to: [{ address: CALLER_NUMBER }] } });
    expect(transcript.every((message) => message.sentDatetime !== undefined)).toBe(true);
    for (const message of create.messages) expect(encodeCreateMessage(message).ok).toBe(true);
  });

  it('ends with an internal note from the bot user holding everything an agent needs', () => {
    const note = ticketOf(wismoCall).create.messages.at(-1);
    expect(note).toMatchObject({ channel: 'internal-note', via: 'api', fromAgent: true, isPublic: false, sender: { id: 1002 }, externalId: 'aicall:CA5f1e0c2a:note', sentDatetime: '2026-11-20T10:04:13.000Z' });
    expect(note?.bodyText?.split('\n')).toEqual([
      'AI phone agent: call escalated',
      'Why escalated: Delivery problem (late, lost or failed)',
      'Intent: Where is my order',
      'AI summary: Parcel for #1001 marked delivered on Monday but the caller has not received it.',
      'What the shopper wants next: A replacement shipped, or a refund.',
      'Identity verified: Yes (caller ID matches the order; order number and email)',
      `Caller: Jane Caller, ${CALLER_NUMBER}`,
      'Orders discussed:',
      '- #1001: delivered (marked delivered Mon 16 Nov)',
      'Actions taken:',
      '- SMS sent: tracking link for #1001',
      'Checks the AI made:',
      '- find_orders (ok): 1 order found (#1001)',
      '- get_order_status (ok): delivered Mon 16 Nov, UPS',
      '- send_sms (ok): tracking link sent',
      'Recording: https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
      'Call in the dashboard: https://voice.example.com/dashboard/calls/call_0001',
      'Call: CA5f1e0c2a, started 2026-11-20T10:00:00.000Z, 4 min 13 s',
    ]);
    expect(note?.bodyHtml).toContain('<a href="https://voice.example.com/dashboard/calls/call_0001">');
    expect(note?.bodyHtml).toContain('<li>#1001: delivered (marked delivered Mon 16 Nov)</li>');
  });

  it.each([
    ['delivery exception', 'delivery_exception', 'high'],
    ['the model unavailable', 'model_unavailable', 'high'],
    ['failed verification', 'verification_failed', 'high'],
    ['a question the help center does not cover', 'policy_question_unanswered', 'low'],
    ['a caller asking for a person', 'caller_requested_human', 'normal'],
    ['an unknown reason', 'something_new', 'normal'],
  ])('sets the priority for %s', (_name, reason, priority) => {
    expect(ticketOf({ ...wismoCall, call: callRecord({ reason }) }).create.priority).toBe(priority);
  });

  it.each([
    [
      'a voicemail after the model failed: the note alone, with the recording',
      { call: callRecord({ reason: 'model_unavailable', intent: null, summary: null, callerWants: null, handoff: 'voicemail', details: {} }), turns: [], toolCalls: [] },
      { messages: 1, subject: 'Phone call: Voice agent unavailable', lines: ['Hand-off: Caller left a voicemail', 'Recording: https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1'] },
    ],
    [
      'outside hours: a callback requested, with the number',
      { ...wismoCall, call: callRecord({ handoff: 'callback' }) },
      { messages: 6, subject: 'Where is my order: Parcel for #1001 marked delivered on Monday but the caller has not received it.', lines: ['Hand-off: Callback requested (no live transfer available)', `Call back on: ${CALLER_NUMBER}`] },
    ],
    [
      'a transfer nobody answered: call back',
      { ...wismoCall, call: callRecord({ handoff: 'transfer_no-answer' }) },
      { messages: 6, subject: 'Where is my order: Parcel for #1001 marked delivered on Monday but the caller has not received it.', lines: ['Hand-off: Transfer not connected (no-answer): call back', `Call back on: ${CALLER_NUMBER}`] },
    ],
    [
      'a connected transfer',
      { ...wismoCall, call: callRecord({ handoff: 'transfer_connected' }) },
      { messages: 6, subject: 'Where is my order: Parcel for #1001 marked delivered on Monday but the caller has not received it.', lines: ['Hand-off: Transferred to a person'] },
    ],
    [
      'an unverified caller: the agent is warned',
      { ...wismoCall, call: callRecord({ isVerified: false, reason: 'verification_failed' }) },
      { messages: 6, subject: 'Where is my order: Parcel for #1001 marked delivered on Monday but the caller has not received it.', lines: ['Identity verified: No: do not disclose order details before verifying', 'Why escalated: Could not verify the caller'] },
    ],
  ])('maps %s', (_name, input, expected) => {
    const { create } = ticketOf(input);
    expect(create.messages).toHaveLength(expected.messages);
    expect(create.subject).toBe(expected.subject);
    const lines = create.messages.at(-1)?.bodyText?.split('\n') ?? [];
    for (const line of expected.lines) expect(lines).toContain(line);
  });

  it('cuts a long summary to one line in the subject', () => {
    const { create } = ticketOf({ ...wismoCall, call: callRecord({ summary: `First line\nsecond ${'word '.repeat(60)}` }) });
    expect(create.subject?.startsWith('Where is my order: First line second word')).toBe(true);
    expect(create.subject?.endsWith('…')).toBe(true);
    expect(create.subject?.length).toBeLessThanOrEqual('Where is my order: '.length + 120);
  });

  it('creates with the first 499 turns and the note, and appends the rest in order', () => {
    const { create, overflow } = ticketOf({ ...wismoCall, turns: longTurns(620) });
    expect(create.messages).toHaveLength(500);
    expect(create.messages.at(-1)?.channel).toBe('internal-note');
    expect(create.messages.at(-2)?.externalId).toBe('aicall:CA5f1e0c2a:turn:499');
    expect(overflow.map((message) => message.externalId)).toEqual(Array.from({ length: 121 }, (_, index) => `aicall:CA5f1e0c2a:turn:${500 + index}`));
    expect(encodeCreateTicket(create).ok).toBe(true);
  });

  it('keeps messages strictly ordered when two turns share a timestamp', () => {
    const turns = wismoTurns.slice(0, 3).map((turn) => ({ ...turn, startedMs: 1_000 }));
    const times = ticketOf({ ...wismoCall, turns }).create.messages.slice(0, 3).map((message) => message.createdDatetime);
    expect(times).toEqual(['2026-11-20T10:00:02.000Z', '2026-11-20T10:00:02.001Z', '2026-11-20T10:00:02.002Z']);
  });

  it('logs a resolved call, when asked, as a closed low-priority ticket tagged ai-resolved', () => {
    const resolved = { ...wismoCall, call: callRecord({ outcome: 'resolved', reason: null, handoff: null }) };
    expect(planEscalation(resolved, escalationConfig)).toEqual({ kind: 'skip', why: 'resolved calls are not logged (LOG_RESOLVED_CALLS)' });
    const { create } = ticketOf(resolved, { ...escalationConfig, logResolvedCalls: true });
    expect(create).toMatchObject({ status: 'closed', priority: 'low', tags: ['ai-phone', 'ai-resolved', 'wismo'] });
    expect(create.messages.at(-1)?.bodyText?.split('\n')[0]).toBe('AI phone agent: call resolved');
    expect(create.messages.at(-1)?.bodyText).not.toContain('Why escalated');
  });

  it('skips a call that has not ended', () => {
    expect(planEscalation({ ...wismoCall, call: callRecord({ phase: 'live', outcome: null }) }, escalationConfig).kind).toBe('skip');
  });
});

describe('escalation mapper: the customer and the contact reason', () => {
  it.each([
    ['a verified caller with a name', callRecord(), { phone: CALLER_NUMBER, name: 'Jane Caller', verifiedEmail: 'jane@example.com', externalId: `aicall-caller:${CALLER_NUMBER}` }],
    ['an unverified caller: the email is not trusted', callRecord({ isVerified: false }), { phone: CALLER_NUMBER, name: 'Jane Caller', verifiedEmail: null, externalId: `aicall-caller:${CALLER_NUMBER}` }],
    ['a withheld number', callRecord({ fromNumber: 'anonymous', details: {} }), { phone: null, name: null, verifiedEmail: null, externalId: 'aicall-caller:CA5f1e0c2a' }],
  ])('asks for %s', (_name, call, customer) => {
    const plan = planEscalation({ call, turns: [], toolCalls: [] }, escalationConfig);
    expect(plan).toMatchObject({ kind: 'deliver', customer });
  });

  it('sets the contact reason from the intent when the field is configured', () => {
    expect(planEscalation(wismoCall, { ...escalationConfig, contactReasonFieldId: 42 })).toMatchObject({ contactReason: { fieldId: 42, value: 'Where is my order' } });
    expect(planEscalation(wismoCall, escalationConfig)).toMatchObject({ contactReason: null });
  });

  it('works around unreadable details and says what was wrong', () => {
    const plan = planEscalation({ ...wismoCall, call: callRecord({ details: { ordersDiscussed: [{ name: '#1001' }], verifiedEmail: 'not-an-email' } }) }, escalationConfig);
    expect(plan).toMatchObject({ kind: 'deliver', customer: { name: null, verifiedEmail: null } });
    if (plan.kind !== 'deliver') return;
    expect(plan.issues).toEqual(expect.arrayContaining([expect.stringContaining('details.ordersDiscussed.0.status'), expect.stringContaining('details.verifiedEmail')]));
    expect(plan.ticketFor(1).create.meta).toMatchObject({ ordersDiscussed: [] });
  });

  it('reads the details the call session writes, defaults included', () => {
    expect(escalationDetailsSchema.parse({})).toEqual({ ordersDiscussed: [], actions: [], verifiedBy: [] });
    expect(escalationDetailsSchema.parse({ actions: [{ kind: 'return_requested' }], failedVerificationAttempts: 1 })).toEqual({ ordersDiscussed: [], actions: [{ kind: 'return_requested', detail: '' }], verifiedBy: [] });
  });
});
