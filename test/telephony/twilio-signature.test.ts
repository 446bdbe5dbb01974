import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { isValidUpgradeSignature, isValidWebhookSignature } from '../../src/telephony/twilio-signature.ts';

// The worked example from Twilio's security page (twilio-and-shopify.md, A3).
const EXAMPLE = {
  authToken: '12345',
  url: 'https://example.com/myapp.php?foo=1&bar=2',
  params: { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' },
  signature: 'L/OH5YylLD5NRKLltdqwSvS0BnU=',
};

describe('isValidWebhookSignature', () => {
  it('accepts the worked example from the Twilio docs', () => {
    expect(isValidWebhookSignature(EXAMPLE)).toBe(true);
  });

  it.each([
    ['a tampered value', { ...EXAMPLE, params: { ...EXAMPLE.params, Digits: '9999' } }],
    ['an added parameter', { ...EXAMPLE, params: { ...EXAMPLE.params, Extra: 'x' } }],
    ['a dropped parameter', { ...EXAMPLE, params: { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310' } }],
    ['another query string', { ...EXAMPLE, url: 'https://example.com/myapp.php?foo=1&bar=3' }],
    ['another host', { ...EXAMPLE, url: 'https://evil.example/myapp.php?foo=1&bar=2' }],
    ['another auth token', { ...EXAMPLE, authToken: '54321' }],
    ['a missing signature', { ...EXAMPLE, signature: undefined }],
    ['an empty signature', { ...EXAMPLE, signature: '' }],
    ['a garbage signature', { ...EXAMPLE, signature: 'not base64 at all' }],
  ])('rejects %s', (_name, input) => {
    expect(isValidWebhookSignature(input)).toBe(false);
  });

  it('rejects a malformed URL instead of throwing', () => {
    expect(isValidWebhookSignature({ ...EXAMPLE, url: 'not a url' })).toBe(false);
  });

  it('covers every parameter Twilio sent, including repeated names and ones we never read', () => {
    const params = { CallSid: 'CA1', Caller: '+14155550100', CalledZip: '94105', Tag: ['b', 'a'] };
    const signature = twilio.getExpectedTwilioSignature(EXAMPLE.authToken, 'https://voice.example.com/twilio/voice', params);
    expect(isValidWebhookSignature({ authToken: EXAMPLE.authToken, signature, url: 'https://voice.example.com/twilio/voice', params })).toBe(true);
    expect(
      isValidWebhookSignature({ authToken: EXAMPLE.authToken, signature, url: 'https://voice.example.com/twilio/voice', params: { ...params, Tag: ['a'] } }),
    ).toBe(false);
  });
});

describe('isValidUpgradeSignature', () => {
  const authToken = '0123456789abcdef0123456789abcdef';
  const streamUrl = 'wss://voice.example.com/twilio/media';

  it('accepts the wss URL signed with no parameters, as Twilio signs the upgrade', () => {
    const signature = twilio.getExpectedTwilioSignature(authToken, streamUrl, {});
    expect(isValidUpgradeSignature({ authToken, signature, streamUrl })).toBe(true);
  });

  it('accepts a signature over the URL with a trailing slash, as Twilio suggests retrying', () => {
    const signature = twilio.getExpectedTwilioSignature(authToken, `${streamUrl}/`, {});
    expect(isValidUpgradeSignature({ authToken, signature, streamUrl })).toBe(true);
  });

  it('rejects a signature over the https form of the same URL', () => {
    const signature = twilio.getExpectedTwilioSignature(authToken, 'https://voice.example.com/twilio/media', {});
    expect(isValidUpgradeSignature({ authToken, signature, streamUrl })).toBe(false);
  });

  it.each([
    ['no signature', undefined],
    ['an empty signature', ''],
    ['a signature for another path', twilio.getExpectedTwilioSignature(authToken, 'wss://voice.example.com/other', {})],
    ['a signature made with another token', twilio.getExpectedTwilioSignature('another-token-0123456789', streamUrl, {})],
  ])('rejects %s', (_name, signature) => {
    expect(isValidUpgradeSignature({ authToken, signature, streamUrl })).toBe(false);
  });
});
