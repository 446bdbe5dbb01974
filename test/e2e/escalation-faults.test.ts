// Escalations survive what goes wrong around them: the voice model unavailable still leaves a ticket (with the call's
// recording noted), and a Gorgias that stores the ticket but drops the answer still ends with exactly one ticket.
import { expect, it, vi } from 'vitest';
import { startTestBridge } from '../support/test-bridge.ts';
import { closedHours, deliveredTicket, escalatedCall, isInternalNote, outboxJobs } from './support/escalation-calls.ts';

it('files a ticket for the model-unavailable fallback, and notes the recording that arrives after the call', async () => {
  const bridge = await startTestBridge({ env: { RECORD_CALLS: 'true' } });
  bridge.realtime.refuseUpgrades(10);
  const caller = await bridge.placeCall();
  await caller.ended;
  const call = (await bridge.app.calls.getCallBySid(caller.snapshot().callSid))!;
  expect(call).toMatchObject({ outcome: 'escalated', reason: 'model_unavailable', endedBy: 'fallback' });

  const { tickets, ticket, messages } = await deliveredTicket(bridge, 2);
  expect(tickets).toHaveLength(1);
  expect(ticket).toMatchObject({ priority: 'high', status: 'open' });
  expect(ticket.tags.map((tag) => tag.name)).toContain('model_unavailable');
  const [note, recordingNote] = messages.filter(isInternalNote);
  expect(note?.body_text).toContain('Why escalated: Voice agent unavailable');
  const [recording] = caller.recordings();
  const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${caller.accountSid}/Recordings/${recording?.sid}`;
  // Twilio reports the recording twice (status callback and recording callback): one note.
  expect(recordingNote?.body_text).toBe(`AI phone agent: after the call\nRecording: ${recordingUrl}`);
  expect(await outboxJobs(bridge)).toEqual([
    { kind: 'gorgias_escalation', status: 'done' },
    { kind: 'gorgias_handoff_note', status: 'done' },
  ]);
  expect(bridge.log.problems(['call.fallback'])).toEqual([]);
});

it('creates exactly one ticket when Gorgias stores the create but the connection drops before it answers', async () => {
  const bridge = await startTestBridge({ env: closedHours() });
  // Every answer is held a moment, so the drop can be armed for the request after the customer's create.
  bridge.gorgias.addLatency(300);
  const caller = await bridge.placeCall();
  const escalated = escalatedCall(bridge, caller);
  await vi.waitFor(
    () => {
      if (!bridge.gorgias.requests().some((request) => request.method === 'POST' && request.path === '/api/customers')) throw new Error('no customer created yet');
    },
    { timeout: 20_000, interval: 5 },
  );
  bridge.gorgias.acceptThenDrop(1);
  bridge.gorgias.addLatency(0);
  await escalated;

  const { tickets } = await deliveredTicket(bridge, 1);
  const ticketRequests = bridge.gorgias.requests().filter((request) => request.path === '/api/tickets');
  expect(ticketRequests.map((request) => [request.method, request.outcome])).toEqual([
    ['POST', 'dropped'],
    ['GET', 'answered'],
  ]);
  expect(tickets).toHaveLength(1);
  expect(bridge.gorgias.customers()).toHaveLength(1);
  expect(await outboxJobs(bridge)).toEqual([{ kind: 'gorgias_escalation', status: 'done' }]);
  bridge.gorgias.assertNoLeftovers();
  expect(bridge.log.problems()).toEqual([]);
});
