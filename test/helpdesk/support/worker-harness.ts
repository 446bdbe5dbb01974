// An outbox worker on a fresh store, delivering to a Gorgias twin; calls are seeded through CallRecords the way
// the call session writes them, with the escalation job born in the same transaction as the outcome.
import { onTestFinished } from 'vitest';
import type { Clock } from '../../../src/shared/clock.ts';
import type { GorgiasClientOptions } from '../../../src/helpdesk/gorgias-client.ts';
import type { DeliveryPort } from '../../../src/helpdesk/escalation-delivery.ts';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerConfig } from '../../../src/helpdesk/outbox-worker.ts';
import { CallRecords } from '../../../src/store/call-records.ts';
import type { Database } from '../../../src/store/database.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import type { GorgiasTwinOptions } from '../../../src/twins/gorgias/gorgias-twin.ts';
import { openTestDatabase, type Engine } from '../../support/databases.ts';
import { escalationConfig } from './escalated-calls.ts';
import { startHarness, type Harness } from './gorgias-harness.ts';
import { seedEscalatedCall, type SeedCall } from './seed-escalated-call.ts';
import type { SkippingClock } from './skipping-clock.ts';

// One in-memory PGlite per test file, emptied for each test: opening and migrating one costs about a second.
let sharedPglite: Promise<Database> | undefined;

async function freshDatabase(engine: Engine): Promise<Database> {
  if (engine === 'postgres') {
    const db = await openTestDatabase(engine);
    onTestFinished(() => db.close());
    return db;
  }
  sharedPglite ??= openTestDatabase('pglite');
  const db = await sharedPglite;
  await db.exec('delete from outbox; delete from calls;');
  return db;
}

export async function startWorkerHarness(
  options: { engine?: Engine; twin?: GorgiasTwinOptions; client?: Partial<GorgiasClientOptions>; config?: Partial<OutboxWorkerConfig>; allowedProblems?: readonly string[] } = {},
) {
  const db = await freshDatabase(options.engine ?? 'pglite');
  const harness: Harness = await startHarness({
    ...(options.twin ? { twin: options.twin } : {}),
    ...(options.client ? { client: options.client } : {}),
    ...(options.allowedProblems ? { allowedProblems: options.allowedProblems } : {}),
  });
  const clock = harness.clock as SkippingClock;
  const calls = new CallRecords(db);
  const store = new OutboxStore(db);
  const config: OutboxWorkerConfig = { escalation: { ...escalationConfig, botUserId: harness.twin.botUserId }, leaseMs: 60_000, ...options.config };

  function newWorker(overrides: { gorgias?: DeliveryPort; config?: Partial<OutboxWorkerConfig>; clock?: Clock } = {}): OutboxWorker {
    const worker = createOutboxWorker({
      db,
      calls,
      gorgias: overrides.gorgias ?? harness.newClient(),
      clock: overrides.clock ?? clock,
      random: () => 0.5,
      log: harness.captured.log,
      pollIntervalMs: 1_000,
      config: { ...config, ...overrides.config },
    });
    onTestFinished(() => worker.stop());
    return worker;
  }

  const seedCall = (seed: SeedCall) => seedEscalatedCall(calls, seed, clock.now());

  return { ...harness, db, calls, store, clock, newWorker, seedCall };
}
