import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  encodeClear,
  encodeMark,
  encodeMedia,
  encodeTwilioInbound,
  parseTwilioFrame,
  type TwilioInbound,
} from '../../src/telephony/media-stream-codec.ts';

function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/twilio/${name}`, import.meta.url), 'utf8');
}
function fixture(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

const STREAM_SID = 'MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
const CALL_SID = 'CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
const ACCOUNT_SID = 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';

const inboundFixtures: Array<[string, TwilioInbound]> = [
  ['media-stream-connected.json', { type: 'connected', protocol: 'Call', version: '1.0.0' }],
  [
    'media-stream-start.json',
    {
      type: 'start',
      sequenceNumber: 1,
      streamSid: STREAM_SID,
      accountSid: ACCOUNT_SID,
      callSid: CALL_SID,
      tracks: ['inbound'],
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRateHz: 8000, channels: 1 },
      customParameters: { FirstName: 'Jane', LastName: 'Doe', RemoteParty: 'Bob' },
    },
  ],
  [
    'media-stream-media-inbound.json',
    { type: 'media', sequenceNumber: 4, streamSid: STREAM_SID, track: 'inbound', chunk: 2, timestampMs: 5, payloadBase64: 'no+JhoaJjpzS...' },
  ],
  ['media-stream-dtmf.json', { type: 'dtmf', sequenceNumber: 5, streamSid: STREAM_SID, track: 'inbound_track', digit: '1' }],
  ['media-stream-mark-echo.json', { type: 'mark', sequenceNumber: 4, streamSid: STREAM_SID, name: 'my label' }],
  ['media-stream-stop.json', { type: 'stop', sequenceNumber: 5, streamSid: STREAM_SID, accountSid: ACCOUNT_SID, callSid: CALL_SID }],
];

describe('parseTwilioFrame', () => {
  it.each(inboundFixtures)('parses the contract fixture %s into our camelCase type', (name, expected) => {
    expect(parseTwilioFrame(fixtureText(name))).toEqual({ ok: true, value: expected });
  });

  it.each(inboundFixtures)('round-trips %s: encode(parse(wire)) is the wire frame and parse(encode(x)) is x', (name, message) => {
    expect(JSON.parse(encodeTwilioInbound(message))).toEqual(fixture(name));
    expect(parseTwilioFrame(encodeTwilioInbound(message))).toEqual({ ok: true, value: message });
  });

  it('keeps a well-formed unknown event whole as type unknown', () => {
    const raw = { event: 'transcription', streamSid: STREAM_SID, transcription: { text: 'hi' } };
    const parsed = parseTwilioFrame(JSON.stringify(raw));
    expect(parsed).toEqual({ ok: true, value: { type: 'unknown', event: 'transcription', raw } });
    if (parsed.ok) expect(JSON.parse(encodeTwilioInbound(parsed.value))).toEqual(raw);
  });

  it('accepts a start without customParameters or tracks, and with the streamSid only inside start', () => {
    const frame = {
      event: 'start',
      sequenceNumber: '1',
      start: {
        accountSid: ACCOUNT_SID,
        streamSid: STREAM_SID,
        callSid: CALL_SID,
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    };
    const parsed = parseTwilioFrame(JSON.stringify(frame));
    expect(parsed.ok && parsed.value).toMatchObject({ type: 'start', streamSid: STREAM_SID, tracks: [], customParameters: {} });
  });

  it('accepts counters sent as plain numbers, which mean the same as the documented strings', () => {
    const frame = { event: 'media', sequenceNumber: 7, streamSid: STREAM_SID, media: { track: 'inbound', chunk: 3, timestamp: 40, payload: '' } };
    const parsed = parseTwilioFrame(JSON.stringify(frame));
    expect(parsed.ok && parsed.value).toMatchObject({ sequenceNumber: 7, chunk: 3, timestampMs: 40, payloadBase64: '' });
  });

  const media = (media: Record<string, unknown>, top: Record<string, unknown> = {}) =>
    JSON.stringify({ event: 'media', sequenceNumber: '4', streamSid: STREAM_SID, media: { track: 'inbound', chunk: '2', timestamp: '5', payload: 'AAAA', ...media }, ...top });
  const start = (inner: Record<string, unknown>, top: Record<string, unknown> = {}) =>
    JSON.stringify({
      event: 'start',
      sequenceNumber: '1',
      streamSid: STREAM_SID,
      start: {
        accountSid: ACCOUNT_SID,
        streamSid: STREAM_SID,
        callSid: CALL_SID,
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        ...inner,
      },
      ...top,
    });

  it.each([
    ['text that is not JSON', '{"event":"media",', 'invalid_json', undefined],
    ['a JSON array', '[1,2]', 'invalid_message', undefined],
    ['a JSON string', '"media"', 'invalid_message', undefined],
    ['an object without event', '{"streamSid":"MZ1"}', 'invalid_message', undefined],
    ['an event that is not a string', '{"event":5}', 'invalid_message', undefined],
    ['media without streamSid', media({}, { streamSid: undefined }), 'invalid_message', 'media'],
    ['media without the media object', JSON.stringify({ event: 'media', sequenceNumber: '4', streamSid: STREAM_SID }), 'invalid_message', 'media'],
    ['media with a non-decimal chunk', media({ chunk: '2a' }), 'invalid_message', 'media'],
    ['media with a negative timestamp', media({ timestamp: '-5' }), 'invalid_message', 'media'],
    ['media with a fractional sequenceNumber', media({}, { sequenceNumber: '1.5' }), 'invalid_message', 'media'],
    ['media without a timestamp', media({ timestamp: undefined }), 'invalid_message', 'media'],
    ['media with a numeric payload', media({ payload: 12 }), 'invalid_message', 'media'],
    ['media without a track', media({ track: undefined }), 'invalid_message', 'media'],
    ['start without callSid', start({ callSid: undefined }), 'invalid_message', 'start'],
    ['start without any streamSid', start({ streamSid: undefined }, { streamSid: undefined }), 'invalid_message', 'start'],
    ['start whose two streamSids differ', start({ streamSid: 'MZother' }), 'invalid_message', 'start'],
    ['start with a non-string custom parameter', start({ customParameters: { token: 5 } }), 'invalid_message', 'start'],
    ['start without mediaFormat', start({ mediaFormat: undefined }), 'invalid_message', 'start'],
    ['connected without version', '{"event":"connected","protocol":"Call"}', 'invalid_message', 'connected'],
    ['mark without a name', JSON.stringify({ event: 'mark', sequenceNumber: '4', streamSid: STREAM_SID, mark: {} }), 'invalid_message', 'mark'],
    ['dtmf with an empty digit', JSON.stringify({ event: 'dtmf', sequenceNumber: '5', streamSid: STREAM_SID, dtmf: { track: 'inbound_track', digit: '' } }), 'invalid_message', 'dtmf'],
    ['stop without the stop object', JSON.stringify({ event: 'stop', sequenceNumber: '5', streamSid: STREAM_SID }), 'invalid_message', 'stop'],
  ])('rejects %s with a reason instead of throwing', (_name, text, reason, event) => {
    const parsed = parseTwilioFrame(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.reason).toBe(reason);
      expect(parsed.error.event).toBe(event);
      expect(parsed.error.detail.length).toBeGreaterThan(0);
    }
  });

  it('names the failing field without echoing wire values into the error', () => {
    const parsed = parseTwilioFrame(start({ customParameters: { token: 'secret-token-value', n: 1 } }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.detail).toContain('start.customParameters');
      expect(parsed.error.detail).not.toContain('secret-token-value');
    }
  });
});

describe('outbound encoders', () => {
  it.each([
    ['media-stream-outbound-media.json', encodeMedia(STREAM_SID, 'a3242sa...')],
    ['media-stream-outbound-mark.json', encodeMark(STREAM_SID, 'my label')],
    ['media-stream-outbound-clear.json', encodeClear(STREAM_SID)],
  ])('builds the exact shape of %s, with no sequenceNumber and no track', (name, encoded) => {
    expect(JSON.parse(encoded)).toStrictEqual(fixture(name));
  });

  it('writes compact JSON in the key order of Twilio examples', () => {
    expect(encodeMedia('MZ1', 'AAAA')).toBe('{"event":"media","streamSid":"MZ1","media":{"payload":"AAAA"}}');
    expect(encodeMark('MZ1', 'turn-3:"q"')).toBe('{"event":"mark","streamSid":"MZ1","mark":{"name":"turn-3:\\"q\\""}}');
    expect(encodeClear('MZ1')).toBe('{"event":"clear","streamSid":"MZ1"}');
  });
});
