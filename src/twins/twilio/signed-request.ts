// Signed webhook requests the way Twilio makes them (twilio-and-shopify.md, A1 and A3), and the mapping from the
// service's public URLs to the loopback address the twin really connects to. It never parses TwiML.
import twilio from 'twilio';
import { err, ok, type Result } from '../../shared/result.ts';

export type ServiceAddress = {
  authToken: string;
  /** The public base URL Twilio is configured with; signatures are computed over it. */
  publicUrl: string;
  /** Where the service really listens (loopback), used for the connection only. */
  serviceBaseUrl: string;
};

export type WebhookResponse = { status: number; contentType: string; body: string };

/** Twilio's webhook timeout (15 s by default). */
const WEBHOOK_TIMEOUT_MS = 15_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.startsWith('127.');
}

/** Over HTTPS Twilio drops credentials and the port before signing; over HTTP it keeps the port (A3). */
export function urlAsTwilioSigns(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return url;
  parsed.username = '';
  parsed.password = '';
  parsed.port = '';
  return parsed.toString();
}

export function signTwilioRequest(authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, { ...params });
}

/** Resolves a possibly relative URL from TwiML against the URL of the document that held it. */
export function resolveAgainst(urlOrPath: string, documentUrl: string): Result<string, string> {
  try {
    return ok(new URL(urlOrPath, documentUrl).toString());
  } catch {
    return err(`invalid URL "${urlOrPath}"`);
  }
}

/**
 * Maps a public URL (as written in TwiML or configured on the number) to the address the twin connects to: the
 * public host becomes the service's loopback address; loopback URLs are used as they are; anything else is
 * unreachable from this machine.
 */
export function toServiceUrl(url: string, address: ServiceAddress): Result<string, string> {
  let target: URL;
  let publicBase: URL;
  let serviceBase: URL;
  try {
    target = new URL(url);
    publicBase = new URL(address.publicUrl);
    serviceBase = new URL(address.serviceBaseUrl);
  } catch {
    return err(`invalid URL "${url}"`);
  }
  const isWebSocket = target.protocol === 'ws:' || target.protocol === 'wss:';
  if (target.hostname === publicBase.hostname) {
    const mapped = new URL(target.pathname + target.search, serviceBase);
    if (isWebSocket) mapped.protocol = serviceBase.protocol === 'https:' ? 'wss:' : 'ws:';
    return ok(mapped.toString());
  }
  if (isLoopbackHost(target.hostname)) return ok(target.toString());
  return err(`host ${target.hostname} is not reachable from the twin`);
}

/**
 * POSTs (or GETs) the signed form Twilio would send to `url` (a public URL), connecting to the mapped address.
 * Network failures and timeouts are values (Twilio's 11200).
 */
export async function requestWebhook(
  address: ServiceAddress,
  request: { url: string; method?: 'GET' | 'POST'; params: Readonly<Record<string, string>> },
): Promise<Result<WebhookResponse, string>> {
  const method = request.method ?? 'POST';
  let publicUrl = request.url;
  if (method === 'GET') {
    const withQuery = new URL(request.url);
    for (const [name, value] of Object.entries(request.params)) withQuery.searchParams.append(name, value);
    publicUrl = withQuery.toString();
  }
  const signature = signTwilioRequest(address.authToken, urlAsTwilioSigns(publicUrl), method === 'POST' ? request.params : {});
  const target = toServiceUrl(publicUrl, address);
  if (!target.ok) return target;
  try {
    const response = await fetch(target.value, {
      method,
      headers: {
        'x-twilio-signature': signature,
        'user-agent': 'TwilioProxy/1.1',
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(method === 'POST' ? { body: new URLSearchParams(request.params).toString() } : {}),
      redirect: 'follow',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    const body = await response.text();
    return ok({ status: response.status, contentType: response.headers.get('content-type') ?? '', body });
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
}
