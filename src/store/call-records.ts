// Queries over calls, turns, usage, tool calls and call events; rows are parsed at the edge into typed values.
import { z } from 'zod';
import { assertNever } from '../shared/assert-never.ts';
import type { Database, Queryable, Row } from './database.ts';

export const CallOutcome = { resolved: 'resolved', escalated: 'escalated', abandoned: 'abandoned', failed: 'failed' } as const;
export type CallOutcome = (typeof CallOutcome)[keyof typeof CallOutcome];

export type NewCall = { id: string; callSid: string; fromNumber: string; toNumber: string; startedAt: Date; model: string };

export type TurnRecord = {
  seq: number;
  speaker: 'caller' | 'agent';
  text: string;
  startedMs: number | null;
  endedMs: number | null;
  isInterrupted: boolean;
  latencyMs: number | null;
  itemId: string | null;
};

export type UsageRecord = {
  responseId: string;
  kind: 'response' | 'transcription';
  inputTextTokens: number;
  inputAudioTokens: number;
  cachedTextTokens: number;
  cachedAudioTokens: number;
  outputTextTokens: number;
  outputAudioTokens: number;
};

export type ToolCallRecord = {
  seq: number;
  name: string;
  arguments: Record<string, unknown>;
  status: 'ok' | 'error' | 'invalid' | 'timeout';
  resultSummary: string;
  latencyMs: number;
  startedAt: Date;
};

export type CallEventRecord = { seq: number; at: Date; name: string; detail: Record<string, unknown> };

/** What the session knows when a call ends; `escalation` present means an outbox job is born with it. */
export type CallEnding = {
  endedAt: Date;
  endedBy: string;
  outcome: CallOutcome;
  reason: string | null;
  intent: string | null;
  summary: string | null;
  callerWants: string | null;
  isVerified: boolean;
  handoff: string | null;
  details: Record<string, unknown>;
};

export type OutboxJobSeed = {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  deadlineAt: Date;
  /** Tells apart jobs of one kind for one call; a second job with the same kind and key is not written. */
  dedupeKey?: string;
};

/**
 * What Twilio reports by webhook once the call has left the agent: the transfer's dial result, a voicemail the
 * caller left, a finished recording. `isConnected` is the desk's reading of the dial status.
 */
export type HandoffResult =
  | { kind: 'transfer'; at: Date; dialStatus: string; isConnected: boolean; talkSeconds: number | null }
  | { kind: 'voicemail'; at: Date; durationSeconds: number | null }
  | { kind: 'recording'; at: Date; recordingUrl: string };

