import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STREAM_TOKEN_TTL_MS,
  deriveStreamTokenSecret,
  mintStreamToken,
  verifyStreamToken,
} from '../../src/telephony/stream-token.ts';

const secret = deriveStreamTokenSecret('0123456789abcdef0123456789abcdef');
const callSid = 'CAfedcba9876543210fedcba9876543210';
const nowMs = 1_780_000_000_000;
const token = mintStreamToken({ secret, callSid, nowMs, ttlMs: DEFAULT_STREAM_TOKEN_TTL_MS });

/** Changes one character in the middle of the signature part. */
function tamperSignature(value: string): string {
  const parts = value.split('.');
  const signature = parts[3] ?? '';
  parts[3] = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
  return parts.join('.');
}

describe('stream tokens', () => {
  it('verifies a token for its own call within its lifetime', () => {
    expect(verifyStreamToken({ secret, callSid, token, nowMs: nowMs + 1_000 })).toEqual({
      ok: true,
      value: { expiresAtMs: nowMs + DEFAULT_STREAM_TOKEN_TTL_MS },
    });
  });

  it('accepts the token up to and including its expiry instant', () => {
    expect(verifyStreamToken({ secret, callSid, token, nowMs: nowMs + DEFAULT_STREAM_TOKEN_TTL_MS }).ok).toBe(true);
  });

  it('fits Twilio\'s 500-character <Parameter> limit together with its name', () => {
    expect('token'.length + token.length).toBeLessThan(500);
    expect(token.length).toBeLessThan(120);
  });

  it('is built only from characters that need no escaping in XML or URLs', () => {
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it.each([
    ['expired', { token, nowMs: nowMs + DEFAULT_STREAM_TOKEN_TTL_MS + 1 }],
    ['wrong_call', { token, callSid: 'CA00000000000000000000000000000000' }],
    ['bad_signature', { token, secret: deriveStreamTokenSecret('another-auth-token-0000000000000') }],
    ['bad_signature', { token: tamperSignature(token) }],
    ['bad_signature', { token: token.replace(`.${nowMs + DEFAULT_STREAM_TOKEN_TTL_MS}.`, `.${nowMs + DEFAULT_STREAM_TOKEN_TTL_MS * 10}.`) }],
    ['bad_signature', { token: token.replace(callSid, 'CA00000000000000000000000000000000') }],
    ['malformed', { token: undefined }],
    ['malformed', { token: '' }],
    ['malformed', { token: 'abc123' }],
    ['malformed', { token: `v2${token.slice(2)}` }],
    ['malformed', { token: `${token}.extra` }],
    ['malformed', { token: token.replace(/\.\d+\./, '.12x4.') }],
    ['malformed', { token: token.slice(0, -1) }],
  ])('rejects with %s', (reason, overrides) => {
    expect(verifyStreamToken({ secret, callSid, nowMs, ...overrides })).toEqual({ ok: false, error: reason });
  });

  it('checks the signature before the call, so a forged token for another call says only bad_signature', () => {
    const forged = mintStreamToken({ secret: 'attacker-secret', callSid: 'CA00000000000000000000000000000000', nowMs, ttlMs: 1 });
    expect(verifyStreamToken({ secret, callSid, token: forged, nowMs: nowMs + 10 })).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('derives the same secret from the same auth token on every replica, and another from another token', () => {
    expect(deriveStreamTokenSecret('0123456789abcdef0123456789abcdef')).toBe(secret);
    expect(deriveStreamTokenSecret('0123456789abcdef0123456789abcdeg')).not.toBe(secret);
  });

  it('refuses to mint for a CallSid that could break the token format', () => {
    expect(() => mintStreamToken({ secret, callSid: 'CA.1', nowMs, ttlMs: 1 })).toThrow();
  });
});
