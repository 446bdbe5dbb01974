// Writes a finished call through CallRecords as the service does: turns, tool calls, the recording, then the outcome
// with its Gorgias job (an escalation, or a resolved call's log) in one transaction. Free of vitest, so the benchmark uses it too.
import { gorgiasJobsFor } from '../../../src/helpdesk/outbox-worker.ts';
import type { CallEnding, CallRecords, TurnRecord } from '../../../src/store/call-records.ts';
import { BRAND_NUMBER, CALLER_NUMBER, wismoTools, wismoTurns } from './escalated-calls.ts';

export type SeedCall = { id: string; turns?: readonly TurnRecord[]; ending?: Partial<CallEnding>; fromNumber?: string; deadlineHours?: number };

/** Seeds the call ending at `nowMs`; returns its job id. */
export async function seedEscalatedCall(calls: CallRecords, seed: SeedCall, nowMs: number): Promise<string> {
  const startedAt = new Date(nowMs - 300_000);
  await calls.createCall({ id: seed.id, callSid: `CA${seed.id}`, fromNumber: seed.fromNumber ?? CALLER_NUMBER, toNumber: BRAND_NUMBER, startedAt, model: 'gpt-realtime' });
  await calls.markLive(seed.id, `MZ${seed.id}`, new Date(startedAt.getTime() + 1_000));
  for (const turn of seed.turns ?? wismoTurns) await calls.appendTurn(seed.id, turn);
  for (const tool of wismoTools) await calls.recordToolCall(seed.id, tool);
  await calls.setRecordingUrl(`CA${seed.id}`, 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1');
  const endedAt = new Date(nowMs);
  const ending: CallEnding = {
    endedAt,
    endedBy: 'agent',
    outcome: 'escalated',
    reason: 'delivery_exception',
    intent: 'wismo',
    summary: 'Parcel for #1001 marked delivered but not received.',
    callerWants: 'A replacement.',
    isVerified: true,
    handoff: null,
    details: { ordersDiscussed: [{ name: '#1001', status: 'delivered' }], actions: [{ kind: 'sms_sent', detail: 'tracking link' }], callerName: 'Jane Caller', verifiedEmail: 'jane@example.com' },
    ...seed.ending,
  };
  const jobs = gorgiasJobsFor(ending, { newId: () => `job_${seed.id}`, deadlineHours: seed.deadlineHours ?? 24, logResolvedCalls: true });
  await calls.recordOutcome(seed.id, ending, jobs);
  return `job_${seed.id}`;
}
