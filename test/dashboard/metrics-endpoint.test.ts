import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EVENT_LOOP_RESOLUTION_MS, formatPrometheus, registerMetricsEndpoint, type EventLoopDelaySource, type MetricsEndpointDeps } from '../../src/dashboard/metrics-endpoint.ts';
import { CallRecords } from '../../src/store/call-records.ts';
import type { Queryable } from '../../src/store/database.ts';
import { openTestDatabase } from '../support/databases.ts';
import { ManualClock } from '../support/manual-clock.ts';

/** A scripted monitor: percentiles in nanoseconds, as Node's IntervalHistogram reports them. */
class FakeEventLoopMonitor implements EventLoopDelaySource {
  isEnabled = false;
  resets = 0;
  percentiles = new Map<number, number>([
    [50, 10.5e6],
    [99, 23e6],
  ]);
  max = 41e6;
  count = 500;

  enable(): boolean {
    this.isEnabled = true;
    return true;
  }
  disable(): boolean {
    this.isEnabled = false;
    return true;
  }
  reset(): void {
    this.resets++;
  }
  percentile(percentile: number): number {
    return this.percentiles.get(percentile) ?? 0;
  }
}

type Sample = { name: string; labels: string; value: number };

/** Reads exposition text strictly: HELP and TYPE before a family's samples, and nothing else. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  expect(text.endsWith('\n')).toBe(true);
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helped = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/.exec(line);
    if (help?.[1]) {
      helped.add(help[1]);
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)$/.exec(line);
    if (type?.[1] && type[2]) {
      expect(helped.has(type[1]), `HELP before TYPE for ${type[1]}`).toBe(true);
      types.set(type[1], type[2]);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    expect(sample, `not a sample line: ${line}`).not.toBeNull();
    const [, name = '', labels = '', value = ''] = sample ?? [];
    expect(types.has(name), `TYPE before samples of ${name}`).toBe(true);
    samples.push({ name, labels, value: Number(value) });
  }
  return { samples, types };
}

function valueOf(samples: readonly Sample[], name: string, labels = ''): number | undefined {
  return samples.find((sample) => sample.name === name && sample.labels === labels)?.value;
}

async function serve(overrides: Partial<MetricsEndpointDeps> & { database: Queryable }) {
  const app = Fastify();
  const clock = new ManualClock('2026-11-20T12:00:00Z');
  const monitor = new FakeEventLoopMonitor();
  let liveCalls = 3;
  registerMetricsEndpoint(app, { liveCalls: () => liveCalls, clock, openEventLoopMonitor: () => monitor, ...overrides });
  await app.ready();
  onTestFinished(() => app.close());
  const scrape = async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(response.body);
  };
  return { app, clock, monitor, scrape, setLiveCalls: (count: number) => (liveCalls = count) };
}

async function memoryDatabase() {
  const database = await openTestDatabase('pglite');
  onTestFinished(() => database.close());
  return database;
}

const failingDatabase: Queryable = {
  query: () => Promise.reject(new Error('connection refused')),
  exec: () => Promise.reject(new Error('connection refused')),
};

describe('GET /metrics', () => {
  it('serves process figures and the last 24 h of call figures in the Prometheus text format', async () => {
    const database = await memoryDatabase();
    const calls = new CallRecords(database);
    const startedAt = new Date('2026-11-20T11:00:00Z');
    await calls.createCall({ id: 'call_1', callSid: 'CA1', fromNumber: '+14155550100', toNumber: '+18005550199', startedAt, model: 'gpt-realtime' });
    await calls.createCall({ id: 'call_2', callSid: 'CA2', fromNumber: '+14155550101', toNumber: '+18005550199', startedAt, model: 'gpt-realtime' });
    const ending = { endedAt: new Date('2026-11-20T11:05:00Z'), endedBy: 'agent', intent: null, summary: null, callerWants: null, isVerified: true, handoff: null, details: {} };
    await calls.recordOutcome('call_1', { ...ending, outcome: 'escalated', reason: 'delivery_exception' });
    await calls.appendTurn('call_1', { seq: 1, speaker: 'agent', text: 'It left our warehouse.', startedMs: 900, endedMs: 2000, isInterrupted: false, latencyMs: 640, itemId: 'item_1' });
    await calls.recordUsage('call_1', { responseId: 'resp_1', kind: 'response', inputTextTokens: 120, inputAudioTokens: 40, cachedTextTokens: 64, cachedAudioTokens: 0, outputTextTokens: 18, outputAudioTokens: 90 });
    const { scrape, setLiveCalls } = await serve({ database });
    setLiveCalls(2);

    const { samples, types } = await scrape();
    expect(valueOf(samples, 'bridge_live_calls')).toBe(2);
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'process_cpu_system_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(valueOf(samples, 'bridge_store_up')).toBe(1);
    expect(valueOf(samples, 'bridge_calls_last_24h', '{outcome="escalated"}')).toBe(1);
    expect(valueOf(samples, 'bridge_calls_last_24h', '{outcome="resolved"}')).toBe(0);
    expect(valueOf(samples, 'bridge_calls_last_24h', '{outcome="unfinished"}')).toBe(1);
    expect(valueOf(samples, 'bridge_escalations_last_24h', '{reason="delivery_exception"}')).toBe(1);
    // Every catalogued reason is a series from the first scrape, so rates and alerts never see a gap.
    expect(valueOf(samples, 'bridge_escalations_last_24h', '{reason="caller_requested_human"}')).toBe(0);
    expect(valueOf(samples, 'bridge_turn_latency_last_24h_ms', '{quantile="0.5"}')).toBe(640);
    expect(valueOf(samples, 'bridge_turn_latency_last_24h_ms', '{quantile="0.95"}')).toBe(640);
    expect(valueOf(samples, 'bridge_tokens_last_24h', '{kind="response",type="output_audio"}')).toBe(90);
    expect(valueOf(samples, 'bridge_tokens_last_24h', '{kind="response",type="cached_text"}')).toBe(64);
  });

  it('reports event-loop delay beyond the 10 ms sampling interval and starts a new window on every scrape', async () => {
    const { scrape, monitor, clock } = await serve({ database: await memoryDatabase() });
    expect(monitor.isEnabled).toBe(true);
    await clock.advance(15_000);

    const first = await scrape();
    expect(valueOf(first.samples, 'bridge_event_loop_delay_ms', '{quantile="0.5"}')).toBeCloseTo(10.5 - EVENT_LOOP_RESOLUTION_MS, 9);
    expect(valueOf(first.samples, 'bridge_event_loop_delay_ms', '{quantile="0.99"}')).toBeCloseTo(13, 9);
    expect(valueOf(first.samples, 'bridge_event_loop_delay_max_ms')).toBeCloseTo(31, 9);
    expect(valueOf(first.samples, 'bridge_event_loop_samples')).toBe(500);
    expect(valueOf(first.samples, 'bridge_event_loop_window_seconds')).toBe(15);
    expect(monitor.resets).toBe(1);

    await clock.advance(5_000);
    monitor.count = 0;
    const second = await scrape();
    expect(valueOf(second.samples, 'bridge_event_loop_window_seconds')).toBe(5);
    // No samples in the window means no measured delay, not the histogram's empty-state sentinel.
    expect(valueOf(second.samples, 'bridge_event_loop_delay_max_ms')).toBe(0);
    expect(monitor.resets).toBe(2);
  });

  it('keeps serving process figures when the store does not answer', async () => {
    const { scrape } = await serve({ database: failingDatabase });
    const { samples } = await scrape();
    expect(valueOf(samples, 'bridge_store_up')).toBe(0);
    expect(valueOf(samples, 'bridge_live_calls')).toBe(3);
    expect(samples.some((sample) => sample.name.startsWith('bridge_calls_'))).toBe(false);
  });

  it('stops the event-loop monitor when the server closes', async () => {
    const { app, monitor } = await serve({ database: failingDatabase });
    expect(monitor.isEnabled).toBe(true);
    await app.close();
    expect(monitor.isEnabled).toBe(false);
  });

  it('measures with the real event-loop monitor by default', async () => {
    const app = Fastify();
    registerMetricsEndpoint(app, { liveCalls: () => 0, database: failingDatabase, clock: new ManualClock() });
    await app.ready();
    onTestFinished(() => app.close());
    const { samples } = parseExposition((await app.inject({ method: 'GET', url: '/metrics' })).body);
    for (const name of ['bridge_event_loop_delay_max_ms', 'bridge_event_loop_samples']) {
      expect(valueOf(samples, name)).toBeGreaterThanOrEqual(0);
    }
    expect(Number.isFinite(valueOf(samples, 'bridge_event_loop_delay_ms', '{quantile="0.99"}'))).toBe(true);
  });
});

describe('formatPrometheus', () => {
  it.each([
    ['a plain label', { reason: 'delivery_exception' }, '{reason="delivery_exception"}'],
    ['a double quote', { reason: 'say "hi"' }, '{reason="say \\"hi\\""}'],
    ['a backslash', { reason: 'a\\b' }, '{reason="a\\\\b"}'],
    ['a newline', { reason: 'a\nb' }, '{reason="a\\nb"}'],
  ])('escapes %s in a label value', (_case, labels, rendered) => {
    expect(formatPrometheus([{ name: 'm', help: 'h', type: 'gauge', samples: [{ labels, value: 1 }] }])).toBe(`# HELP m h\n# TYPE m gauge\nm${rendered} 1\n`);
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [0.25, '0.25'],
  ])('writes %s as %s', (value, rendered) => {
    expect(formatPrometheus([{ name: 'm', help: 'h', type: 'gauge', samples: [{ value }] }])).toContain(`\nm ${rendered}\n`);
  });

  it('escapes a backslash and a newline in help text', () => {
    expect(formatPrometheus([{ name: 'm', help: 'a\\b\nc', type: 'counter', samples: [] }])).toBe('# HELP m a\\\\b\\nc\n# TYPE m counter\n');
  });
});
