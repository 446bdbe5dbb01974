// `GET /metrics` in the Prometheus text format (0.0.4), written by hand: process health (event-loop delay, RSS, CPU,
// live calls) and the store's call figures of the last 24 h. Reads only; a store failure never hides process figures.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../shared/clock.ts';
import type { Queryable } from '../store/database.ts';
import { readCallMetrics, type CallMetrics, type TokenType } from '../store/metrics-queries.ts';
import { ESCALATION_REASON_CODES } from '../agent/policies/escalation-reasons.ts';

export const METRICS_PATH = '/metrics';

/** Sampling interval of the event-loop delay monitor; each sample is the interval length, so this is subtracted. */
export const EVENT_LOOP_RESOLUTION_MS = 10;

/** The slice of Node's IntervalHistogram this endpoint uses (values in nanoseconds). */
export interface EventLoopDelaySource {
  enable(): boolean;
  disable(): boolean;
  reset(): void;
  percentile(percentile: number): number;
  readonly max: number;
  readonly count: number;
}

export type MetricsEndpointDeps = {
  liveCalls(): number;
  database: Queryable;
  clock: Clock;
  /** Defaults to `monitorEventLoopDelay({ resolution: 10 })`; tests pass their own. */
  openEventLoopMonitor?: () => EventLoopDelaySource;
};

export type Sample = { labels?: Readonly<Record<string, string>>; value: number };
export type MetricFamily = { name: string; help: string; type: 'gauge' | 'counter'; samples: readonly Sample[] };

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const NS_PER_MS = 1e6;
const TOKEN_TYPES: ReadonlyArray<readonly [TokenType, string]> = [
  ['inputText', 'input_text'],
  ['inputAudio', 'input_audio'],
  ['cachedText', 'cached_text'],
  ['cachedAudio', 'cached_audio'],
  ['outputText', 'output_text'],
  ['outputAudio', 'output_audio'],
];

/**
 * Registers `GET /metrics` and starts the event-loop monitor, stopped by the server's onClose hook.
 * Event-loop figures are reset on every scrape: each scrape reports the interval since the previous one
 * (`bridge_event_loop_window_seconds` says how long), so two scrapers share, and split, one window.
 */
export function registerMetricsEndpoint(app: FastifyInstance, deps: MetricsEndpointDeps): void {
  const monitor = deps.openEventLoopMonitor?.() ?? monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  monitor.enable();
  let windowStartMs = deps.clock.monotonicMs();
  app.addHook('onClose', async () => {
    monitor.disable();
  });

  app.get(METRICS_PATH, async (_request, reply) => {
    const nowMs = deps.clock.monotonicMs();
    const families = [...processFamilies(monitor, (nowMs - windowStartMs) / 1000, deps.liveCalls())];
    monitor.reset();
    windowStartMs = nowMs;
    const storeStartedMs = deps.clock.monotonicMs();
    const store = await readCallMetrics(deps.database, deps.clock.now()).catch(
      // The scrape itself says the store is down (bridge_store_up 0); process figures are still worth having.
      () => null,
    );
    families.push(...storeFamilies(store, deps.clock.monotonicMs() - storeStartedMs));
    return reply.header('content-type', CONTENT_TYPE).send(formatPrometheus(families));
  });
}

