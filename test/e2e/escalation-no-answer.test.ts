// Nobody takes the transfer: the caller is offered voicemail, and the ticket gains one note for the unanswered
// transfer, one for the voicemail and one for its recording, each once however often Twilio sends its callback.
import { expect, it } from 'vitest';
import { CALLER_NUMBER, startTestBridge } from '../support/test-bridge.ts';
import { deliveredTicket, escalatedCall, isInternalNote, OPEN_HOURS, outboxJobs, postFromTwilio } from './support/escalation-calls.ts';

it('no answer on the transfer: offers voicemail, and the ticket gains a note for the transfer, the voicemail and its recording, once each', async () => {
  const bridge = await startTestBridge({ env: OPEN_HOURS });
  const caller = await bridge.placeCall({ dial: { outcome: 'no-answer' } });
  const call = await escalatedCall(bridge, caller);

  expect(caller.dials()).toMatchObject([{ dialCallStatus: 'no-answer' }]);
  expect(caller.twimlDocuments().find((document) => document.source === 'dial-action')?.twiml).toMatch(/<Say>Sorry, nobody on the team could pick up\.[\s\S]*<Record /);
  const afterTransfer = await deliveredTicket(bridge, 2);
  expect(afterTransfer.messages.filter(isInternalNote)[1]?.body_text).toBe(`AI phone agent: after the call\nTransfer to the team: no answer\nCall back on: ${CALLER_NUMBER}`);

  // The caller twin hangs up at the beep, so the voicemail's callbacks are posted as Twilio sends them; the
  // recording callback twice, as Twilio may retry it.
  const ids = { CallSid: caller.snapshot().callSid, AccountSid: caller.accountSid };
  const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${caller.accountSid}/Recordings/RE0123456789abcdef0123456789abcdef`;
  const recording = { ...ids, RecordingSid: 'RE0123456789abcdef0123456789abcdef', RecordingUrl: recordingUrl, RecordingStatus: 'completed', RecordingDuration: '14' };
  expect(await postFromTwilio(bridge, '/twilio/voicemail-done', { ...ids, RecordingSid: recording.RecordingSid, RecordingDuration: '14' })).toBe(200);
  expect(await postFromTwilio(bridge, '/twilio/recording', recording)).toBeLessThan(300);
  expect(await postFromTwilio(bridge, '/twilio/recording', recording)).toBeLessThan(300);

  const { tickets, messages } = await deliveredTicket(bridge, 4);
  expect(tickets).toHaveLength(1);
  // The two notes may land in either order: each is its own job.
  expect(messages.filter(isInternalNote).slice(2).map((note) => note.body_text).sort()).toEqual([
    `AI phone agent: after the call\nRecording: ${recordingUrl}`,
    `AI phone agent: after the call\nVoicemail: left (14 s)\nCall back on: ${CALLER_NUMBER}`,
  ]);
  expect(await bridge.app.calls.getCall(call.id)).toMatchObject({ handoff: 'voicemail', recordingUrl });
  expect((await outboxJobs(bridge)).map((job) => job.kind)).toEqual(['gorgias_escalation', 'gorgias_handoff_note', 'gorgias_handoff_note', 'gorgias_handoff_note']);
  expect(bridge.log.problems()).toEqual([]);
});
