// Gorgias escalation figures against the twin: requests per escalation, call end → ticket created latency with
// 150 ms twin latency, and sustained escalations per minute inside the rate limit. A script, not a test:
//   node_modules/.bin/node test/bench/gorgias-bench.ts [--json]
import { Writable } from 'node:stream';
import { createGorgiasClient, type GorgiasClientOptions } from '../../src/helpdesk/gorgias-client.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/helpdesk/outbox-worker.ts';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { CallRecords } from '../../src/store/call-records.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { startGorgiasTwin, type GorgiasTwin, type GorgiasTwinOptions } from '../../src/twins/gorgias/gorgias-twin.ts';
import { escalationConfig } from '../helpdesk/support/escalated-calls.ts';
import { seedEscalatedCall } from '../helpdesk/support/seed-escalated-call.ts';
import { SkippingClock } from '../helpdesk/support/skipping-clock.ts';

const TWIN_LATENCY_MS = 150;
const isJson = process.argv.includes('--json');

type Rig = { twin: GorgiasTwin; db: Database; calls: CallRecords; worker: OutboxWorker; succeeded: Map<string, () => void>; close(): Promise<void> };

async function startRig(options: { clock: Clock; twin?: GorgiasTwinOptions; client?: Partial<GorgiasClientOptions>; contactReasonFieldLabel?: string }): Promise<Rig> {
  const twin = await startGorgiasTwin({ clock: options.clock, ...options.twin });
  const db = await openDatabase({ engine: 'pglite', dataDir: undefined });
  const calls = new CallRecords(db);
  const succeeded = new Map<string, () => void>();
  // Log lines feed the latency probe: `outbox.delivery.succeeded` carries the call id.
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.includes('outbox.delivery.succeeded')) continue;
        const { callId } = JSON.parse(line) as { callId: string };
        succeeded.get(callId)?.();
      }
      callback();
    },
  });
  const log = createLogger({ level: 'info', destination });
  const field = options.contactReasonFieldLabel ? twin.seedCustomField({ label: options.contactReasonFieldLabel, dataType: 'text' }) : null;
  const gorgias = createGorgiasClient({
    apiUrl: twin.apiUrl,
    credentials: { kind: 'basic', ...twin.credentials },
    clock: options.clock,
    random: Math.random,
    log,
    ...options.client,
  });
  const worker = createOutboxWorker({
    db,
    calls,
    gorgias,
    clock: options.clock,
    random: Math.random,
    log,
    pollIntervalMs: 1_000,
    config: { escalation: { ...escalationConfig, botUserId: twin.botUserId, contactReasonFieldId: field?.id ?? null } },
  });
  return {
    twin,
    db,
    calls,
    worker,
    succeeded,
    async close() {
      await worker.stop();
      await twin.close();
      await db.close();
    },
  };
}

/** 40% repeat callers already complete in Gorgias, 40% new callers, 20% known by phone but missing name and email. */
function seedCaller(twin: GorgiasTwin, index: number): string {
  const phone = `+1415555${String(1000 + index).padStart(4, '0')}`;
  const kind = index % 10;
  if (kind < 4) twin.seedCustomer({ name: 'Jane Caller', email: `caller${index}@example.com`, channels: [{ type: 'phone', address: phone }, { type: 'email', address: `caller${index}@example.com` }] });
  else if (kind >= 8) twin.seedCustomer({ channels: [{ type: 'phone', address: phone }] });
  return phone;
}

async function requestsPerEscalation(contactReasonFieldLabel?: string): Promise<{ median: number; max: number; count: number }> {
  const clock = new SkippingClock();
  const rig = await startRig({ clock, ...(contactReasonFieldLabel ? { contactReasonFieldLabel } : {}), twin: { rateLimit: { apiKey: { capacity: 10_000, windowMs: 20_000 } } } });
  const counts: number[] = [];
  for (let index = 0; index < 20; index++) {
    const before = rig.twin.requests().length;
    await seedEscalatedCall(rig.calls, { id: `r${index}`, fromNumber: seedCaller(rig.twin, index), ending: { details: { callerName: 'Jane Caller', verifiedEmail: `caller${index}@example.com` } } }, clock.now());
    await rig.worker.runOnce();
    counts.push(rig.twin.requests().length - before);
  }
  await rig.close();
  return { median: percentile(counts, 0.5), max: Math.max(...counts), count: counts.length };
}

