// A short-lived HMAC token bound to one CallSid, minted by the voice webhook as `<Parameter name="token">` and
// checked on the stream's `start` before any model session opens (twilio-and-shopify.md, A3 "defence in depth").
// Pure: the time and the secret are inputs; no clock, no state.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../shared/result.ts';

export const StreamTokenRejection = {
  malformed: 'malformed',
  badSignature: 'bad_signature',
  wrongCall: 'wrong_call',
  expired: 'expired',
} as const;
export type StreamTokenRejection = (typeof StreamTokenRejection)[keyof typeof StreamTokenRejection];

/** The `<Parameter>` name that carries the token; the voice webhook adds it, app.ts must not. */
export const STREAM_TOKEN_PARAMETER = 'token';

/** Twilio fetches the TwiML and opens the WebSocket within seconds; a minute leaves room for a slow handshake. */
export const DEFAULT_STREAM_TOKEN_TTL_MS = 60_000;

const VERSION = 'v1';
const CALL_SID = /^[A-Za-z0-9]{1,64}$/;
const EXPIRES_AT = /^\d{1,15}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

function sign(secret: string, callSid: string, expiresAtMs: number): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${callSid}.${expiresAtMs}`).digest();
}

/**
 * A stable secret for tokens, derived from the Twilio auth token, so every replica behind a load balancer
 * verifies what any other minted without a new setting.
 */
export function deriveStreamTokenSecret(authToken: string): string {
  return createHmac('sha256', authToken).update('twilio-stream-token/v1').digest('base64url');
}

/** `v1.<CallSid>.<expiresAtMs>.<HMAC-SHA256 base64url>`: about 100 characters, far under `<Parameter>`'s 500 (A1). */
export function mintStreamToken(input: { secret: string; callSid: string; nowMs: number; ttlMs: number }): string {
  if (!CALL_SID.test(input.callSid)) throw new Error('mintStreamToken: callSid must be alphanumeric');
  if (!input.secret) throw new Error('mintStreamToken: secret is required');
  const expiresAtMs = Math.floor(input.nowMs + input.ttlMs);
  return `${VERSION}.${input.callSid}.${expiresAtMs}.${sign(input.secret, input.callSid, expiresAtMs).toString('base64url')}`;
}

/**
 * Checks the signature first (constant time), so a forged token learns nothing about which call or expiry
 * would have passed; then the CallSid from `start`, then the expiry.
 */
export function verifyStreamToken(input: {
  secret: string;
  callSid: string;
  token: string | undefined;
  nowMs: number;
}): Result<{ expiresAtMs: number }, StreamTokenRejection> {
  const parts = (input.token ?? '').split('.');
  if (parts.length !== 4) return err(StreamTokenRejection.malformed);
  const [version, callSid, expiresAt, signature] = parts;
  if (version !== VERSION || callSid === undefined || expiresAt === undefined || signature === undefined) {
    return err(StreamTokenRejection.malformed);
  }
  if (!CALL_SID.test(callSid) || !EXPIRES_AT.test(expiresAt) || !SIGNATURE.test(signature)) {
    return err(StreamTokenRejection.malformed);
  }
  const expiresAtMs = Number(expiresAt);
  const expected = sign(input.secret, callSid, expiresAtMs);
  const received = Buffer.from(signature, 'base64url');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return err(StreamTokenRejection.badSignature);
  }
  if (callSid !== input.callSid) return err(StreamTokenRejection.wrongCall);
  if (input.nowMs > expiresAtMs) return err(StreamTokenRejection.expired);
  return ok({ expiresAtMs });
}
