// Checks X-Twilio-Signature with the official SDK's validateRequest (twilio-and-shopify.md, A3).
// Never rebuilds URLs from request headers: callers pass the URL Twilio signed, derived from PUBLIC_URL.
import twilio from 'twilio';

/** Form values as @fastify/formbody hands them over: a repeated name arrives as an array. */
export type SignedParams = Readonly<Record<string, string | readonly string[]>>;

function validate(authToken: string, signature: string, url: string, params: SignedParams): boolean {
  try {
    return twilio.validateRequest(authToken, signature, url, params);
  } catch {
    // validateRequest normalises with `new URL()`, which throws on a malformed URL; that is simply not valid.
    return false;
  }
}

/**
 * A form POST (voice webhook, status callbacks): `url` is the full URL Twilio requested, query included, and
 * `params` holds EVERY received parameter, because Twilio adds parameters without notice (A1, A3).
 */
export function isValidWebhookSignature(input: {
  authToken: string;
  signature: string | undefined;
  url: string;
  params: SignedParams;
}): boolean {
  if (!input.signature) return false;
  return validate(input.authToken, input.signature, input.url, input.params);
}

/**
 * A Media Streams WebSocket upgrade: Twilio signs the ws(s) URL exactly as written in `<Stream url>`, with no
 * parameters. Twilio's own hint is to retry with a trailing slash; the https form of the URL never validates (A3).
 */
export function isValidUpgradeSignature(input: { authToken: string; signature: string | undefined; streamUrl: string }): boolean {
  if (!input.signature) return false;
  if (validate(input.authToken, input.signature, input.streamUrl, {})) return true;
  return !input.streamUrl.endsWith('/') && validate(input.authToken, input.signature, `${input.streamUrl}/`, {});
}
