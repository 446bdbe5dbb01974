// Raw Admin API calls for the twin's own tests: plain fetch, no Shopify library, so the twin is judged on the wire alone.

export type AdminAnswer = { status: number; body: unknown; text: string };

export async function postGraphql(
  url: string,
  body: unknown,
  options: { token?: string | null; version?: string; contentType?: string } = {},
): Promise<AdminAnswer> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  if (options.token) headers['x-shopify-access-token'] = options.token;
  const response = await fetch(`${url}/admin/api/${options.version ?? '2026-10'}/graphql.json`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, text };
}

export async function postGrant(url: string, body: string, contentType: string): Promise<AdminAnswer> {
  const response = await fetch(`${url}/admin/oauth/access_token`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}
