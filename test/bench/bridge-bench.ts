// `npm run bench:bridge -- --calls N [--seconds S] [--rounds R] [--json] [--profile] [--frames-csv DIR]`: N callers at
// real-time pace against our service (a child process, on the twins as if they were Twilio and OpenAI), then against
// the pass-through relay; prints per-frame latency, event-loop delay, RSS and CPU per call, and the bridge/relay ratio.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startRealtimeTwin, type RealtimeTwin } from '../../src/twins/openai-realtime/realtime-twin.ts';
import { echoScenario } from '../../src/twins/openai-realtime/scenario.ts';
import { createTwilioTwin, type TwilioTwin } from '../../src/twins/twilio/twilio-twin.ts';
import { freePort } from '../../scripts/free-port.ts';
import { ChildService } from './bench-processes.ts';
import { runLoad, type LoadPlan } from './bench-load.ts';
import { buildReport, computeFigures, formatTable, framesCsv, type RoundData } from './bench-report.ts';
import { FRAME_MS } from './frame-markers.ts';
import { echoSendTimes, StampedIds } from './twin-stamps.ts';

const WARMUP_MS = 1000;
const WARMUP_FRAMES = WARMUP_MS / FRAME_MS;
const TAIL_MS = 1500;
const CHILD_READY_TIMEOUT_MS = 60_000;
const CHILD_STOP_GRACE_MS = 15_000;
/** Everything a target run may take beyond its planned length before the bench gives up. */
const RUN_SLACK_MS = 90_000;

type Options = { calls: number; seconds: number; rounds: number; json: boolean; profileDir: string | null; framesDir: string | null; logDir: string };

/** Last in, first out; each step runs once, even when SIGINT and `finally` both ask. */
class Cleanup {
  readonly #steps: Array<() => Promise<unknown>> = [];
  #running: Promise<void> | null = null;

  push(step: () => Promise<unknown>): void {
    this.#steps.push(step);
  }

  run(): Promise<void> {
    this.#running ??= (async () => {
      for (const step of this.#steps.splice(0).reverse()) {
        await step().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
      }
      this.#running = null;
    })();
    return this.#running;
  }
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string' },
      seconds: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'frames-csv': { type: 'string' },
    },
  });
  const calls = Number(values.calls);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(calls) || calls < 1 || calls > 1000) throw new Error('--calls N is required (1–1000)');
  if (!Number.isFinite(seconds) || seconds < 3 || seconds > 300) throw new Error('--seconds must be between 3 and 300');
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds must be between 1 and 10');
  const profileDir = values.profile ? mkdtempSync(join(tmpdir(), 'bench-bridge-profile-')) : null;
  const logDir = mkdtempSync(join(tmpdir(), 'bench-bridge-logs-'));
  return { calls, seconds, rounds, json: values.json, profileDir, framesDir: values['frames-csv'] ?? null, logDir };
}

function plan(options: Options): LoadPlan {
  // Starts spread over at most a quarter of the call, so every call overlaps for most of it.
  const staggerMs = Math.max(1, Math.min(50, Math.floor((options.seconds * 1000) / 4 / options.calls)));
  return { calls: options.calls, seconds: options.seconds, staggerMs, tailMs: TAIL_MS };
}

