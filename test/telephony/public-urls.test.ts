import { describe, expect, it } from 'vitest';
import { callbackUrlFor, signedRequestUrl, streamUrlFor } from '../../src/telephony/public-urls.ts';

describe('public URLs', () => {
  it.each([
    ['https://voice.example.com', 'wss://voice.example.com/twilio/media'],
    ['https://voice.example.com/', 'wss://voice.example.com/twilio/media'],
    ['http://127.0.0.1:8080', 'ws://127.0.0.1:8080/twilio/media'],
    ['https://voice.example.com:443', 'wss://voice.example.com/twilio/media'],
    ['https://voice.example.com:8443', 'wss://voice.example.com:8443/twilio/media'],
    ['https://example.com/bridge/', 'wss://example.com/bridge/twilio/media'],
  ])('derives the stream URL from PUBLIC_URL %s', (publicUrl, expected) => {
    expect(streamUrlFor(publicUrl, '/twilio/media')).toBe(expected);
  });

  it('builds callback URLs under PUBLIC_URL, keeping a path prefix', () => {
    expect(callbackUrlFor('https://example.com/bridge', '/twilio/status')).toBe('https://example.com/bridge/twilio/status');
    expect(callbackUrlFor('https://voice.example.com/', '/twilio/status')).toBe('https://voice.example.com/twilio/status');
  });

  it('keeps the query string of the request in the signed URL', () => {
    expect(signedRequestUrl('https://voice.example.com', '/twilio/voice?brand=pine')).toBe('https://voice.example.com/twilio/voice?brand=pine');
  });

  it.each([
    ['a ws URL', 'wss://voice.example.com', '/x'],
    ['a query string', 'https://voice.example.com/?a=1', '/x'],
    ['a path without a leading slash', 'https://voice.example.com', 'x'],
  ])('refuses %s as a configuration error', (_name, publicUrl, path) => {
    expect(() => streamUrlFor(publicUrl, path)).toThrow();
  });
});
