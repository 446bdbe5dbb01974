// The absolute URLs Twilio calls and signs, all derived from PUBLIC_URL. Never reads the request's Host header,
// because proxies rewrite it and Twilio signs the URL exactly as we wrote it (twilio-and-shopify.md, A3).

/** The base as configured, without a trailing slash; it may carry a path prefix that a proxy strips. */
function publicBase(publicUrl: string): URL {
  const base = new URL(publicUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new Error(`PUBLIC_URL must be an http(s) URL, got ${base.protocol}`);
  }
  if (base.search !== '' || base.hash !== '') throw new Error('PUBLIC_URL must not carry a query or a fragment');
  return base;
}

function joinPath(base: URL, path: string): string {
  if (!path.startsWith('/')) throw new Error(`path must start with "/", got "${path}"`);
  return `${base.pathname.replace(/\/+$/, '')}${path}`;
}

/** An https (or http) callback URL under PUBLIC_URL, for statusCallback, action and Dial URLs. */
export function callbackUrlFor(publicUrl: string, path: string): string {
  const base = publicBase(publicUrl);
  return `${base.origin}${joinPath(base, path)}`;
}

/**
 * The WebSocket URL for `<Stream url>`: https→wss, http→ws. It has no query string, because `<Stream>` drops or
 * breaks on one (twilio-and-shopify.md, A1).
 */
export function streamUrlFor(publicUrl: string, path: string): string {
  const base = publicBase(publicUrl);
  const scheme = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${base.host}${joinPath(base, path)}`;
}

/**
 * The URL Twilio signed for a webhook: the configured base plus the path and query as received
 * (`request.url`), since Twilio signs "from the protocol through the end of the query string" (A3).
 */
export function signedRequestUrl(publicUrl: string, pathAndQuery: string): string {
  return callbackUrlFor(publicUrl, pathAndQuery);
}
