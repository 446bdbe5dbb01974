// The environment, parsed once: the only reader of process.env. A bad value fails start-up with every problem listed.
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const csvList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number such as +14155550100');
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
const wsUrl = z.url({ protocol: /^wss?$/, error: 'a ws(s) URL' });
const positiveInt = z.coerce.number().int().positive();

/** Every variable the service reads. `.env.example` documents exactly these names (a test keeps them in step). */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: httpUrl.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'a postgres:// URL' }).optional(),
  DRAIN_SECONDS: positiveInt.default(30),
  MAX_CALL_SECONDS: positiveInt.max(3600).default(900),

  BRAND_NAME: z.string().min(1).default('Juniper & Pine'),
  RECORD_CALLS: booleanFlag.default(false),
  RECORDING_DISCLOSURE: booleanFlag.optional(),
  HUMAN_TRANSFER_NUMBER: e164.optional(),

  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/, 'AC followed by 32 hex characters').optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, 'the account auth token (32 characters)').optional(),
  TWILIO_API_URL: httpUrl.default('https://api.twilio.com'),
  SMS_FROM: e164.optional(),

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_REALTIME_URL: wsUrl.default('wss://api.openai.com/v1/realtime'),
  OPENAI_REALTIME_MODEL: z.string().min(1).default('gpt-realtime'),
  OPENAI_VOICE: z.enum(['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar']).default('marin'),
  OPENAI_TURN_DETECTION: z.enum(['server_vad', 'semantic_vad']).default('server_vad'),
  OPENAI_VAD_SILENCE_MS: positiveInt.max(5000).default(500),
  OPENAI_TRANSCRIPTION_MODEL: z.string().min(1).default('gpt-4o-mini-transcribe'),

  SHOPIFY_SHOP: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'a shop domain such as brand.myshopify.com').optional(),
  SHOPIFY_API_VERSION: z.string().regex(/^\d{4}-\d{2}$/, 'an API version such as 2026-10').default('2026-10'),
  SHOPIFY_ADMIN_TOKEN: z.string().min(1).optional(),
  SHOPIFY_CLIENT_ID: z.string().min(1).optional(),
  SHOPIFY_CLIENT_SECRET: z.string().min(1).optional(),
  SHOPIFY_ADMIN_API_URL: httpUrl.optional(),
  KB_DIR: z.string().min(1).default('prompts/knowledge'),
  RETURN_WINDOW_DAYS: positiveInt.max(365).default(30),
  RETURN_EXCLUDED_PRODUCT_TYPES: csvList.default([]),
  RETURN_EXCLUDED_TAGS: csvList.default(['final-sale']),

  GORGIAS_DOMAIN: z.string().regex(/^[a-z0-9-]+$/, 'the account subdomain, as in <domain>.gorgias.com').optional(),
  GORGIAS_API_URL: httpUrl.optional(),
  GORGIAS_EMAIL: z.email().optional(),
  GORGIAS_API_KEY: z.string().min(1).optional(),
  GORGIAS_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  GORGIAS_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  GORGIAS_OAUTH_REFRESH_TOKEN: z.string().min(1).optional(),
  GORGIAS_BOT_USER_ID: positiveInt.optional(),
  GORGIAS_TAGS: csvList.default(['ai-phone', 'ai-escalated']),
  GORGIAS_CONTACT_REASON_FIELD_ID: positiveInt.optional(),
  LOG_RESOLVED_CALLS: booleanFlag.default(false),
  BUSINESS_HOURS: z
    .string()
    .regex(/^[a-z]{3}(-[a-z]{3})? \d{2}:\d{2}-\d{2}:\d{2}(, ?[a-z]{3}(-[a-z]{3})? \d{2}:\d{2}-\d{2}:\d{2})*$/i, 'day ranges such as "mon-fri 09:00-17:00, sat 10:00-14:00"')
    .default('mon-fri 09:00-17:00'),
  BUSINESS_TIMEZONE: z
    .string()
    .refine((zone) => isTimeZone(zone), 'an IANA time zone such as America/New_York')
    .default('America/New_York'),
  OUTBOX_DEADLINE_HOURS: positiveInt.max(720).default(24),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const SECRET_NAME = /TOKEN|KEY|SECRET|PASSWORD/;

export type Env = z.infer<typeof envSchema>;

/** Which outside services run for real; the rest are replaced by local twins. */
export type SandboxPlan = { twilio: boolean; openai: boolean; shopify: boolean; gorgias: boolean };

export type Config = ReturnType<typeof buildConfig>;

