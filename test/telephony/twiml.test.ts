import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildFallbackTwiml,
  buildHangupTwiml,
  buildRejectTwiml,
  buildSayHangupTwiml,
  buildStreamTwiml,
  buildTransferTwiml,
  buildVoicemailTwiml,
} from '../../src/telephony/twiml.ts';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const voicemail = {
  prompt: 'Please leave a message after the tone.',
  maxLengthSeconds: 120,
  recordingStatusCallbackUrl: 'https://voice.example.com/twilio/recording',
  actionUrl: 'https://voice.example.com/twilio/voicemail-done',
};
const RECORD =
  '<Record action="https://voice.example.com/twilio/voicemail-done" maxLength="120" playBeep="true" trim="trim-silence" ' +
  'recordingStatusCallback="https://voice.example.com/twilio/recording" recordingStatusCallbackEvent="completed"/>';

describe('buildStreamTwiml', () => {
  it('reproduces the contract TwiML byte for byte', () => {
    const expected = readFileSync(new URL('../fixtures/twilio/connect-stream.twiml.xml', import.meta.url), 'utf8');
    const twiml = buildStreamTwiml({
      streamUrl: 'wss://example.com/media-stream',
      parameters: { callerNumber: '+14155550100', token: 'abc123' },
      streamStatusCallbackUrl: 'https://example.com/stream-status',
      connectActionUrl: 'https://example.com/after-stream',
    });
    expect(twiml).toBe(expected);
  });

  it('starts a dual-channel recording before <Connect>, as the contract verified', () => {
    const twiml = buildStreamTwiml({
      streamUrl: 'wss://example.com/media-stream',
      parameters: {},
      recording: { statusCallbackUrl: 'https://example.com/rec' },
    });
    expect(twiml).toBe(
      `${XML}<Response><Start><Recording recordingStatusCallback="https://example.com/rec" recordingStatusCallbackEvent="completed" track="both" channels="dual"/></Start>` +
        '<Connect><Stream url="wss://example.com/media-stream"/></Connect></Response>',
    );
  });

  it('puts nothing after </Connect>, so closing the socket never leaves dead air', () => {
    const twiml = buildStreamTwiml({ streamUrl: 'wss://example.com/m', parameters: { a: '1' }, recording: { statusCallbackUrl: 'https://e.com/r' } });
    expect(twiml.endsWith('</Connect></Response>')).toBe(true);
  });

  it('escapes parameter values for XML', () => {
    const twiml = buildStreamTwiml({ streamUrl: 'wss://example.com/m', parameters: { note: 'a&"<b>' } });
    expect(twiml).toContain('<Parameter name="note" value="a&amp;&quot;&lt;b>"/>');
  });

  it.each([
    ['an https stream URL', { streamUrl: 'https://example.com/m', parameters: {} }],
    ['a stream URL with a query string, which Twilio drops', { streamUrl: 'wss://example.com/m?token=1', parameters: {} }],
    ['a parameter of 500 characters with its name', { streamUrl: 'wss://example.com/m', parameters: { name: 'x'.repeat(496) } }],
  ])('refuses %s', (_name, input) => {
    expect(() => buildStreamTwiml(input)).toThrow();
  });

  it('allows a parameter of 499 characters with its name', () => {
    expect(() => buildStreamTwiml({ streamUrl: 'wss://example.com/m', parameters: { name: 'x'.repeat(495) } })).not.toThrow();
  });
});

describe('call-path TwiML', () => {
  it('builds the cold transfer with callerId, timeout and action', () => {
    expect(
      buildTransferTwiml({
        say: 'Connecting you to a specialist.',
        number: '+14155550123',
        callerId: '+15005550006',
        timeoutSeconds: 25,
        actionUrl: 'https://voice.example.com/twilio/dial-status',
      }),
    ).toBe(
      `${XML}<Response><Say>Connecting you to a specialist.</Say>` +
        '<Dial callerId="+15005550006" timeout="25" action="https://voice.example.com/twilio/dial-status">+14155550123</Dial></Response>',
    );
  });

  it('builds voicemail as prompt, Record with an action, then Hangup for an empty recording', () => {
    expect(buildVoicemailTwiml(voicemail)).toBe(`${XML}<Response><Say>Please leave a message after the tone.</Say>${RECORD}<Hangup/></Response>`);
  });

  it('falls back to a human when a transfer number is set', () => {
    expect(
      buildFallbackTwiml({
        apology: 'Sorry, something went wrong.',
        transferNumber: '+14155550123',
        callerId: '+18005550199',
        dialActionUrl: 'https://voice.example.com/twilio/dial-status',
        voicemail,
      }),
    ).toBe(
      `${XML}<Response><Say>Sorry, something went wrong.</Say>` +
        '<Dial callerId="+18005550199" action="https://voice.example.com/twilio/dial-status">+14155550123</Dial></Response>',
    );
  });

  it('falls back to voicemail when no transfer number is set', () => {
    expect(buildFallbackTwiml({ apology: 'Sorry, something went wrong.', voicemail })).toBe(
      `${XML}<Response><Say>Sorry, something went wrong.</Say><Say>Please leave a message after the tone.</Say>${RECORD}<Hangup/></Response>`,
    );
  });

  it('says and hangs up, with an optional voice', () => {
    expect(buildSayHangupTwiml('Goodbye & thanks.', { voice: 'Polly.Joanna-Neural', language: 'en-US' })).toBe(
      `${XML}<Response><Say voice="Polly.Joanna-Neural" language="en-US">Goodbye &amp; thanks.</Say><Hangup/></Response>`,
    );
    expect(buildHangupTwiml()).toBe(`${XML}<Response><Hangup/></Response>`);
  });

  it('rejects as busy without answering when there is nothing to say', () => {
    expect(buildRejectTwiml({})).toBe(`${XML}<Response><Reject reason="busy"/></Response>`);
  });

  it('turns a caller away politely, with voicemail or a hang-up', () => {
    expect(buildRejectTwiml({ message: 'We are very busy right now.' })).toBe(
      `${XML}<Response><Say>We are very busy right now.</Say><Hangup/></Response>`,
    );
    expect(buildRejectTwiml({ message: 'We are very busy right now.', voicemail })).toBe(
      `${XML}<Response><Say>We are very busy right now.</Say><Say>Please leave a message after the tone.</Say>${RECORD}<Hangup/></Response>`,
    );
  });
});
