// A caller who asks for a person, through every twin: the agent escalates, the call is transferred in hours (or a
// follow-up is promised after hours), the outbox files one Gorgias phone ticket with the transcript and the note,
// and the transfer's result lands as a note on it.
import { describe, expect, it } from 'vitest';
import { CALLER_NUMBER, SUPPORT_NUMBER, startTestBridge } from '../support/test-bridge.ts';
import {
  ASK_FOR_A_PERSON,
  CALLER_WANTS,
  closedHours,
  deliveredTicket,
  escalatedCall,
  ESCALATION_SUMMARY,
  GREETING,
  isInternalNote,
  OPEN_HOURS,
  outboxJobs,
  TEAM_NUMBER,
  TRANSFER_LINE,
} from './support/escalation-calls.ts';

describe('escalating a caller who asks for a person', () => {
  it('in hours: transfers the call, files one phone ticket with the transcript and the note, then notes the transfer answered', async () => {
    const bridge = await startTestBridge({ env: OPEN_HOURS });
    const caller = await bridge.placeCall({ dial: { outcome: 'answered', talkMs: 200 } });
    const call = await escalatedCall(bridge, caller);
    const callSid = caller.snapshot().callSid;

    expect(call).toMatchObject({ outcome: 'escalated', reason: 'caller_requested_human', endedBy: 'transfer', summary: ESCALATION_SUMMARY, callerWants: CALLER_WANTS });
    expect(caller.dials()).toMatchObject([{ targets: [{ kind: 'number', value: TEAM_NUMBER }], callerId: SUPPORT_NUMBER, timeoutS: 25, dialCallStatus: 'completed' }]);
    expect(caller.verbs().find((verb) => verb.name === 'Dial')?.attributes).toEqual({ callerId: SUPPORT_NUMBER, timeout: '25', action: `${bridge.publicUrl}/twilio/dial-status` });
    expect((await bridge.app.calls.getCall(call.id))?.handoff).toBe('transfer_connected');

    const { tickets, ticket, messages } = await deliveredTicket(bridge, 2);
    expect(tickets).toHaveLength(1);
    const customers = bridge.gorgias.customers();
    expect(customers).toHaveLength(1);
    const customerId = customers[0]!.id;
    expect(customers[0]!.channels).toEqual([expect.objectContaining({ type: 'phone', address: CALLER_NUMBER })]);
    expect(ticket).toMatchObject({ channel: 'phone', via: 'api', status: 'open', external_id: `aicall:${callSid}`, subject: `Other: ${ESCALATION_SUMMARY}`, customer: { id: customerId } });
    expect(ticket.tags.map((tag) => tag.name).sort()).toEqual(['ai-escalated', 'ai-phone', 'caller_requested_human', 'other']);

    // The transcript: one message per turn in order, the caller's from the customer, the agent's from the bot user.
    const botUserId = bridge.gorgias.botUserId;
    const transcript = messages.filter((message) => !isInternalNote(message));
    expect(transcript.map((message) => [message.from_agent, message.sender?.id, message.body_text])).toEqual([
      [true, botUserId, GREETING],
      [false, customerId, ASK_FOR_A_PERSON],
      [true, botUserId, TRANSFER_LINE],
    ]);
    for (const message of transcript) expect(message).toMatchObject({ channel: 'phone', via: 'api', sent_datetime: expect.any(String) });
    expect(bridge.gorgias.deliveries()).toEqual([]);

    const [note, transferNote] = messages.filter(isInternalNote);
    expect(note?.body_text).toContain('Why escalated: Caller asked for a person');
    expect(note?.body_text).toContain(`AI summary: ${ESCALATION_SUMMARY}`);
    expect(note?.body_text).toContain(`What the shopper wants next: ${CALLER_WANTS}`);
    expect(note?.body_text).toContain('Identity verified: No');
    expect(transferNote).toMatchObject({ from_agent: true, public: false, sender: { id: botUserId } });
    expect(transferNote?.body_text).toBe('AI phone agent: after the call\nTransfer to the team: answered, on the line 1 s');
    expect(await outboxJobs(bridge)).toEqual([
      { kind: 'gorgias_escalation', status: 'done' },
      { kind: 'gorgias_handoff_note', status: 'done' },
    ]);
    bridge.gorgias.assertNoLeftovers();
    expect(bridge.log.problems()).toEqual([]);
    expect(bridge.log.text()).not.toContain(CALLER_NUMBER);
  });

  it('after hours: promises a follow-up instead of a transfer, and the ticket asks for a callback on the caller’s number', async () => {
    const bridge = await startTestBridge({ env: closedHours() });
    const caller = await bridge.placeCall();
    const call = await escalatedCall(bridge, caller);

    expect(call).toMatchObject({ outcome: 'escalated', reason: 'caller_requested_human', endedBy: 'hangup', handoff: 'callback' });
    expect(call.details).toMatchObject({ actions: [{ kind: 'callback_requested', detail: CALLER_NUMBER }] });
    expect(caller.dials()).toEqual([]);
    expect(bridge.twilio.rest.updates(caller.snapshot().callSid).map((update) => update.params)).toEqual([{ Status: 'completed' }]);
    const [tool] = await bridge.app.calls.listToolCalls(call.id);
    expect(tool).toMatchObject({ name: 'escalate', status: 'ok', resultSummary: 'follow-up: caller_requested_human' });
    const toolOutputs = bridge.realtime.connections().flatMap((connection) => connection.received().filter((event) => event.type === 'conversation.item.create'));
    expect(JSON.stringify(toolOutputs.map((event) => event.payload))).toMatch(/someone will follow up [A-Za-z]+ at 9 AM at the number they called from/);

    const { tickets, messages } = await deliveredTicket(bridge, 1);
    expect(tickets).toHaveLength(1);
    const note = messages.filter(isInternalNote)[0]?.body_text ?? '';
    expect(note).toContain('Hand-off: Callback requested (no live transfer available)');
    expect(note).toContain(`Call back on: ${CALLER_NUMBER}`);
    expect(note).toContain(`- Callback requested: ${CALLER_NUMBER}`);
    expect(await outboxJobs(bridge)).toEqual([{ kind: 'gorgias_escalation', status: 'done' }]);
    expect(bridge.log.problems()).toEqual([]);
  });
});
