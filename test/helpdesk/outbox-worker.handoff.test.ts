import { describe, expect, it } from 'vitest';
import type { DeliveryPort } from '../../src/helpdesk/escalation-delivery.ts';
import type { GorgiasClient } from '../../src/helpdesk/gorgias-client.ts';
import { gorgiasHandoffJobsFor, gorgiasJobsFor } from '../../src/helpdesk/outbox-worker.ts';
import type { CallEnding, CallRecord, HandoffResult } from '../../src/store/call-records.ts';
import { BRAND_NUMBER, CALLER_NUMBER } from './support/escalated-calls.ts';
import { startWorkerHarness } from './support/worker-harness.ts';

type Harness = Awaited<ReturnType<typeof startWorkerHarness>>;

const JOB_OPTIONS = { deadlineHours: 1, logResolvedCalls: false };

function unanswered(nowMs: number): HandoffResult {
  return { kind: 'transfer', at: new Date(nowMs), dialStatus: 'no-answer', isConnected: false, talkSeconds: null };
}

/** Records a hand-off result the way app.ts does: the call's update and its note job in one transaction. */
async function recordHandoff(harness: Harness, callId: string, result: HandoffResult, noteId = `note_${callId}`) {
  return harness.calls.recordHandoff(`CA${callId}`, result, (call) => gorgiasHandoffJobsFor(call, result, { ...JOB_OPTIONS, newId: () => noteId }));
}

/** A call the session has not ended yet: ringing, then live. */
async function liveCall(harness: Harness, callId: string): Promise<void> {
  const startedAt = new Date(harness.clock.now() - 60_000);
  await harness.calls.createCall({ id: callId, callSid: `CA${callId}`, fromNumber: CALLER_NUMBER, toNumber: BRAND_NUMBER, startedAt, model: 'gpt-realtime' });
  await harness.calls.markLive(callId, `MZ${callId}`, startedAt);
}

function ending(harness: Harness, outcome: CallEnding['outcome']): CallEnding {
  return { endedAt: new Date(harness.clock.now()), endedBy: 'transfer', outcome, reason: outcome === 'escalated' ? 'caller_requested_human' : null, intent: 'other', summary: 'Asked for a person.', callerWants: null, isVerified: false, handoff: 'transfer', details: {} };
}

function notesOf(harness: Harness): string[] {
  const [ticket] = harness.twin.tickets();
  return ticket ? harness.twin.messages(ticket.id).filter((message) => message.channel === 'internal-note').map((message) => message.body_text ?? '') : [];
}

/** The real client, with the note's POST wrapped to script what happens around it. */
function aroundNotePost(client: GorgiasClient, around: (post: () => ReturnType<GorgiasClient['createMessage']>) => ReturnType<GorgiasClient['createMessage']>): DeliveryPort {
  return { ...client, createMessage: (ticketId, input, options) => around(() => client.createMessage(ticketId, input, options)) };
}

const NO_ANSWER_NOTE = `AI phone agent: after the call\nTransfer to the team: no answer\nCall back on: ${CALLER_NUMBER}`;

