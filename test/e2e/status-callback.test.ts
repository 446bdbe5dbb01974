// Twilio's call status callback closes the books on calls whose stream never started: the manager's record never
// shows a call stuck "ringing".
import twilio from 'twilio';
import { expect, it } from 'vitest';
import { startTestBridge } from '../support/test-bridge.ts';

function signedForm(authToken: string, url: string, params: Record<string, string>) {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params) },
    payload: new URLSearchParams(params).toString(),
  };
}

it('finalizes a call that hung up before its stream started, and rejects an unsigned callback', async () => {
  const bridge = await startTestBridge();
  const call = {
    CallSid: 'CA0123456789abcdef0123456789abcdef',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: '+14155550100',
    To: '+18005550199',
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
  };
  const voiceUrl = `${bridge.publicUrl}/twilio/voice`;
  const answered = await bridge.app.server.inject({ method: 'POST', url: '/twilio/voice', ...signedForm(bridge.authToken, voiceUrl, { ...call, CallStatus: 'ringing' }) });
  expect(answered.statusCode).toBe(200);
  expect(answered.body).toContain('<Connect>');
  expect((await bridge.app.calls.getCallBySid(call.CallSid))?.phase).toBe('ringing');

  const statusUrl = `${bridge.publicUrl}/twilio/status`;
  const completed = { ...call, CallStatus: 'completed', CallDuration: '3' };
  const unsigned = await bridge.app.server.inject({ method: 'POST', url: '/twilio/status', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(completed).toString() });
  expect(unsigned.statusCode).toBe(403);
  expect((await bridge.app.calls.getCallBySid(call.CallSid))?.phase).toBe('ringing');

  const status = await bridge.app.server.inject({ method: 'POST', url: '/twilio/status', ...signedForm(bridge.authToken, statusUrl, completed) });
  expect(status.statusCode).toBeLessThan(300);
  expect(await bridge.app.calls.getCallBySid(call.CallSid)).toMatchObject({ phase: 'ended', outcome: 'abandoned', endedBy: 'twilio_completed' });
  // The model session opened for this call while Twilio fetched the TwiML is closed again.
  const [prewarmed] = bridge.realtime.connections();
  await prewarmed?.whenClosed();
  expect(prewarmed?.isOpen()).toBe(false);
});
