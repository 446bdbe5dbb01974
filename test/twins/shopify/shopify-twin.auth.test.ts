import { describe, expect, it, onTestFinished } from 'vitest';
import { startShopifyTwin } from '../../../src/twins/shopify/shopify-twin.ts';
import { postGrant, postGraphql } from './admin-request.ts';
import { JumpingClock } from './jumping-clock.ts';

const CLIENT = { clientId: 'client-123', clientSecret: 'secret-456' };

async function twinWithClient(clock = new JumpingClock(), tokenTtlSeconds?: number) {
  const twin = await startShopifyTwin({ now: new Date('2026-11-20T12:00:00Z'), clock, clientCredentials: [CLIENT], ...(tokenTtlSeconds ? { tokenTtlSeconds } : {}) });
  onTestFinished(() => twin.close());
  return twin;
}

function tokenOf(body: unknown): string {
  const token = typeof body === 'object' && body !== null ? Reflect.get(body, 'access_token') : undefined;
  if (typeof token !== 'string') throw new Error(`no access_token in ${JSON.stringify(body)}`);
  return token;
}

describe('Shopify twin: client-credentials grant (twilio-and-shopify.md, B1)', () => {
  it.each([
    ['form data', 'application/x-www-form-urlencoded', new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }).toString()],
    ['JSON', 'application/json', JSON.stringify({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'client_credentials' })],
  ])('issues an expiring token for a grant sent as %s', async (_how, contentType, body) => {
    const twin = await twinWithClient();
    const grant = await postGrant(twin.url, body, contentType);
    expect(grant).toMatchObject({ status: 200, body: { access_token: expect.stringMatching(/^shpat_cc_/), scope: expect.stringContaining('read_orders'), expires_in: 86_399 } });
    const answer = await postGraphql(twin.url, { query: '{ shop { name } }' }, { token: tokenOf(grant.body) });
    expect(answer.status).toBe(200);
  });

  it('stops accepting a granted token once it has expired', async () => {
    const clock = new JumpingClock();
    const twin = await twinWithClient(clock, 60);
    const grant = await postGrant(twin.url, JSON.stringify({ grant_type: 'client_credentials', ...{ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret } }), 'application/json');
    const token = tokenOf(grant.body);
    clock.advance(59_000);
    expect((await postGraphql(twin.url, { query: '{ shop { name } }' }, { token })).status).toBe(200);
    clock.advance(1_000);
    expect(await postGraphql(twin.url, { query: '{ shop { name } }' }, { token })).toMatchObject({ status: 401 });
  });

  it.each([
    ['a wrong secret', { grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: 'nope' }, 'invalid_client'],
    ['another grant type', { grant_type: 'authorization_code', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }, 'unsupported_grant_type'],
    ['no secret', { grant_type: 'client_credentials', client_id: CLIENT.clientId }, 'invalid_request'],
  ])('refuses a grant with %s', async (_what, fields, error) => {
    const twin = await twinWithClient();
    const grant = await postGrant(twin.url, JSON.stringify(fields), 'application/json');
    expect(grant).toMatchObject({ status: 400, body: { error } });
    expect(twin.issuedTokens()).toEqual([]);
  });
});