async function endToTicketLatency(options: { isWoken: boolean; samples: number; spacingMs: number }): Promise<{ p50Ms: number; p95Ms: number; count: number }> {
  const rig = await startRig({ clock: systemClock });
  rig.twin.addLatency(TWIN_LATENCY_MS);
  rig.worker.start();
  const latencies: number[] = [];
  for (let index = 0; index < options.samples; index++) {
    const callId = `l${index}`;
    const delivered = new Promise<void>((resolve) => rig.succeeded.set(callId, resolve));
    const startedMs = performance.now();
    await seedEscalatedCall(rig.calls, { id: callId, fromNumber: seedCaller(rig.twin, index) }, Date.now());
    if (options.isWoken) rig.worker.wake();
    await delivered;
    latencies.push(performance.now() - startedMs);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.spacingMs - (performance.now() - startedMs))));
  }
  await rig.close();
  return { p50Ms: Math.round(percentile(latencies, 0.5)), p95Ms: Math.round(percentile(latencies, 0.95)), count: latencies.length };
}

/** A backlog drained by one worker on a virtual clock shared with the twin: pacing and Retry-After cost no wall time. */
async function sustainedRate(backlog: number): Promise<{ escalationsPerMinute: number; requestsPerMinute: number; rateLimited: number; virtualSeconds: number }> {
  const clock = new SkippingClock();
  const rig = await startRig({ clock });
  rig.twin.addLatency(TWIN_LATENCY_MS);
  for (let index = 0; index < backlog; index++) await seedEscalatedCall(rig.calls, { id: `s${index}`, fromNumber: seedCaller(rig.twin, index) }, clock.now());
  const startedMs = clock.now();
  let delivered = 0;
  while (delivered < backlog) delivered += (await rig.worker.runOnce()).delivered;
  const elapsedMinutes = (clock.now() - startedMs) / 60_000;
  const requests = rig.twin.requests();
  await rig.close();
  return {
    escalationsPerMinute: round(backlog / elapsedMinutes),
    requestsPerMinute: round(requests.length / elapsedMinutes),
    rateLimited: requests.filter((request) => request.status === 429).length,
    virtualSeconds: round(elapsedMinutes * 60),
  };
}

function percentile(values: readonly number[], quantile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))] ?? Number.NaN;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const requests = await requestsPerEscalation();
const requestsWithField = await requestsPerEscalation('Contact reason');
const woken = await endToTicketLatency({ isWoken: true, samples: 15, spacingMs: 1_600 });
const polled = await endToTicketLatency({ isWoken: false, samples: 8, spacingMs: 1_600 });
const sustained = await sustainedRate(90);

const figures = {
  requestsPerEscalation: { median: requests.median, max: requests.max, calls: requests.count, withContactReasonField: { median: requestsWithField.median, max: requestsWithField.max } },
  callEndToTicketMs: { twinLatencyMs: TWIN_LATENCY_MS, wokenAtCallEnd: woken, pollingEverySecond: polled },
  sustained: { bucket: '40 requests / 20 s (API key)', ...sustained },
};

if (isJson) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  const lines = [
    `Gorgias requests per escalation (n=${requests.count}; 40% known callers, 40% new, 20% known but incomplete): median ${requests.median}, max ${requests.max} (target <= 4)`,
    `  with a contact-reason field configured: median ${requestsWithField.median}, max ${requestsWithField.max}`,
    `Call end -> ticket created, twin latency ${TWIN_LATENCY_MS} ms, worker woken at call end: p50 ${woken.p50Ms} ms, p95 ${woken.p95Ms} ms (n=${woken.count}; target p95 <= 2000 ms)`,
    `  worker polling every 1000 ms instead: p50 ${polled.p50Ms} ms, p95 ${polled.p95Ms} ms (n=${polled.count})`,
    `Sustained: a backlog of 90 drained at ${sustained.escalationsPerMinute} escalations/min, ${sustained.requestsPerMinute} requests/min, ${sustained.rateLimited} x 429 (${figures.sustained.bucket}, ${sustained.virtualSeconds} s of twin time)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
