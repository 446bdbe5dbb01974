// Sandbox mode: every outside service without credentials is replaced by its twin on a loopback port. Loaded by
// main.ts only by dynamic import, so production never loads twin code.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.ts';
import type { Logger } from '../shared/logger.ts';
import { startRealtimeTwin } from './openai-realtime/realtime-twin.ts';
import { defineScenario } from './openai-realtime/scenario.ts';
import { createTwilioTwin } from './twilio/twilio-twin.ts';
import { startGorgiasTwin } from './gorgias/gorgias-twin.ts';
import { startShopifyTwin } from './shopify/shopify-twin.ts';

export type SandboxEndpoints = {
  publicUrl: string;
  twilio: { accountSid: string; authToken: string; apiUrl: string };
  openai: { realtimeUrl: string; apiKey: string };
  shopify: { shop: string; adminToken?: string; clientId?: string; clientSecret?: string; adminApiUrl?: string };
  gorgias: { apiUrl: string; credentials: { kind: 'basic'; email: string; apiKey: string }; botUserId: number } | null;
};

export type SandboxTwins = { endpoints: SandboxEndpoints; describe: Record<string, string>; close(): Promise<void> };

export async function startSandboxTwins(options: { config: Config; log: Logger }): Promise<SandboxTwins> {
  const { config } = options;
  const closers: Array<() => Promise<void>> = [];
  const describe: Record<string, string> = {};
  const publicUrl = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
  try {
    let twilio: SandboxEndpoints['twilio'];
    if (config.sandbox.twilio) {
      const accountSid = `AC${randomBytes(16).toString('hex')}`;
      const authToken = randomBytes(16).toString('hex');
      const twin = await createTwilioTwin({ accountSid, authToken, serviceBaseUrl: publicUrl, statusCallbackUrl: `${publicUrl}/twilio/status` });
      closers.push(() => twin.close());
      twilio = { accountSid, authToken, apiUrl: twin.rest.url };
      describe.twilio = `twin: REST API at ${twin.rest.url}; place calls with npm run demo`;
    } else {
      twilio = { accountSid: required(config.twilio.accountSid), authToken: required(config.twilio.authToken), apiUrl: config.twilio.apiUrl };
      describe.twilio = 'real';
    }

    let openai: SandboxEndpoints['openai'];
    if (config.sandbox.openai) {
      const twin = await startRealtimeTwin({ apiKey: `sk-sandbox-${randomBytes(8).toString('hex')}` });
      closers.push(() => twin.close());
      twin.setDefaultScenario(() =>
        defineScenario({ greeting: { say: `Thanks for calling ${config.brandName}. This is the sandbox voice agent. How can I help you today?` }, turns: [] }),
      );
      openai = { realtimeUrl: twin.url, apiKey: twin.apiKey };
      describe.openai = `twin: Realtime at ${twin.url} (scripted voice, no model)`;
    } else {
      openai = { realtimeUrl: config.openai.realtimeUrl, apiKey: required(config.openai.apiKey) };
      describe.openai = 'real';
    }

    let gorgias: SandboxEndpoints['gorgias'] = null;
    if (config.sandbox.gorgias) {
      const twin = await startGorgiasTwin({ hasSandboxPages: true });
      closers.push(() => twin.close());
      gorgias = { apiUrl: twin.apiUrl, credentials: { kind: 'basic', email: twin.credentials.email, apiKey: twin.credentials.apiKey }, botUserId: twin.botUserId };
      describe.gorgias = `twin: tickets at ${new URL('/twin', twin.apiUrl).href}`;
    } else {
      describe.gorgias = 'real';
    }
    let shopify: SandboxEndpoints['shopify'];
    if (config.sandbox.shopify) {
      const twin = await startShopifyTwin();
      closers.push(() => twin.close());
      shopify = { shop: twin.shopDomain, adminToken: twin.adminToken, adminApiUrl: twin.url };
      describe.shopify = `twin: demo store ${twin.shopDomain} at ${twin.url} (orders #1001-#1028; see src/twins/shopify/README.md)`;
    } else {
      shopify = { shop: required(config.shopify.shop), ...definedOnly({ adminToken: config.shopify.adminToken, clientId: config.shopify.clientId, clientSecret: config.shopify.clientSecret, adminApiUrl: config.shopify.adminApiUrl }) };
      describe.shopify = 'real';
    }

    return {
      endpoints: { publicUrl, twilio, openai, shopify, gorgias },
      describe,
      async close() {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw error;
  }
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function required(value: string | undefined): string {
  if (!value) throw new Error('a credential checked by the config schema is missing');
  return value;
}
