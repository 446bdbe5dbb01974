// The whole service in-process against the Twilio and Realtime twins over real loopback sockets: what the end-to-end
// tests drive. Everything it starts is closed when the test finishes.
import { randomBytes } from 'node:crypto';
import { onTestFinished } from 'vitest';
import { buildApp, type BridgeApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { randomIds } from '../../src/shared/ids.ts';
import { startRealtimeTwin, type RealtimeTwin, type RealtimeTwinOptions } from '../../src/twins/openai-realtime/realtime-twin.ts';
import { createTwilioTwin, type TwilioTwin, type TwinCallOptions } from '../../src/twins/twilio/twilio-twin.ts';
import type { TwilioCaller } from '../../src/twins/twilio/twilio-caller.ts';
import { startShopifyTwin, type ShopifyTwin, type ShopifyTwinOptions } from '../../src/twins/shopify/shopify-twin.ts';
import { captureLog, type CapturedLog } from './log-capture.ts';
import { freePort } from './free-port.ts';
import { openTestDatabase, type Engine } from './databases.ts';

export type TestBridge = {
  app: BridgeApp;
  realtime: RealtimeTwin;
  shopify: ShopifyTwin;
  twilio: TwilioTwin;
  log: CapturedLog;
  publicUrl: string;
  authToken: string;
  placeCall(options?: TwinCallOptions): Promise<TwilioCaller>;
};

export const CALLER_NUMBER = '+14155550100';
export const SUPPORT_NUMBER = '+18005550199';

export async function startTestBridge(
  options: { engine?: Engine; env?: Record<string, string>; realtime?: RealtimeTwinOptions; shopify?: ShopifyTwinOptions } = {},
): Promise<TestBridge> {
  const log = captureLog('info');
  const realtime = await startRealtimeTwin(options.realtime ?? {});
  onTestFinished(() => realtime.close());
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const twilio = await createTwilioTwin({ accountSid, authToken, serviceBaseUrl: publicUrl, statusCallbackUrl: `${publicUrl}/twilio/status` });
  onTestFinished(() => twilio.close());
  const shopify = await startShopifyTwin({ now: new Date(), ...options.shopify });
  onTestFinished(() => shopify.close());
  const database = await openTestDatabase(options.engine ?? 'pglite');
  onTestFinished(() => database.close());
  const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', BRAND_NAME: 'Juniper & Pine', DRAIN_SECONDS: '3', ...options.env });
  const app = await buildApp({
    config,
    endpoints: {
      publicUrl,
      twilio: { accountSid, authToken, apiUrl: twilio.rest.url },
      openai: { realtimeUrl: realtime.url, apiKey: realtime.apiKey },
      shopify: { shop: shopify.shopDomain, adminToken: shopify.adminToken, adminApiUrl: shopify.url },
    },
    log: log.log,
    clock: systemClock,
    ids: randomIds,
    database,
  });
  onTestFinished(() => app.shutdown());
  await app.listen();
  return {
    app,
    realtime,
    shopify,
    twilio,
    log,
    publicUrl,
    authToken,
    placeCall: (callOptions = {}) => twilio.placeCall({ party: { from: CALLER_NUMBER, to: SUPPORT_NUMBER }, ...callOptions }),
  };
}

/** The call's stored record once its session has ended. */
export async function storedOutcome(bridge: TestBridge, caller: TwilioCaller) {
  const callSid = caller.snapshot().callSid;
  const ended = bridge.app.calls.getCallBySid(callSid).then((call) => (call?.phase === 'ended' ? call : undefined));
  if (!(await ended)) await bridge.app.desk.whenEnded(callSid);
  const call = await bridge.app.calls.getCallBySid(callSid);
  if (!call) throw new Error(`no call ${callSid}`);
  return call;
}