async function runTarget(target: 'bridge' | 'relay', round: number, options: Options, cleanup: Cleanup): Promise<RoundData> {
  const ids = new StampedIds();
  const realtime = await startRealtimeTwin({ ids });
  cleanup.push(() => realtime.close());
  realtime.setDefaultScenario(() => echoScenario());

  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const twilio = await createTwilioTwin({ accountSid, authToken, serviceBaseUrl: serviceUrl, publicUrl: serviceUrl });
  cleanup.push(() => twilio.close());

  const runName = `${target}-${options.calls}-round${round}`;
  const profileArgs = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${runName}.cpuprofile`] : [];
  const logPath = join(options.logDir, `${runName}.log`);
  const twins = { realtime, twilio, accountSid, authToken };
  const child =
    target === 'bridge'
      ? await startBridge({ port, serviceUrl, twins, profileArgs, logPath, runName }, cleanup)
      : ChildService.start('relay', [...profileArgs, 'test/bench/pass-through-relay.ts'], { RELAY_PORT: String(port), RELAY_REALTIME_URL: realtime.url, RELAY_API_KEY: realtime.apiKey }, logPath);
  cleanup.push(() => child.stop(CHILD_STOP_GRACE_MS));
  await child.waitForHttp(`${serviceUrl}${target === 'bridge' ? '/readyz' : '/metrics'}`, CHILD_READY_TIMEOUT_MS);

  const loadPlan = plan(options);
  const limitMs = loadPlan.staggerMs * loadPlan.calls + options.seconds * 1000 + RUN_SLACK_MS;
  const load = await withTimeout(
    runLoad({
      plan: loadPlan,
      twilio,
      callOptions: target === 'bridge' ? { statusCallbackUrl: '/twilio/status' } : {},
      target: child,
      metricsUrl: `${serviceUrl}/metrics`,
    }),
    limitMs,
    `${target} load`,
  );
  const exit = await child.stop(CHILD_STOP_GRACE_MS);
  if (exit.code !== 0) process.stderr.write(`${target} exited with ${exit.code ?? exit.signal}:\n${child.outputTail()}\n`);
  const echoSends = echoSendTimes(realtime, ids);
  if (options.framesDir) writeFileSync(join(options.framesDir, `${runName}-frames.csv`), framesCsv(load, echoSends, WARMUP_FRAMES));
  await cleanup.run();
  return { load, echoSends, childLog: { lines: child.outputLines, events: child.logEvents() } };
}

type BridgeStart = {
  port: number;
  serviceUrl: string;
  twins: { realtime: RealtimeTwin; twilio: TwilioTwin; accountSid: string; authToken: string };
  profileArgs: readonly string[];
  logPath: string;
  runName: string;
};

/** Our service as production runs it, every outside service a twin at its configured URL (so no sandbox starts). */
async function startBridge(start: BridgeStart, cleanup: Cleanup): Promise<ChildService> {
  const { realtime, twilio, accountSid, authToken } = start.twins;
  const { shopify, gorgias } = await startOutsideTwins(start.runName, cleanup);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-bridge-data-'));
  cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env = {
    PORT: String(start.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: start.serviceUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DRAIN_SECONDS: '5',
    OPENAI_API_KEY: realtime.apiKey,
    OPENAI_REALTIME_URL: realtime.url,
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_API_URL: twilio.rest.url,
    SHOPIFY_SHOP: shopify.shopDomain,
    SHOPIFY_API_VERSION: shopify.apiVersion,
    SHOPIFY_ADMIN_TOKEN: shopify.adminToken,
    SHOPIFY_ADMIN_API_URL: shopify.url,
    GORGIAS_API_URL: gorgias.apiUrl,
    GORGIAS_EMAIL: gorgias.email,
    GORGIAS_API_KEY: gorgias.apiKey,
    GORGIAS_BOT_USER_ID: String(gorgias.botUserId),
  };
  return ChildService.start('bridge', [...start.profileArgs, 'src/main.ts'], env, start.logPath);
}

const outsideTwinsLine = z.object({
  outsideTwins: z.object({
    shopify: z.object({ url: z.string(), shopDomain: z.string(), apiVersion: z.string(), adminToken: z.string() }),
    gorgias: z.object({ apiUrl: z.string(), email: z.string(), apiKey: z.string(), botUserId: z.number() }),
  }),
});

/** Starts test/bench/outside-twins.ts and reads the addresses it prints. */
async function startOutsideTwins(runName: string, cleanup: Cleanup): Promise<z.infer<typeof outsideTwinsLine>['outsideTwins']> {
  const twins = ChildService.start(`outside twins (${runName})`, ['test/bench/outside-twins.ts'], {}, null);
  cleanup.push(() => twins.stop(CHILD_STOP_GRACE_MS));
  return twins.waitForLine((line) => {
    try {
      const parsed = outsideTwinsLine.safeParse(JSON.parse(line));
      return parsed.success ? parsed.data.outsideTwins : undefined;
    } catch {
      return undefined;
    }
  }, CHILD_READY_TIMEOUT_MS);
}

function withTimeout<T>(work: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${limitMs} ms`)), limitMs);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const options = readOptions();
  const cleanup = new Cleanup();
  process.once('SIGINT', () => {
    process.stderr.write('interrupted: stopping everything the bench started\n');
    void cleanup.run().finally(() => process.exit(130));
  });
  const loadAverage1m = loadavg()[0] ?? 0;
  const progress = (message: string) => (options.json ? undefined : process.stderr.write(`${message}\n`));
  try {
    // Alternating rounds spread the other users' load on this shared machine over both targets.
    const rounds: Record<'bridge' | 'relay', RoundData[]> = { bridge: [], relay: [] };
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of ['bridge', 'relay'] as const) {
        progress(`${target} round ${round}/${options.rounds}: ${options.calls} calls × ${options.seconds} s …`);
        rounds[target].push(await runTarget(target, round, options, cleanup));
      }
    }
    const loadPlan = plan(options);
    const report = buildReport({
      command: { calls: options.calls, seconds: options.seconds, rounds: options.rounds, staggerMs: loadPlan.staggerMs, warmupMs: WARMUP_MS },
      machine: { cpus: availableParallelism(), loadAverage1m, node: process.version },
      bridge: computeFigures('bridge', rounds.bridge, WARMUP_FRAMES),
      relay: computeFigures('relay', rounds.relay, WARMUP_FRAMES),
    });
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatTable(report)}\n`);
    if (options.profileDir) progress(`CPU profiles: ${options.profileDir}`);
  } finally {
    await cleanup.run();
    // The children's output is kept only when they printed something (warnings, errors, a crash).
    if (readdirSync(options.logDir).length === 0) rmSync(options.logDir, { recursive: true, force: true });
    else process.stderr.write(`child logs: ${options.logDir}\n`);
  }
}

await main();
