import { describe, expect, it, onTestFinished } from 'vitest';
import { CallRecords } from '../../src/store/call-records.ts';
import { ENGINES, isPostgresReachable, openTestDatabase, type Engine } from '../support/databases.ts';

const hasPostgres = await isPostgresReachable();

async function records(engine: Engine) {
  const database = await openTestDatabase(engine);
  onTestFinished(() => database.close());
  return { database, calls: new CallRecords(database) };
}

const ending = {
  endedAt: new Date('2026-11-20T10:05:00Z'),
  endedBy: 'agent',
  outcome: 'escalated' as const,
  reason: 'delivery_exception',
  intent: 'wismo',
  summary: 'Parcel marked delivered but not received.',
  callerWants: 'a replacement',
  isVerified: true,
  handoff: null,
  details: { orders: ['#1001'] },
};

describe.each(ENGINES)('call records on %s', (engine) => {
  it.skipIf(engine === 'postgres' && !hasPostgres)('keeps one call per CallSid when Twilio retries the webhook', async () => {
    const { calls } = await records(engine);
    const call = { id: 'call_1', callSid: 'CA0001', fromNumber: '+14155550100', toNumber: '+18005550199', startedAt: new Date(), model: 'gpt-realtime' };
    expect(await calls.createCall(call)).toEqual({ id: 'call_1', isNew: true });
    expect(await calls.createCall({ ...call, id: 'call_2' })).toEqual({ id: 'call_1', isNew: false });
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('writes the outcome and its escalation job together, once', async () => {
    const { calls, database } = await records(engine);
    await calls.createCall({ id: 'call_1', callSid: 'CA0001', fromNumber: '+14155550100', toNumber: '+18005550199', startedAt: new Date(), model: 'gpt-realtime' });
    await calls.markLive('call_1', 'MZ0001', new Date());
    await calls.appendTurn('call_1', { seq: 1, speaker: 'agent', text: 'Hi, thanks for calling.', startedMs: 0, endedMs: 1800, isInterrupted: false, latencyMs: null, itemId: 'item_1' });
    await calls.appendTurn('call_1', { seq: 2, speaker: 'caller', text: 'Where is my order?', startedMs: 2100, endedMs: 3400, isInterrupted: false, latencyMs: null, itemId: 'item_2' });
    const job = { id: 'job_1', kind: 'gorgias_escalation', payload: {}, deadlineAt: new Date('2026-11-21T10:05:00Z') };
    expect(await calls.recordOutcome('call_1', ending, [job])).toBe(true);
    expect(await calls.recordOutcome('call_1', { ...ending, outcome: 'resolved' }, [{ ...job, id: 'job_2' }])).toBe(false);

    const stored = await calls.getCall('call_1');
    expect(stored).toMatchObject({ phase: 'ended', outcome: 'escalated', reason: 'delivery_exception', streamSid: 'MZ0001', details: { orders: ['#1001'] } });
    expect((await calls.listTurns('call_1')).map((turn) => turn.speaker)).toEqual(['agent', 'caller']);
    const jobs = await database.query('select id, status from outbox where call_id = $1', ['call_1']);
    expect(jobs.rows).toEqual([{ id: 'job_1', status: 'pending' }]);
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('rolls back the outcome when the job cannot be written', async () => {
    const { calls } = await records(engine);
    await calls.createCall({ id: 'call_1', callSid: 'CA0001', fromNumber: '+14155550100', toNumber: '+18005550199', startedAt: new Date(), model: 'gpt-realtime' });
    const badJob = { id: 'job_1', kind: 'gorgias_escalation', payload: {}, deadlineAt: new Date(Number.NaN) };
    await expect(calls.recordOutcome('call_1', ending, [badJob])).rejects.toThrow();
    expect((await calls.getCall('call_1'))?.phase).toBe('ringing');
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('sums token usage per call', async () => {
    const { calls } = await records(engine);
    await calls.createCall({ id: 'call_1', callSid: 'CA0001', fromNumber: '+14155550100', toNumber: '+18005550199', startedAt: new Date(), model: 'gpt-realtime' });
    const usage = { kind: 'response' as const, inputTextTokens: 100, inputAudioTokens: 20, cachedTextTokens: 50, cachedAudioTokens: 0, outputTextTokens: 10, outputAudioTokens: 90 };
    await calls.recordUsage('call_1', { responseId: 'resp_1', ...usage });
    await calls.recordUsage('call_1', { responseId: 'resp_2', ...usage });
    await calls.recordUsage('call_1', { responseId: 'resp_2', ...usage });
    expect(await calls.usageTotals('call_1')).toMatchObject({ inputTextTokens: 200, outputAudioTokens: 180, cachedTextTokens: 100 });
  });
});
