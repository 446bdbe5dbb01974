import { describe, expect, it, onTestFinished } from 'vitest';
import { CallRecords, type CallEnding, type HandoffResult, type OutboxJobSeed } from '../../src/store/call-records.ts';
import { ENGINES, isPostgresReachable, openTestDatabase, type Engine } from '../support/databases.ts';

const hasPostgres = await isPostgresReachable();

async function records(engine: Engine) {
  const database = await openTestDatabase(engine);
  onTestFinished(() => database.close());
  const calls = new CallRecords(database);
  await calls.createCall({ id: 'call_1', callSid: 'CA0001', fromNumber: '+14155550100', toNumber: '+18005550199', startedAt: new Date('2026-11-20T10:00:00Z'), model: 'gpt-realtime' });
  await calls.markLive('call_1', 'MZ0001', new Date('2026-11-20T10:00:01Z'));
  const jobsIn = async () => (await database.query('select id, kind, dedupe_key from outbox order by id')).rows;
  return { calls, jobsIn };
}

const at = new Date('2026-11-20T10:06:00Z');
const noAnswer: HandoffResult = { kind: 'transfer', at, dialStatus: 'no-answer', isConnected: false, talkSeconds: null };
const ending: CallEnding = {
  endedAt: new Date('2026-11-20T10:05:00Z'),
  endedBy: 'transfer',
  outcome: 'escalated',
  reason: 'caller_requested_human',
  intent: 'other',
  summary: 'Asked for a person.',
  callerWants: null,
  isVerified: false,
  handoff: 'transfer',
  details: {},
};
const note = (id: string, dedupeKey: string): OutboxJobSeed => ({ id, kind: 'gorgias_handoff_note', payload: {}, deadlineAt: new Date('2026-11-21T10:06:00Z'), dedupeKey });

describe.each(ENGINES)('hand-off results on %s', (engine) => {
  it.skipIf(engine === 'postgres' && !hasPostgres)('stores the result and its note job together, and a repeated webhook adds no second job', async () => {
    const { calls, jobsIn } = await records(engine);
    await calls.recordOutcome('call_1', ending);
    const seen: string[] = [];
    const first = await calls.recordHandoff('CA0001', noAnswer, (call) => (seen.push(`${call.phase}:${call.handoff}`), [note('job_1', 'transfer')]));
    expect(first).toMatchObject({ jobsWritten: 1, call: { id: 'call_1', handoff: 'transfer_no-answer' } });
    // The job is decided on the call as the update left it.
    expect(seen).toEqual(['ended:transfer_no-answer']);
    expect(await calls.recordHandoff('CA0001', noAnswer, () => [note('job_2', 'transfer')])).toMatchObject({ jobsWritten: 0 });
    expect(await jobsIn()).toEqual([{ id: 'job_1', kind: 'gorgias_handoff_note', dedupe_key: 'transfer' }]);
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('stores a recording without touching the hand-off; several notes of one call sit beside its ticket job', async () => {
    const { calls, jobsIn } = await records(engine);
    await calls.recordOutcome('call_1', ending, [{ id: 'job_0', kind: 'gorgias_escalation', payload: {}, deadlineAt: new Date('2026-11-21T10:05:00Z') }]);
    const recordingUrl = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1';
    await calls.recordHandoff('CA0001', { kind: 'recording', at, recordingUrl }, () => [note('job_1', `recording:${recordingUrl}`)]);
    expect(await calls.getCall('call_1')).toMatchObject({ handoff: 'transfer', recordingUrl });
    await calls.recordHandoff('CA0001', { kind: 'voicemail', at, durationSeconds: 12 }, () => [note('job_2', 'voicemail')]);
    expect(await calls.getCall('call_1')).toMatchObject({ handoff: 'voicemail', recordingUrl });
    expect((await jobsIn()).map((job) => job.id)).toEqual(['job_0', 'job_1', 'job_2']);
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('keeps a dial result that landed before the session stored the outcome', async () => {
    const { calls } = await records(engine);
    await calls.recordHandoff('CA0001', { ...noAnswer, dialStatus: 'busy' });
    await calls.recordOutcome('call_1', ending);
    expect((await calls.getCall('call_1'))?.handoff).toBe('transfer_busy');
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('answers undefined for a CallSid it does not know, and writes nothing', async () => {
    const { calls, jobsIn } = await records(engine);
    expect(await calls.recordHandoff('CA9999', noAnswer, () => [note('job_1', 'transfer')])).toBeUndefined();
    expect(await jobsIn()).toEqual([]);
  });
});
