// Read-only figures for the Prometheus endpoint: calls by outcome, escalations by reason, turn latency and tokens.
// Every query is bounded by the indexed `calls.started_at` window, so a scrape stays cheap as history grows; it
// never writes and holds no business rules.
import { z } from 'zod';
import { CallOutcome } from './call-records.ts';
import type { Queryable } from './database.ts';

/** Every figure covers the calls started in this trailing window (turns and usage through their call). */
export const METRICS_WINDOW_MS = 24 * 3_600_000;

export type TokenType = 'inputText' | 'inputAudio' | 'cachedText' | 'cachedAudio' | 'outputText' | 'outputAudio';

export type CallMetrics = {
  /** Start of the window the figures cover. */
  since: Date;
  /** Ended calls per outcome; every outcome is present, zero when none. */
  callsByOutcome: Record<CallOutcome, number>;
  /** Calls started in the window that have not ended yet (ringing or live, here or on another instance). */
  unfinishedCalls: number;
  /** Escalated calls per stored reason; a missing reason is counted under `none`. */
  escalationsByReason: Record<string, number>;
  /** Per-turn latency (end of caller speech → first agent audio heard); null when no turn has one. */
  turnLatency: { p50Ms: number | null; p95Ms: number | null; turns: number };
  /** Token totals per usage kind (`response`, `transcription`) and token type. */
  tokensByKind: Record<string, Record<TokenType, number>>;
};

const countRow = z.object({ label: z.string().nullable(), count: z.coerce.number() });
const latencyRow = z.object({ p50: z.coerce.number().nullable(), p95: z.coerce.number().nullable(), turns: z.coerce.number() });
const tokenRow = z.object({
  kind: z.string(),
  input_text: z.coerce.number(),
  input_audio: z.coerce.number(),
  cached_text: z.coerce.number(),
  cached_audio: z.coerce.number(),
  output_text: z.coerce.number(),
  output_audio: z.coerce.number(),
});

/** Reads every store figure of the trailing window ending at `nowMs`; four small indexed queries. */
export async function readCallMetrics(db: Queryable, nowMs: number): Promise<CallMetrics> {
  const since = new Date(nowMs - METRICS_WINDOW_MS);
  const outcomes = await db.query(
    `select coalesce(outcome, 'unfinished') as label, count(*) as count from calls where started_at >= $1 group by outcome`,
    [since],
  );
  const reasons = await db.query(
    `select coalesce(reason, 'none') as label, count(*) as count from calls
     where started_at >= $1 and outcome = 'escalated' group by reason`,
    [since],
  );
  // Turns are reached through their call so the window uses the calls index, not a scan of every turn.
  const latency = await db.query(
    `select percentile_cont(0.5) within group (order by t.latency_ms) as p50,
            percentile_cont(0.95) within group (order by t.latency_ms) as p95,
            count(t.latency_ms) as turns
     from calls c join turns t on t.call_id = c.id
     where c.started_at >= $1 and t.latency_ms is not null`,
    [since],
  );
  const tokens = await db.query(
    `select u.kind as kind, sum(u.input_text_tokens) as input_text, sum(u.input_audio_tokens) as input_audio,
            sum(u.cached_text_tokens) as cached_text, sum(u.cached_audio_tokens) as cached_audio,
            sum(u.output_text_tokens) as output_text, sum(u.output_audio_tokens) as output_audio
     from calls c join usage u on u.call_id = c.id
     where c.started_at >= $1 group by u.kind`,
    [since],
  );

  const callsByOutcome: Record<CallOutcome, number> = { resolved: 0, escalated: 0, abandoned: 0, failed: 0 };
  let unfinishedCalls = 0;
  for (const row of outcomes.rows.map((raw) => countRow.parse(raw))) {
    if (isCallOutcome(row.label)) callsByOutcome[row.label] = row.count;
    else unfinishedCalls += row.count;
  }
  const escalationsByReason: Record<string, number> = {};
  for (const row of reasons.rows.map((raw) => countRow.parse(raw))) escalationsByReason[row.label ?? 'none'] = row.count;
  const turns = latencyRow.parse(latency.rows[0] ?? { p50: null, p95: null, turns: 0 });
  const tokensByKind: Record<string, Record<TokenType, number>> = {};
  for (const row of tokens.rows.map((raw) => tokenRow.parse(raw))) {
    tokensByKind[row.kind] = {
      inputText: row.input_text,
      inputAudio: row.input_audio,
      cachedText: row.cached_text,
      cachedAudio: row.cached_audio,
      outputText: row.output_text,
      outputAudio: row.output_audio,
    };
  }
  return {
    since,
    callsByOutcome,
    unfinishedCalls,
    escalationsByReason,
    turnLatency: { p50Ms: turns.p50, p95Ms: turns.p95, turns: turns.turns },
    tokensByKind,
  };
}

function isCallOutcome(value: string | null): value is CallOutcome {
  return value !== null && Object.hasOwn(CallOutcome, value);
}
