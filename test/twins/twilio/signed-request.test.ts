import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { signTwilioRequest, toServiceUrl, urlAsTwilioSigns } from '../../../src/twins/twilio/signed-request.ts';

const address = { authToken: '12345', publicUrl: 'https://bridge.example.test', serviceBaseUrl: 'http://127.0.0.1:4100' };

describe('signed requests', () => {
  it('reproduces the worked example from Twilio security docs', () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };
    expect(signTwilioRequest('12345', 'https://example.com/myapp.php?foo=1&bar=2', params)).toBe('L/OH5YylLD5NRKLltdqwSvS0BnU=');
  });

  it.each([
    ['https drops credentials and the port', 'https://user:pw@example.com:8443/voice', 'https://example.com/voice'],
    ['http keeps the port', 'http://example.com:8080/voice', 'http://example.com:8080/voice'],
  ])('signs the URL as Twilio does: %s', (_name, url, signed) => {
    expect(urlAsTwilioSigns(url)).toBe(signed);
  });

  it.each([
    ['a public https URL', 'https://bridge.example.test/twilio/voice', 'http://127.0.0.1:4100/twilio/voice'],
    ['the public wss stream URL', 'wss://bridge.example.test/twilio/media', 'ws://127.0.0.1:4100/twilio/media'],
    ['a loopback URL', 'ws://127.0.0.1:5000/media', 'ws://127.0.0.1:5000/media'],
  ])('maps %s to the loopback service', (_name, url, mapped) => {
    expect(toServiceUrl(url, address)).toEqual({ ok: true, value: mapped });
  });

  it('refuses hosts it cannot reach', () => {
    expect(toServiceUrl('https://api.elsewhere.test/x', address).ok).toBe(false);
  });

  it('signs a stream URL so the service validates it as wss, not https', () => {
    const signature = signTwilioRequest('12345', 'wss://bridge.example.test/twilio/media', {});
    expect(twilio.validateRequest('12345', signature, 'wss://bridge.example.test/twilio/media', {})).toBe(true);
    expect(twilio.validateRequest('12345', signature, 'https://bridge.example.test/twilio/media', {})).toBe(false);
  });
});
