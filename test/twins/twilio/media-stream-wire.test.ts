import { describe, expect, it } from 'vitest';
import {
  encodeDtmf,
  encodeMarkEcho,
  encodeMediaFrame,
  encodeStop,
  hasAudioFileHeader,
  parseServiceMessage,
} from '../../../src/twins/twilio/media-stream-wire.ts';
import fixtures from './fixtures/media-stream-messages.json' with { type: 'json' };

const streamSid = 'MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';

describe('parseServiceMessage', () => {
  it.each([
    ['media', fixtures.outboundMedia, { type: 'media', payload: Buffer.from(fixtures.outboundMedia.media.payload, 'base64') }],
    ['mark', fixtures.outboundMark, { type: 'mark', name: 'my label' }],
    ['clear', fixtures.outboundClear, { type: 'clear' }],
  ])('reads the contract %s message', (_name, message, expected) => {
    expect(parseServiceMessage(JSON.stringify(message), streamSid)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['text that is not JSON', 'hello', 'not JSON'],
    ['JSON without an event', '{"streamSid":"MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"}', 'missing event'],
    ['an unknown event', JSON.stringify({ event: 'dtmf', streamSid, dtmf: { digit: '1' } }), 'unknown event "dtmf"'],
    ['a media without streamSid', JSON.stringify({ event: 'media', media: { payload: 'AAAA' } }), 'media: streamSid'],
    ['a media with a track', JSON.stringify({ event: 'media', streamSid, media: { payload: 'AAAA', track: 'outbound' } }), 'extra field media.track'],
    ['a mark with a sequenceNumber', JSON.stringify({ event: 'mark', streamSid, sequenceNumber: '3', mark: { name: 'a' } }), 'extra field sequenceNumber'],
    ['a clear with a payload', JSON.stringify({ event: 'clear', streamSid, media: {} }), 'extra field media'],
    ['a mark without a name', JSON.stringify({ event: 'mark', streamSid, mark: {} }), 'mark.name'],
    ['the wrong stream SID', JSON.stringify({ event: 'clear', streamSid: 'MZ0' }), 'wrong streamSid'],
    ['a payload that is not base64', JSON.stringify({ event: 'media', streamSid, media: { payload: 'no!' } }), 'not base64'],
  ])('rejects %s', (_name, text, reason) => {
    const parsed = parseServiceMessage(text, streamSid);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(reason);
  });

  it('spots a WAV header inside a media payload', () => {
    expect(hasAudioFileHeader(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).toBe(true);
    expect(hasAudioFileHeader(Buffer.alloc(160, 0xff))).toBe(false);
  });
});

describe('Twilio message encoders', () => {
  it('build media, dtmf, mark and stop exactly in the contract shapes', () => {
    expect(JSON.parse(encodeMediaFrame(4, 2, 5, 'no+JhoaJjpzS...', streamSid))).toEqual(fixtures.inboundMedia);
    expect(JSON.parse(encodeDtmf(5, streamSid, '1'))).toEqual(fixtures.dtmf);
    expect(JSON.parse(encodeMarkEcho(4, streamSid, 'my label'))).toEqual(fixtures.markEcho);
    expect(JSON.parse(encodeStop(5, streamSid, 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'))).toEqual(fixtures.stop);
  });
});