function processFamilies(monitor: EventLoopDelaySource, windowSeconds: number, liveCalls: number): MetricFamily[] {
  const hasSamples = monitor.count > 0;
  // A sample is the time between two ticks of a 10 ms timer: the delay is what exceeds the resolution.
  const delayMs = (ns: number) => (hasSamples ? Math.max(0, ns / NS_PER_MS - EVENT_LOOP_RESOLUTION_MS) : 0);
  const cpu = process.cpuUsage();
  return [
    {
      name: 'bridge_event_loop_delay_ms',
      help: 'Event-loop delay beyond the 10 ms sampling interval since the previous scrape, by quantile.',
      type: 'gauge',
      samples: [
        { labels: { quantile: '0.5' }, value: delayMs(monitor.percentile(50)) },
        { labels: { quantile: '0.99' }, value: delayMs(monitor.percentile(99)) },
      ],
    },
    { name: 'bridge_event_loop_delay_max_ms', help: 'Largest event-loop delay since the previous scrape.', type: 'gauge', samples: [{ value: delayMs(monitor.max) }] },
    { name: 'bridge_event_loop_samples', help: 'Event-loop samples behind the delay figures.', type: 'gauge', samples: [{ value: monitor.count }] },
    { name: 'bridge_event_loop_window_seconds', help: 'Length of the interval the event-loop figures cover.', type: 'gauge', samples: [{ value: windowSeconds }] },
    { name: 'process_resident_memory_bytes', help: 'Resident set size in bytes.', type: 'gauge', samples: [{ value: process.memoryUsage.rss() }] },
    { name: 'process_cpu_user_seconds_total', help: 'User CPU time spent in seconds.', type: 'counter', samples: [{ value: cpu.user / 1e6 }] },
    { name: 'process_cpu_system_seconds_total', help: 'System CPU time spent in seconds.', type: 'counter', samples: [{ value: cpu.system / 1e6 }] },
    { name: 'bridge_live_calls', help: 'Calls with an open media stream on this instance.', type: 'gauge', samples: [{ value: liveCalls }] },
  ];
}

function storeFamilies(store: CallMetrics | null, durationMs: number): MetricFamily[] {
  const families: MetricFamily[] = [
    { name: 'bridge_store_up', help: 'Whether the store answered the metrics queries.', type: 'gauge', samples: [{ value: store ? 1 : 0 }] },
    { name: 'bridge_store_scrape_duration_ms', help: 'Time the metrics queries took.', type: 'gauge', samples: [{ value: durationMs }] },
  ];
  if (!store) return families;
  const reasons: Record<string, number> = Object.fromEntries(ESCALATION_REASON_CODES.map((reason) => [reason, 0]));
  Object.assign(reasons, store.escalationsByReason);
  const latency = store.turnLatency;
  families.push(
    {
      name: 'bridge_calls_last_24h',
      help: 'Calls started in the last 24 h, by outcome (unfinished: not ended yet).',
      type: 'gauge',
      samples: [
        ...Object.entries(store.callsByOutcome).map(([outcome, value]) => ({ labels: { outcome }, value })),
        { labels: { outcome: 'unfinished' }, value: store.unfinishedCalls },
      ],
    },
    {
      name: 'bridge_escalations_last_24h',
      help: 'Escalated calls started in the last 24 h, by reason.',
      type: 'gauge',
      samples: Object.entries(reasons).map(([reason, value]) => ({ labels: { reason }, value })),
    },
    {
      name: 'bridge_turn_latency_last_24h_ms',
      help: 'Turn latency (end of caller speech to first agent audio heard) over the last 24 h, by quantile.',
      type: 'gauge',
      // A quantile with no turns behind it is left out rather than reported as zero.
      samples: [
        ...(latency.p50Ms === null ? [] : [{ labels: { quantile: '0.5' }, value: latency.p50Ms }]),
        ...(latency.p95Ms === null ? [] : [{ labels: { quantile: '0.95' }, value: latency.p95Ms }]),
      ],
    },
    { name: 'bridge_turns_with_latency_last_24h', help: 'Turns behind the latency quantiles.', type: 'gauge', samples: [{ value: latency.turns }] },
    {
      name: 'bridge_tokens_last_24h',
      help: 'Model tokens used by calls started in the last 24 h, by usage kind and token type.',
      type: 'gauge',
      samples: Object.entries(store.tokensByKind).flatMap(([kind, totals]) =>
        TOKEN_TYPES.map(([key, type]) => ({ labels: { kind, type }, value: totals[key] })),
      ),
    },
  );
  return families;
}

/** Renders families in the Prometheus text exposition format 0.0.4. */
export function formatPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return '';
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

// The format escapes backslash and newline in HELP, and also the double quote in label values.
function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}