describe('outbox worker: hand-off notes', () => {
  it('appends the note to the ticket the call’s own job created, marked with its job, in two requests', async () => {
    const harness = await startWorkerHarness();
    await harness.seedCall({ id: 'n1' });
    const worker = harness.newWorker();
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    const before = harness.twin.requests().length;

    expect(await recordHandoff(harness, 'n1', unanswered(harness.clock.now()))).toMatchObject({ jobsWritten: 1, call: { handoff: 'transfer_no-answer' } });
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    const [ticket] = harness.twin.tickets();
    expect(harness.twin.tickets()).toHaveLength(1);
    const note = harness.twin.messages(ticket!.id).at(-1);
    expect(note).toMatchObject({ channel: 'internal-note', from_agent: true, public: false, sender: { id: harness.twin.botUserId }, external_id: 'aicall:CAn1:handoff:note_n1' });
    expect(note?.body_text).toBe(NO_ANSWER_NOTE);
    expect(harness.twin.requests().slice(before).map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/tickets', `POST /api/tickets/${ticket!.id}/messages`]);
    expect(await harness.store.get('note_n1')).toMatchObject({ status: 'done', steps: { ticketId: ticket!.id, how: 'created', isNoteSent: true } });
    expect(harness.twin.deliveries()).toEqual([]);
  });

  it('waits while the call has not ended, then lands after the ticket its outcome brings', async () => {
    const harness = await startWorkerHarness();
    await liveCall(harness, 'n2');
    await recordHandoff(harness, 'n2', unanswered(harness.clock.now()));
    const worker = harness.newWorker();
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, waiting: 1 });
    expect(await harness.store.get('note_n2')).toMatchObject({ status: 'pending', lastError: 'waiting: the call has not ended yet' });
    expect(harness.twin.requests()).toEqual([]);
    expect(harness.captured.events('outbox.delivery.waiting')).toMatchObject([{ jobId: 'note_n2', why: 'the call has not ended yet' }]);

    const ended = ending(harness, 'escalated');
    // The dial result came first: the outcome keeps it rather than the session's "transfer".
    await harness.calls.recordOutcome('n2', ended, gorgiasJobsFor(ended, { ...JOB_OPTIONS, newId: () => 'ticket_n2' }));
    expect((await harness.calls.getCall('n2'))?.handoff).toBe('transfer_no-answer');
    harness.clock.advance(10_000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(harness.twin.tickets()).toHaveLength(1);
    expect(notesOf(harness)).toEqual([expect.stringContaining('Hand-off: Transfer not connected (no-answer): call back'), NO_ANSWER_NOTE]);
  });

  it('never creates the ticket itself: without one it waits, and is parked as dead at its deadline', async () => {
    const harness = await startWorkerHarness({ allowedProblems: ['outbox.delivery.dead'] });
    await liveCall(harness, 'n3');
    // An ended escalation whose ticket job is gone (delivered elsewhere, or deleted by hand).
    await harness.calls.recordOutcome('n3', ending(harness, 'escalated'));
    await recordHandoff(harness, 'n3', unanswered(harness.clock.now()));
    const worker = harness.newWorker();
    expect(await worker.runOnce()).toMatchObject({ waiting: 1 });
    expect(await harness.store.get('note_n3')).toMatchObject({ status: 'pending', lastError: 'waiting: the call ticket does not exist yet' });
    harness.clock.advance(3_600_000);
    expect(await worker.runOnce()).toMatchObject({ dead: 1 });
    expect(await harness.store.get('note_n3')).toMatchObject({ status: 'dead', lastError: 'waited until the deadline: the call ticket does not exist yet' });
    expect(harness.twin.tickets()).toEqual([]);
    expect(harness.twin.requests().every((request) => request.method === 'GET')).toBe(true);
  });

  it('skips the note of a call that ended without a ticket', async () => {
    const harness = await startWorkerHarness();
    await liveCall(harness, 'n4');
    await recordHandoff(harness, 'n4', { kind: 'recording', at: new Date(harness.clock.now()), recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE4' });
    await harness.calls.recordOutcome('n4', { ...ending(harness, 'abandoned'), handoff: null });
    expect(await harness.newWorker().runOnce()).toMatchObject({ delivered: 1 });
    expect(await harness.store.get('note_n4')).toMatchObject({ status: 'done' });
    expect(harness.captured.events('outbox.delivery.skipped')).toMatchObject([{ jobId: 'note_n4', why: 'a call abandoned has no ticket to note' }]);
    expect(harness.twin.requests()).toEqual([]);
  });

  it('posts one note when Gorgias stores it but the answer is lost', async () => {
    const harness = await startWorkerHarness();
    await harness.seedCall({ id: 'n5' });
    await harness.newWorker().runOnce();
    await recordHandoff(harness, 'n5', unanswered(harness.clock.now()));
    const worker = harness.newWorker({ gorgias: aroundNotePost(harness.newClient(), (post) => (harness.twin.acceptThenDrop(1), post())) });
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(notesOf(harness)).toEqual([expect.stringContaining('Why escalated'), NO_ANSWER_NOTE]);
    expect(harness.twin.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/messages')).map((request) => request.outcome)).toEqual(['dropped']);
  });

  it('survives the process dying after Gorgias stored the note: the next worker finds it by its marker', async () => {
    const harness = await startWorkerHarness();
    await harness.seedCall({ id: 'n6' });
    await harness.newWorker().runOnce();
    await recordHandoff(harness, 'n6', unanswered(harness.clock.now()));
    let markPosted: () => void = () => undefined;
    const posted = new Promise<void>((resolve) => (markPosted = resolve));
    const dying = harness.newWorker({
      gorgias: aroundNotePost(harness.newClient(), async (post) => {
        await post();
        markPosted();
        return new Promise(() => undefined);
      }),
    });
    void dying.runOnce();
    await posted;

    const restarted = harness.newWorker();
    expect(await restarted.runOnce()).toMatchObject({ claimed: 0 });
    harness.clock.advance(61_000);
    expect(await restarted.runOnce()).toMatchObject({ delivered: 1 });
    expect(notesOf(harness)).toEqual([expect.stringContaining('Why escalated'), NO_ANSWER_NOTE]);
    expect(await harness.store.get('note_n6')).toMatchObject({ status: 'done', attempts: 2, steps: { how: 'found' } });
  });
});

describe('which hand-off results get a note job', () => {
  const call = (phase: CallRecord['phase'], outcome: CallRecord['outcome']) => ({ phase, outcome });
  const result = unanswered(Date.parse('2026-11-20T10:05:00Z'));

  it.each([
    ['an ended escalation', call('ended', 'escalated'), false, 1],
    ['a call still live (its outcome may be on its way)', call('live', null), false, 1],
    ['a resolved call', call('ended', 'resolved'), false, 0],
    ['a resolved call with LOG_RESOLVED_CALLS', call('ended', 'resolved'), true, 1],
    ['an abandoned call', call('ended', 'abandoned'), false, 0],
    ['a failed call', call('ended', 'failed'), false, 0],
  ])('%s', (_name, stored, logResolvedCalls, count) => {
    expect(gorgiasHandoffJobsFor(stored, result, { newId: () => 'job_1', deadlineHours: 24, logResolvedCalls })).toHaveLength(count);
  });

  it('keys the job by what happened, so a repeated webhook maps to the same job', () => {
    const options = { newId: () => 'job_1', deadlineHours: 24, logResolvedCalls: false };
    const ended = call('ended', 'escalated');
    const recording = { kind: 'recording' as const, at: result.at, recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1' };
    expect(gorgiasHandoffJobsFor(ended, result, options)).toEqual([
      { id: 'job_1', kind: 'gorgias_handoff_note', payload: { kind: 'transfer', at: '2026-11-20T10:05:00.000Z', dialStatus: 'no-answer', isConnected: false, talkSeconds: null }, deadlineAt: new Date('2026-11-21T10:05:00Z'), dedupeKey: 'transfer' },
    ]);
    expect(gorgiasHandoffJobsFor(ended, recording, options)[0]?.dedupeKey).toBe(`recording:${recording.recordingUrl}`);
  });
});
