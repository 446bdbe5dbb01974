// The whole service in one process against the Twilio, OpenAI Realtime and Shopify twins over real loopback
// sockets: what the demo and the end-to-end tests drive. close() stops everything it started, in reverse order.
import { randomBytes } from 'node:crypto';
import { buildApp, type BridgeApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { systemClock } from '../src/shared/clock.ts';
import { randomIds } from '../src/shared/ids.ts';
import type { Logger } from '../src/shared/logger.ts';
import type { Database } from '../src/store/database.ts';
import type { CallRecord } from '../src/store/call-records.ts';
import { startRealtimeTwin, type RealtimeTwin, type RealtimeTwinOptions } from '../src/twins/openai-realtime/realtime-twin.ts';
import type { Scenario } from '../src/twins/openai-realtime/scenario.ts';
import { createTwilioTwin, type TwilioTwin, type TwinCallOptions } from '../src/twins/twilio/twilio-twin.ts';
import type { TwilioCaller } from '../src/twins/twilio/twilio-caller.ts';
import { startShopifyTwin, type ShopifyTwin, type ShopifyTwinOptions } from '../src/twins/shopify/shopify-twin.ts';
import { startGorgiasTwin, type GorgiasTwin, type GorgiasTwinOptions } from '../src/twins/gorgias/gorgias-twin.ts';
import { freePort } from './free-port.ts';

export const CALLER_NUMBER = '+14155550100';
export const SUPPORT_NUMBER = '+18005550199';

export type SandboxBridge = {
  app: BridgeApp;
  realtime: RealtimeTwin;
  shopify: ShopifyTwin;
  gorgias: GorgiasTwin;
  twilio: TwilioTwin;
  publicUrl: string;
  authToken: string;
  /** Places a call; a `scenario` is what the Realtime twin's scripted model does on it, bound before the call rings. */
  placeCall(options?: TwinCallOptions & { scenario?: Scenario }): Promise<TwilioCaller>;
  /** The call's stored record once its session has ended. */
  storedOutcome(caller: TwilioCaller): Promise<CallRecord>;
  close(): Promise<void>;
};

export type SandboxBridgeOptions = {
  database: Database;
  log: Logger;
  env?: Record<string, string>;
  realtime?: RealtimeTwinOptions;
  shopify?: ShopifyTwinOptions;
  gorgias?: GorgiasTwinOptions;
};

export async function startSandboxBridge(options: SandboxBridgeOptions): Promise<SandboxBridge> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const realtime = await startRealtimeTwin(options.realtime ?? {});
    closers.push(() => realtime.close());
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    const twilio = await createTwilioTwin({ accountSid, authToken, serviceBaseUrl: publicUrl, statusCallbackUrl: `${publicUrl}/twilio/status` });
    closers.push(() => twilio.close());
    const shopify = await startShopifyTwin({ now: new Date(), ...options.shopify });
    closers.push(() => shopify.close());
    const gorgias = await startGorgiasTwin({ hasSandboxPages: true, ...options.gorgias });
    closers.push(() => gorgias.close());
    const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', DRAIN_SECONDS: '3', ...options.env });
    const app = await buildApp({
      config,
      endpoints: {
        publicUrl,
        twilio: { accountSid, authToken, apiUrl: twilio.rest.url },
        openai: { realtimeUrl: realtime.url, apiKey: realtime.apiKey },
        shopify: { shop: shopify.shopDomain, adminToken: shopify.adminToken, adminApiUrl: shopify.url },
        gorgias: { apiUrl: gorgias.apiUrl, credentials: { kind: 'basic', ...gorgias.credentials }, botUserId: gorgias.botUserId },
      },
      log: options.log,
      clock: systemClock,
      ids: randomIds,
      database: options.database,
    });
    closers.push(() => app.shutdown());
    await app.listen();
    return {
      app,
      realtime,
      shopify,
      gorgias,
      twilio,
      publicUrl,
      authToken,
      placeCall: ({ scenario, ...callOptions } = {}) => {
        const callSid = callOptions.callSid ?? `CA${randomBytes(16).toString('hex')}`;
        if (scenario) realtime.useScenario(callSid, scenario);
        return twilio.placeCall({ party: { from: CALLER_NUMBER, to: SUPPORT_NUMBER }, ...callOptions, callSid });
      },
      async storedOutcome(caller) {
        const callSid = caller.snapshot().callSid;
        const isEnded = (await app.calls.getCallBySid(callSid))?.phase === 'ended';
        if (!isEnded) await app.desk.whenEnded(callSid);
        const call = await app.calls.getCallBySid(callSid);
        if (!call) throw new Error(`no call ${callSid}`);
        return call;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
