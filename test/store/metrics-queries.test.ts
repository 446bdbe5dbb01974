import { describe, expect, it, onTestFinished } from 'vitest';
import { CallRecords, type CallEnding } from '../../src/store/call-records.ts';
import { METRICS_WINDOW_MS, readCallMetrics } from '../../src/store/metrics-queries.ts';
import { ENGINES, isPostgresReachable, openTestDatabase, type Engine } from '../support/databases.ts';

const hasPostgres = await isPostgresReachable();
const NOW_MS = Date.parse('2026-11-20T12:00:00Z');

async function seeded(engine: Engine) {
  const database = await openTestDatabase(engine);
  onTestFinished(() => database.close());
  const calls = new CallRecords(database);
  let next = 0;
  async function call(options: { ageMs: number; outcome?: CallEnding['outcome']; reason?: string | null }): Promise<string> {
    const id = `call_${++next}`;
    await calls.createCall({ id, callSid: `CA${next}`, fromNumber: '+14155550100', toNumber: '+18005550199', startedAt: new Date(NOW_MS - options.ageMs), model: 'gpt-realtime' });
    if (options.outcome) {
      await calls.recordOutcome(id, {
        endedAt: new Date(NOW_MS - options.ageMs + 60_000),
        endedBy: 'agent',
        outcome: options.outcome,
        reason: options.reason ?? null,
        intent: null,
        summary: null,
        callerWants: null,
        isVerified: false,
        handoff: null,
        details: {},
      });
    }
    return id;
  }
  async function turn(callId: string, seq: number, latencyMs: number | null): Promise<void> {
    await calls.appendTurn(callId, { seq, speaker: 'agent', text: 'Your parcel is on its way.', startedMs: seq * 1000, endedMs: seq * 1000 + 800, isInterrupted: false, latencyMs, itemId: `item_${seq}` });
  }
  async function usage(callId: string, responseId: string, kind: 'response' | 'transcription', tokens: number): Promise<void> {
    await calls.recordUsage(callId, { responseId, kind, inputTextTokens: tokens, inputAudioTokens: 2 * tokens, cachedTextTokens: 0, cachedAudioTokens: 1, outputTextTokens: 3, outputAudioTokens: 4 * tokens });
  }
  return { database, call, turn, usage };
}

describe.each(ENGINES)('call metrics on %s', (engine) => {
  const skip = engine === 'postgres' && !hasPostgres;

  it.skipIf(skip)('counts the last 24 h of calls by outcome and leaves older calls out', async () => {
    const { database, call } = await seeded(engine);
    await call({ ageMs: 3_600_000, outcome: 'resolved' });
    await call({ ageMs: 7_200_000, outcome: 'resolved' });
    await call({ ageMs: 60_000, outcome: 'abandoned' });
    await call({ ageMs: 30_000 });
    await call({ ageMs: METRICS_WINDOW_MS + 60_000, outcome: 'resolved' });
    const metrics = await readCallMetrics(database, NOW_MS);
    expect(metrics.since).toEqual(new Date(NOW_MS - METRICS_WINDOW_MS));
    expect(metrics.callsByOutcome).toEqual({ resolved: 2, escalated: 0, abandoned: 1, failed: 0 });
    expect(metrics.unfinishedCalls).toBe(1);
  });

  it.skipIf(skip)('counts escalations by reason, a call without one under none', async () => {
    const { database, call } = await seeded(engine);
    await call({ ageMs: 1000, outcome: 'escalated', reason: 'delivery_exception' });
    await call({ ageMs: 2000, outcome: 'escalated', reason: 'delivery_exception' });
    await call({ ageMs: 3000, outcome: 'escalated', reason: 'caller_requested_human' });
    await call({ ageMs: 4000, outcome: 'escalated', reason: null });
    await call({ ageMs: 5000, outcome: 'resolved', reason: 'other' });
    const metrics = await readCallMetrics(database, NOW_MS);
    expect(metrics.escalationsByReason).toEqual({ delivery_exception: 2, caller_requested_human: 1, none: 1 });
    expect(metrics.callsByOutcome.escalated).toBe(4);
  });

  it.skipIf(skip)('computes p50 and p95 turn latency over the turns that have one', async () => {
    const { database, call, turn } = await seeded(engine);
    const recent = await call({ ageMs: 1000, outcome: 'resolved' });
    for (let seq = 1; seq <= 20; seq++) await turn(recent, seq, seq * 100);
    await turn(recent, 21, null);
    const old = await call({ ageMs: METRICS_WINDOW_MS + 1000, outcome: 'resolved' });
    await turn(old, 1, 90_000);
    const metrics = await readCallMetrics(database, NOW_MS);
    // percentile_cont interpolates: over 100..2000 ms the median is 1050 ms and p95 is 1905 ms.
    expect(metrics.turnLatency).toEqual({ p50Ms: 1050, p95Ms: 1905, turns: 20 });
  });

  it.skipIf(skip)('reports no latency quantiles when no turn has a latency', async () => {
    const { database, call, turn } = await seeded(engine);
    await turn(await call({ ageMs: 1000 }), 1, null);
    expect((await readCallMetrics(database, NOW_MS)).turnLatency).toEqual({ p50Ms: null, p95Ms: null, turns: 0 });
  });

  it.skipIf(skip)('sums tokens per usage kind and token type', async () => {
    const { database, call, usage } = await seeded(engine);
    const first = await call({ ageMs: 1000, outcome: 'resolved' });
    const second = await call({ ageMs: 2000, outcome: 'resolved' });
    await usage(first, 'resp_1', 'response', 10);
    await usage(second, 'resp_2', 'response', 5);
    await usage(first, 'transcription:item_1', 'transcription', 7);
    await usage(await call({ ageMs: METRICS_WINDOW_MS + 1000 }), 'resp_old', 'response', 1000);
    const metrics = await readCallMetrics(database, NOW_MS);
    expect(metrics.tokensByKind).toEqual({
      response: { inputText: 15, inputAudio: 30, cachedText: 0, cachedAudio: 2, outputText: 6, outputAudio: 60 },
      transcription: { inputText: 7, inputAudio: 14, cachedText: 0, cachedAudio: 1, outputText: 3, outputAudio: 28 },
    });
  });
});
