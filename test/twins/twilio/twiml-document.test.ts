import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { childNamed, parseTwiml } from '../../../src/twins/twilio/twiml-document.ts';

// Byte for byte what twilio@6.2.0 generates (twilio-and-shopify.md, A1).
const CONTRACT_TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Connect action="https://example.com/after-stream"><Stream url="wss://example.com/media-stream" statusCallback="https://example.com/stream-status"><Parameter name="callerNumber" value="+14155550100"/><Parameter name="token" value="abc123"/></Stream></Connect></Response>';

describe('parseTwiml', () => {
  it('reads the contract TwiML into elements and attributes', () => {
    const parsed = parseTwiml(CONTRACT_TWIML);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const connect = childNamed(parsed.value.root, 'Connect');
    const stream = connect && childNamed(connect, 'Stream');
    expect(connect?.attributes).toEqual({ action: 'https://example.com/after-stream' });
    expect(stream?.attributes.url).toBe('wss://example.com/media-stream');
    expect(stream?.children.map((parameter) => parameter.attributes)).toEqual([
      { name: 'callerNumber', value: '+14155550100' },
      { name: 'token', value: 'abc123' },
    ]);
  });

  it('decodes entities in text and attributes as VoiceResponse escapes them', () => {
    const response = new twilio.twiml.VoiceResponse();
    response.say('Tom & Jerry <said> "hi"');
    response.redirect({ method: 'POST' }, 'https://example.com/next?a=1&b=2');
    const parsed = parseTwiml(response.toString());
    expect(parsed.ok && parsed.value.root.children.map((verb) => verb.text)).toEqual(['Tom & Jerry <said> "hi"', 'https://example.com/next?a=1&b=2']);
  });

  it('accepts comments, whitespace and single-quoted attributes', () => {
    const parsed = parseTwiml("<!-- hi -->\n<Response>\n  <Pause length='2'/>\n  <Hangup />\n</Response>\n");
    expect(parsed.ok && parsed.value.root.children.map((verb) => [verb.name, verb.attributes])).toEqual([
      ['Pause', { length: '2' }],
      ['Hangup', {}],
    ]);
  });

  it.each([
    ['an empty body', ''],
    ['plain text', 'Thanks for calling'],
    ['a root other than Response', '<Reply><Say>hi</Say></Reply>'],
    ['an unclosed element', '<Response><Say>hi</Response>'],
    ['a mismatched closing tag', '<Response><Say>hi</Play></Response>'],
    ['two roots', '<Response/><Response/>'],
    ['a bare ampersand', '<Response><Say>Tom & Jerry</Say></Response>'],
    ['an unknown entity', '<Response><Say>&nbsp;</Say></Response>'],
    ['an unquoted attribute', '<Response><Pause length=2/></Response>'],
    ['a duplicate attribute', '<Response><Pause length="1" length="2"/></Response>'],
    ['a DOCTYPE', '<!DOCTYPE x><Response/>'],
  ])('rejects %s', (_name, source) => {
    expect(parseTwiml(source).ok).toBe(false);
  });
});
