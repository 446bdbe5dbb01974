// `npm run outbox -- list [--status pending|done|dead] [--limit N] | retry <id>`: see and revive escalation jobs.
// Opens the store named by the config. With embedded PGlite, run it while the service is stopped (one process only).
import { loadConfig } from '../config/config.ts';
import { openDatabase } from '../store/database.ts';
import { OutboxStatus, OutboxStore, type OutboxJob } from '../store/outbox.ts';

export type OutboxCliDeps = { store: OutboxStore; now: Date; deadlineHours: number; out: (line: string) => void };

const USAGE = 'usage: npm run outbox -- list [--status pending|done|dead] [--limit N] | retry <job id>';

/** Runs one command; returns the process exit code (0 ok, 1 not done, 2 bad usage). */
export async function runOutboxCli(args: readonly string[], deps: OutboxCliDeps): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'list') return list(rest, deps);
  if (command === 'retry' && rest.length === 1 && rest[0]) return retry(rest[0], deps);
  deps.out(USAGE);
  return 2;
}

async function list(args: readonly string[], deps: OutboxCliDeps): Promise<number> {
  const options = parseListOptions(args);
  if (!options) {
    deps.out(USAGE);
    return 2;
  }
  const counts = await deps.store.counts();
  deps.out(`delivered ${counts.delivered}  pending ${counts.pending} (failing ${counts.failing})  dead ${counts.dead}`);
  const jobs = await deps.store.list(options);
  for (const job of jobs) deps.out(describeJob(job));
  if (jobs.length === 0) deps.out('(no jobs)');
  return 0;
}

async function retry(jobId: string, deps: OutboxCliDeps): Promise<number> {
  const deadlineAt = new Date(deps.now.getTime() + deps.deadlineHours * 3_600_000);
  const job = await deps.store.retry(jobId, { now: deps.now, deadlineAt });
  if (!job) {
    deps.out(`job ${jobId}: not found or already delivered`);
    return 1;
  }
  deps.out(`job ${jobId}: pending again, due now, deadline ${job.deadlineAt.toISOString()}; recorded steps are kept`);
  return 0;
}

function parseListOptions(args: readonly string[]): { status?: OutboxStatus; limit: number } | undefined {
  const options: { status?: OutboxStatus; limit: number } = { limit: 50 };
  for (let index = 0; index < args.length; index += 2) {
    const value = args[index + 1];
    if (args[index] === '--status' && (value === 'pending' || value === 'done' || value === 'dead')) options.status = OutboxStatus[value];
    else if (args[index] === '--limit' && value && /^\d+$/.test(value) && Number(value) > 0) options.limit = Number(value);
    else return undefined;
  }
  return options;
}

function describeJob(job: OutboxJob): string {
  const when = job.status === 'pending' ? `next ${job.nextAttemptAt.toISOString()}` : `updated ${job.updatedAt.toISOString()}`;
  const error = job.lastError ? `  last error: ${job.lastError}` : '';
  return `${job.id}  ${job.status.padEnd(7)}  ${job.kind}  call ${job.callId}  attempts ${job.attempts}  ${when}  deadline ${job.deadlineAt.toISOString()}${error}`;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config.databaseUrl ? { engine: 'postgres', url: config.databaseUrl } : { engine: 'pglite', dataDir: config.dataDir });
  try {
    process.exitCode = await runOutboxCli(process.argv.slice(2), {
      store: new OutboxStore(db),
      now: new Date(),
      deadlineHours: config.outbox.deadlineHours,
      out: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    await db.close();
  }
}

if (import.meta.main) await main();
