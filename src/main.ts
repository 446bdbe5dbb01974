// The process: load config, bring up twins for whatever has no credentials, build the app, listen, drain on SIGTERM.
import { loadConfig, ConfigError, type Config } from './config/config.ts';
import { createLogger, type Logger } from './shared/logger.ts';
import { systemClock } from './shared/clock.ts';
import { randomIds } from './shared/ids.ts';
import { buildApp, type Endpoints } from './app.ts';
import { gorgiasCredentialsFromConfig } from './helpdesk/gorgias-client.ts';

type Sandbox = { endpoints: Omit<Endpoints, 'gorgias'> & { gorgias: Endpoints['gorgias'] | null }; describe: Record<string, string>; close(): Promise<void> };

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger({ level: config.logLevel });
  const sandbox = Object.values(config.sandbox).some(Boolean) ? await startSandbox(config, log) : null;
  const endpoints: Endpoints = sandbox ? { ...sandbox.endpoints, gorgias: sandbox.endpoints.gorgias ?? realGorgias(config) } : realEndpoints(config);
  const app = await buildApp({ config, endpoints, log, clock: systemClock, ids: randomIds });
  const address = await app.listen();
  log.info({ listeningOn: address, publicUrl: endpoints.publicUrl, store: app.database.engine }, 'service.listening');

  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal, liveCalls: app.desk.liveCalls, drainSeconds: config.drainSeconds }, 'service.draining');
    void app
      .shutdown()
      .then(() => sandbox?.close())
      .then(
        () => {
          log.info('service.stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'service.stop_failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function realEndpoints(config: Config): Endpoints {
  const { accountSid, authToken } = config.twilio;
  const { apiKey } = config.openai;
  if (!accountSid || !authToken || !apiKey || !config.publicUrl) throw new Error('Real endpoints need Twilio and OpenAI credentials and PUBLIC_URL');
  const { shop, adminToken, clientId, clientSecret, adminApiUrl } = config.shopify;
  if (!shop) throw new Error('Real endpoints need SHOPIFY_SHOP');
  return {
    publicUrl: config.publicUrl,
    twilio: { accountSid, authToken, apiUrl: config.twilio.apiUrl },
    openai: { realtimeUrl: config.openai.realtimeUrl, apiKey },
    shopify: { shop, ...(adminToken ? { adminToken } : {}), ...(clientId ? { clientId } : {}), ...(clientSecret ? { clientSecret } : {}), ...(adminApiUrl ? { adminApiUrl } : {}) },
    gorgias: realGorgias(config),
  };
}

function realGorgias(config: Config): Endpoints['gorgias'] {
  const { apiUrl, botUserId } = config.gorgias;
  if (!apiUrl || botUserId === undefined) throw new Error('Real endpoints need GORGIAS_DOMAIN and GORGIAS_BOT_USER_ID');
  return { apiUrl, credentials: gorgiasCredentialsFromConfig(config.gorgias), botUserId };
}

/** Twin code is loaded only here, and only in sandbox mode, so production never loads it. */
async function startSandbox(config: Config, log: Logger): Promise<Sandbox> {
  const { startSandboxTwins } = await import('./twins/sandbox.ts');
  const sandbox = await startSandboxTwins({ config, log });
  // The first line a newcomer reads says what is real, what is a twin, and where to look.
  log.info({ sandbox: sandbox.describe }, 'service.sandbox_mode');
  return sandbox;
}

await main();