const callRowSchema = z.object({
  id: z.string(),
  call_sid: z.string(),
  stream_sid: z.string().nullable(),
  from_number: z.string(),
  to_number: z.string(),
  phase: z.enum(['ringing', 'live', 'ended']),
  started_at: z.date(),
  answered_at: z.date().nullable(),
  ended_at: z.date().nullable(),
  ended_by: z.string().nullable(),
  outcome: z.enum(['resolved', 'escalated', 'abandoned', 'failed']).nullable(),
  reason: z.string().nullable(),
  intent: z.string().nullable(),
  summary: z.string().nullable(),
  caller_wants: z.string().nullable(),
  is_verified: z.boolean(),
  handoff: z.string().nullable(),
  recording_url: z.string().nullable(),
  model: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export type CallRecord = ReturnType<typeof toCallRecord>;

function toCallRecord(row: Row) {
  const r = callRowSchema.parse(row);
  return {
    id: r.id,
    callSid: r.call_sid,
    streamSid: r.stream_sid,
    fromNumber: r.from_number,
    toNumber: r.to_number,
    phase: r.phase,
    startedAt: r.started_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
    endedBy: r.ended_by,
    outcome: r.outcome,
    reason: r.reason,
    intent: r.intent,
    summary: r.summary,
    callerWants: r.caller_wants,
    isVerified: r.is_verified,
    handoff: r.handoff,
    recordingUrl: r.recording_url,
    model: r.model,
    details: r.details,
  };
}

const turnRowSchema = z.object({
  seq: z.number(),
  speaker: z.enum(['caller', 'agent']),
  text: z.string(),
  started_ms: z.number().nullable(),
  ended_ms: z.number().nullable(),
  is_interrupted: z.boolean(),
  latency_ms: z.number().nullable(),
  item_id: z.string().nullable(),
});

const toolRowSchema = z.object({
  seq: z.number(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  status: z.enum(['ok', 'error', 'invalid', 'timeout']),
  result_summary: z.string(),
  latency_ms: z.number(),
  started_at: z.date(),
});

const usageTotalsSchema = z.object({
  input_text_tokens: z.coerce.number(),
  input_audio_tokens: z.coerce.number(),
  cached_text_tokens: z.coerce.number(),
  cached_audio_tokens: z.coerce.number(),
  output_text_tokens: z.coerce.number(),
  output_audio_tokens: z.coerce.number(),
});

export type UsageTotals = {
  inputTextTokens: number;
  inputAudioTokens: number;
  cachedTextTokens: number;
  cachedAudioTokens: number;
  outputTextTokens: number;
  outputAudioTokens: number;
};

export class CallRecords {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Records a new call at the webhook; Twilio may retry the webhook, so a repeated CallSid returns the first call's id. */
  async createCall(call: NewCall): Promise<{ id: string; isNew: boolean }> {
    const inserted = await this.#db.query(
      `insert into calls (id, call_sid, from_number, to_number, phase, started_at, model)
       values ($1, $2, $3, $4, 'ringing', $5, $6) on conflict (call_sid) do nothing returning id`,
      [call.id, call.callSid, call.fromNumber, call.toNumber, call.startedAt, call.model],
    );
    if (inserted.rows.length > 0) return { id: call.id, isNew: true };
    const existing = await this.#db.query('select id from calls where call_sid = $1', [call.callSid]);
    return { id: z.string().parse(existing.rows[0]?.id), isNew: false };
  }

  async markLive(callId: string, streamSid: string, answeredAt: Date): Promise<void> {
    await this.#db.query(`update calls set phase = 'live', stream_sid = $2, answered_at = $3 where id = $1 and phase = 'ringing'`, [callId, streamSid, answeredAt]);
  }

  async setRecordingUrl(callSid: string, recordingUrl: string): Promise<void> {
    await this.#db.query('update calls set recording_url = $2 where call_sid = $1', [callSid, recordingUrl]);
  }

  /**
   * Stores a hand-off result on the call and, in the same transaction, the jobs `jobsFor` asks for given the call as
   * it now stands (a note for its ticket), so a result can be neither lost nor noted twice. Undefined when no call
   * has this CallSid.
   */
  async recordHandoff(
    callSid: string,
    result: HandoffResult,
    jobsFor: (call: CallRecord) => readonly OutboxJobSeed[] = () => [],
  ): Promise<{ call: CallRecord; jobsWritten: number } | undefined> {
    return this.#db.transaction(async (tx) => {
      const { rows } = await tx.query(
        'update calls set handoff = coalesce($2, handoff), recording_url = coalesce($3, recording_url) where call_sid = $1 returning *',
        [callSid, handoffAfter(result), result.kind === 'recording' ? result.recordingUrl : null],
      );
      if (!rows[0]) return undefined;
      const call = toCallRecord(rows[0]);
      let jobsWritten = 0;
      for (const job of jobsFor(call)) jobsWritten += (await insertOutboxJob(tx, call.id, job, result.at)) ? 1 : 0;
      return { call, jobsWritten };
    });
  }

  async appendTurn(callId: string, turn: TurnRecord): Promise<void> {
    await this.#db.query(
      `insert into turns (call_id, seq, speaker, text, started_ms, ended_ms, is_interrupted, latency_ms, item_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (call_id, seq) do update set text = excluded.text, started_ms = coalesce(excluded.started_ms, turns.started_ms), ended_ms = excluded.ended_ms,
         is_interrupted = excluded.is_interrupted, latency_ms = excluded.latency_ms`,
      [callId, turn.seq, turn.speaker, turn.text, roundMs(turn.startedMs), roundMs(turn.endedMs), turn.isInterrupted, roundMs(turn.latencyMs), turn.itemId],
    );
  }

  async recordUsage(callId: string, usage: UsageRecord): Promise<void> {
    await this.#db.query(
      `insert into usage (call_id, response_id, kind, input_text_tokens, input_audio_tokens, cached_text_tokens,
         cached_audio_tokens, output_text_tokens, output_audio_tokens)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (call_id, response_id) do nothing`,
      [callId, usage.responseId, usage.kind, usage.inputTextTokens, usage.inputAudioTokens, usage.cachedTextTokens, usage.cachedAudioTokens, usage.outputTextTokens, usage.outputAudioTokens],
    );
  }

  async recordToolCall(callId: string, call: ToolCallRecord): Promise<void> {
    await this.#db.query(
      `insert into tool_calls (call_id, seq, name, arguments, status, result_summary, latency_ms, started_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [callId, call.seq, call.name, JSON.stringify(call.arguments), call.status, call.resultSummary, Math.round(call.latencyMs), call.startedAt],
    );
  }

  async recordEvent(callId: string, event: CallEventRecord): Promise<void> {
    await this.#db.query('insert into call_events (call_id, seq, at, name, detail) values ($1, $2, $3, $4, $5)', [callId, event.seq, event.at, event.name, JSON.stringify(event.detail)]);
  }

  /**
   * Ends a call: its outcome and, for an escalation, its outbox job are written in one transaction, so an
   * escalation can be neither lost nor born twice (STYLE.md, 9). Ending an ended call changes nothing. A hand-off
   * result that landed first (a dial result racing the session's last write) is kept over the session's plan.
   */
  async recordOutcome(callId: string, ending: CallEnding, jobs: readonly OutboxJobSeed[] = []): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const updated = await tx.query(
        `update calls set phase = 'ended', ended_at = $2, ended_by = $3, outcome = $4, reason = $5, intent = $6,
           summary = $7, caller_wants = $8, is_verified = $9, handoff = coalesce(handoff, $10), details = $11
         where id = $1 and phase <> 'ended' returning id`,
        [callId, ending.endedAt, ending.endedBy, ending.outcome, ending.reason, ending.intent, ending.summary, ending.callerWants, ending.isVerified, ending.handoff, JSON.stringify(ending.details)],
      );
      if (updated.rows.length === 0) return false;
      for (const job of jobs) await insertOutboxJob(tx, callId, job, ending.endedAt);
      return true;
    });
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    const { rows } = await this.#db.query('select * from calls where id = $1', [callId]);
    return rows[0] ? toCallRecord(rows[0]) : undefined;
  }

  async getCallBySid(callSid: string): Promise<CallRecord | undefined> {
    const { rows } = await this.#db.query('select * from calls where call_sid = $1', [callSid]);
    return rows[0] ? toCallRecord(rows[0]) : undefined;
  }

  async listTurns(callId: string): Promise<TurnRecord[]> {
    const { rows } = await this.#db.query('select * from turns where call_id = $1 order by seq', [callId]);
    return rows.map((row) => {
      const r = turnRowSchema.parse(row);
      return { seq: r.seq, speaker: r.speaker, text: r.text, startedMs: r.started_ms, endedMs: r.ended_ms, isInterrupted: r.is_interrupted, latencyMs: r.latency_ms, itemId: r.item_id };
    });
  }

  async listToolCalls(callId: string): Promise<ToolCallRecord[]> {
    const { rows } = await this.#db.query('select * from tool_calls where call_id = $1 order by seq', [callId]);
    return rows.map((row) => {
      const r = toolRowSchema.parse(row);
      return { seq: r.seq, name: r.name, arguments: r.arguments, status: r.status, resultSummary: r.result_summary, latencyMs: r.latency_ms, startedAt: r.started_at };
    });
  }

  async listEvents(callId: string): Promise<CallEventRecord[]> {
    const { rows } = await this.#db.query('select seq, at, name, detail from call_events where call_id = $1 order by seq', [callId]);
    return rows.map((row) => z.object({ seq: z.number(), at: z.date(), name: z.string(), detail: z.record(z.string(), z.unknown()) }).parse(row));
  }

  async usageTotals(callId: string): Promise<UsageTotals> {
    const { rows } = await this.#db.query(
      `select coalesce(sum(input_text_tokens), 0) as input_text_tokens, coalesce(sum(input_audio_tokens), 0) as input_audio_tokens,
         coalesce(sum(cached_text_tokens), 0) as cached_text_tokens, coalesce(sum(cached_audio_tokens), 0) as cached_audio_tokens,
         coalesce(sum(output_text_tokens), 0) as output_text_tokens, coalesce(sum(output_audio_tokens), 0) as output_audio_tokens
       from usage where call_id = $1`,
      [callId],
    );
    const r = usageTotalsSchema.parse(rows[0]);
    return {
      inputTextTokens: r.input_text_tokens,
      inputAudioTokens: r.input_audio_tokens,
      cachedTextTokens: r.cached_text_tokens,
      cachedAudioTokens: r.cached_audio_tokens,
      outputTextTokens: r.output_text_tokens,
      outputAudioTokens: r.output_audio_tokens,
    };
  }

  /** Calls left ringing or live by a process that stopped; the status callback or start-up sweep finalizes them. */
  async listUnfinished(): Promise<CallRecord[]> {
    const { rows } = await this.#db.query(`select * from calls where phase <> 'ended' order by started_at`);
    return rows.map(toCallRecord);
  }
}

function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms);
}

// The `handoff` a result leaves on the call (escalation-note.ts reads these); a recording leaves it unchanged.
function handoffAfter(result: HandoffResult): string | null {
  switch (result.kind) {
    case 'transfer':
      return result.isConnected ? 'transfer_connected' : `transfer_${result.dialStatus}`;
    case 'voicemail':
      return 'voicemail';
    case 'recording':
      return null;
    default:
      return assertNever(result, 'hand-off result');
  }
}

/** True when the job was written; false when one with the same kind and key already exists for the call. */
async function insertOutboxJob(tx: Queryable, callId: string, job: OutboxJobSeed, now: Date): Promise<boolean> {
  const { rows } = await tx.query(
    `insert into outbox (id, call_id, kind, payload, status, next_attempt_at, deadline_at, dedupe_key)
     values ($1, $2, $3, $4, 'pending', $5, $6, $7) on conflict (call_id, kind, dedupe_key) do nothing returning id`,
    [job.id, callId, job.kind, JSON.stringify(job.payload), now, job.deadlineAt, job.dedupeKey ?? ''],
  );
  return rows.length > 0;
}
