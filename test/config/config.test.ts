import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, envSchema, loadConfig } from '../../src/config/config.ts';

describe('config', () => {
  it('names exactly the variables .env.example documents', () => {
    const documented = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(documented.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('starts in sandbox for every outside service when no credentials are set', () => {
    expect(loadConfig({}).sandbox).toEqual({ twilio: true, openai: true, shopify: true, gorgias: true });
  });

  it('decides sandbox per service: set credentials are used for real', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-test', SHOPIFY_SHOP: 'brand.myshopify.com', SHOPIFY_ADMIN_TOKEN: 'shpat_x' });
    expect(config.sandbox).toEqual({ twilio: true, openai: false, shopify: false, gorgias: true });
  });

  it('lists every bad variable in one error, naming what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', HUMAN_TRANSFER_NUMBER: '555-1234', BUSINESS_TIMEZONE: 'Mars/Olympus' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = String((error as Error).message);
    expect(message).toContain('PORT');
    expect(message).toContain('HUMAN_TRANSFER_NUMBER: expected an E.164 phone number');
    expect(message).toContain('BUSINESS_TIMEZONE: expected an IANA time zone');
  });

  it('never echoes a secret back in an error', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: 'short-secret' })).toThrow(/a hidden value/);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('requires the auth token and public URL together with a Twilio account', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef' })).toThrow(/TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID is set/);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: '0123456789abcdef0123456789abcdef' })).toThrow(/PUBLIC_URL: required/);
  });

  it('treats an empty value as unset, as .env files write it', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(8080);
  });
});