function buildConfig(env: Env) {
  const sandbox: SandboxPlan = {
    twilio: !(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN),
    openai: !env.OPENAI_API_KEY,
    shopify: !(env.SHOPIFY_SHOP && (env.SHOPIFY_ADMIN_TOKEN || (env.SHOPIFY_CLIENT_ID && env.SHOPIFY_CLIENT_SECRET))),
    gorgias: !(
      (env.GORGIAS_DOMAIN || env.GORGIAS_API_URL) &&
      ((env.GORGIAS_EMAIL && env.GORGIAS_API_KEY) || (env.GORGIAS_OAUTH_CLIENT_ID && env.GORGIAS_OAUTH_CLIENT_SECRET && env.GORGIAS_OAUTH_REFRESH_TOKEN))
    ),
  };
  return {
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    drainSeconds: env.DRAIN_SECONDS,
    maxCallSeconds: env.MAX_CALL_SECONDS,
    brandName: env.BRAND_NAME,
    recordCalls: env.RECORD_CALLS,
    recordingDisclosure: env.RECORDING_DISCLOSURE ?? env.RECORD_CALLS,
    humanTransferNumber: env.HUMAN_TRANSFER_NUMBER,
    sandbox,
    twilio: {
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      apiUrl: env.TWILIO_API_URL,
      smsFrom: env.SMS_FROM,
    },
    openai: {
      apiKey: env.OPENAI_API_KEY,
      realtimeUrl: env.OPENAI_REALTIME_URL,
      model: env.OPENAI_REALTIME_MODEL,
      voice: env.OPENAI_VOICE,
      turnDetection: env.OPENAI_TURN_DETECTION,
      vadSilenceMs: env.OPENAI_VAD_SILENCE_MS,
      transcriptionModel: env.OPENAI_TRANSCRIPTION_MODEL,
    },
    shopify: {
      shop: env.SHOPIFY_SHOP,
      apiVersion: env.SHOPIFY_API_VERSION,
      adminToken: env.SHOPIFY_ADMIN_TOKEN,
      clientId: env.SHOPIFY_CLIENT_ID,
      clientSecret: env.SHOPIFY_CLIENT_SECRET,
      adminApiUrl: env.SHOPIFY_ADMIN_API_URL,
    },
    knowledge: { dir: env.KB_DIR },
    returns: {
      windowDays: env.RETURN_WINDOW_DAYS,
      excludedProductTypes: env.RETURN_EXCLUDED_PRODUCT_TYPES,
      excludedTags: env.RETURN_EXCLUDED_TAGS,
    },
    gorgias: {
      domain: env.GORGIAS_DOMAIN,
      apiUrl: env.GORGIAS_API_URL ?? (env.GORGIAS_DOMAIN ? `https://${env.GORGIAS_DOMAIN}.gorgias.com/api` : undefined),
      email: env.GORGIAS_EMAIL,
      apiKey: env.GORGIAS_API_KEY,
      oauthClientId: env.GORGIAS_OAUTH_CLIENT_ID,
      oauthClientSecret: env.GORGIAS_OAUTH_CLIENT_SECRET,
      oauthRefreshToken: env.GORGIAS_OAUTH_REFRESH_TOKEN,
      botUserId: env.GORGIAS_BOT_USER_ID,
      tags: env.GORGIAS_TAGS,
      contactReasonFieldId: env.GORGIAS_CONTACT_REASON_FIELD_ID,
      logResolvedCalls: env.LOG_RESOLVED_CALLS,
    },
    businessHours: { spec: env.BUSINESS_HOURS, timeZone: env.BUSINESS_TIMEZONE },
    outbox: { deadlineHours: env.OUTBOX_DEADLINE_HOURS },
  };
}

function crossFieldProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.TWILIO_ACCOUNT_SID && !env.TWILIO_AUTH_TOKEN) problems.push('TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID is set');
  if (env.TWILIO_AUTH_TOKEN && !env.TWILIO_ACCOUNT_SID) problems.push('TWILIO_ACCOUNT_SID: required when TWILIO_AUTH_TOKEN is set');
  if (env.TWILIO_ACCOUNT_SID && !env.PUBLIC_URL) {
    problems.push('PUBLIC_URL: required with real Twilio credentials; Twilio signs every request against it (e.g. https://voice.example.com)');
  }
  if (env.SHOPIFY_CLIENT_ID && !env.SHOPIFY_CLIENT_SECRET) problems.push('SHOPIFY_CLIENT_SECRET: required when SHOPIFY_CLIENT_ID is set');
  if ((env.SHOPIFY_ADMIN_TOKEN || env.SHOPIFY_CLIENT_ID) && !env.SHOPIFY_SHOP) problems.push('SHOPIFY_SHOP: required when Shopify credentials are set');
  if (env.GORGIAS_EMAIL && !env.GORGIAS_API_KEY) problems.push('GORGIAS_API_KEY: required when GORGIAS_EMAIL is set');
  if (env.GORGIAS_API_KEY && !env.GORGIAS_EMAIL) problems.push('GORGIAS_EMAIL: required when GORGIAS_API_KEY is set');
  if ((env.GORGIAS_API_KEY || env.GORGIAS_OAUTH_CLIENT_ID) && !env.GORGIAS_DOMAIN && !env.GORGIAS_API_URL) {
    problems.push('GORGIAS_DOMAIN: required when Gorgias credentials are set');
  }
  if ((env.GORGIAS_API_KEY || env.GORGIAS_OAUTH_CLIENT_ID) && env.GORGIAS_BOT_USER_ID === undefined) {
    problems.push("GORGIAS_BOT_USER_ID: required when Gorgias credentials are set (the Gorgias user the agent's turns are posted as)");
  }
  return problems;
}

/** Parses an environment; throws one ConfigError that names every bad variable and what it expects. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((name) => {
      const value = source[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  const parsed = envSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const shown = SECRET_NAME.test(name) ? 'a hidden value' : JSON.stringify(known[name] ?? '');
      return `${name}: expected ${issue.message} (got ${shown})`;
    });
    throw new ConfigError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  return buildConfig(parsed.data);
}
