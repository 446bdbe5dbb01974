import { describe, expect, it } from 'vitest';
import { handoffNotePayload, handoffNotePayloadSchema, planHandoffNote, renderHandoffNote, type HandoffNotePayload } from '../../src/helpdesk/handoff-note.ts';
import { encodeCreateMessage } from '../../src/helpdesk/gorgias-request-codec.ts';
import type { HandoffResult } from '../../src/store/call-records.ts';
import { CALLER_NUMBER, callRecord, escalationConfig } from './support/escalated-calls.ts';

const AT = '2026-11-20T10:06:00.000Z';
const RECORDING = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1';

describe('hand-off note: what the support agent reads', () => {
  it.each<[string, HandoffNotePayload, string[]]>([
    ['a transfer answered', { kind: 'transfer', at: AT, dialStatus: 'completed', isConnected: true, talkSeconds: 135 }, ['Transfer to the team: answered, on the line 2 min 15 s']],
    ['a transfer answered, length unknown', { kind: 'transfer', at: AT, dialStatus: 'answered', isConnected: true, talkSeconds: null }, ['Transfer to the team: answered']],
    ['a transfer nobody took', { kind: 'transfer', at: AT, dialStatus: 'no-answer', isConnected: false, talkSeconds: null }, ['Transfer to the team: no answer', `Call back on: ${CALLER_NUMBER}`]],
    ['a busy line', { kind: 'transfer', at: AT, dialStatus: 'busy', isConnected: false, talkSeconds: null }, ['Transfer to the team: the line was busy', `Call back on: ${CALLER_NUMBER}`]],
    ['a dial status Twilio adds later', { kind: 'transfer', at: AT, dialStatus: 'rerouted-elsewhere', isConnected: false, talkSeconds: null }, ['Transfer to the team: rerouted elsewhere', `Call back on: ${CALLER_NUMBER}`]],
    ['a voicemail', { kind: 'voicemail', at: AT, durationSeconds: 42 }, ['Voicemail: left (42 s)', `Call back on: ${CALLER_NUMBER}`]],
    ['a voicemail of unknown length', { kind: 'voicemail', at: AT, durationSeconds: null }, ['Voicemail: left', `Call back on: ${CALLER_NUMBER}`]],
    ['a recording', { kind: 'recording', at: AT, recordingUrl: RECORDING }, [`Recording: ${RECORDING}`]],
  ])('%s', (_name, payload, lines) => {
    expect(renderHandoffNote(payload, CALLER_NUMBER).text).toBe(['AI phone agent: after the call', ...lines].join('\n'));
  });

  it('leaves out "call back on" when the number was withheld, and links only http(s) recordings', () => {
    expect(renderHandoffNote({ kind: 'voicemail', at: AT, durationSeconds: 3 }, null).text).toBe('AI phone agent: after the call\nVoicemail: left (3 s)');
    expect(renderHandoffNote({ kind: 'recording', at: AT, recordingUrl: RECORDING }, null).html).toContain(`<a href="${RECORDING}">`);
    const hostile = renderHandoffNote({ kind: 'recording', at: AT, recordingUrl: 'javascript:alert("x")<b>' }, null).html;
    expect(hostile).not.toContain('<a ');
    expect(hostile).toContain('javascript:alert(&quot;x&quot;)&lt;b&gt;');
  });

  it('round-trips a result through the job payload', () => {
    const results: HandoffResult[] = [
      { kind: 'transfer', at: new Date(AT), dialStatus: 'no-answer', isConnected: false, talkSeconds: null },
      { kind: 'voicemail', at: new Date(AT), durationSeconds: 9 },
      { kind: 'recording', at: new Date(AT), recordingUrl: RECORDING },
    ];
    for (const result of results) expect(handoffNotePayloadSchema.parse(JSON.parse(JSON.stringify(handoffNotePayload(result))))).toEqual({ ...result, at: AT });
    expect(handoffNotePayloadSchema.safeParse({ kind: 'transfer', at: 'yesterday' }).success).toBe(false);
  });
});

describe('hand-off note: the plan', () => {
  const payload: HandoffNotePayload = { kind: 'transfer', at: AT, dialStatus: 'no-answer', isConnected: false, talkSeconds: null };

  it('is an internal note from the bot user, marked with its job, on the call’s ticket', () => {
    const plan = planHandoffNote({ call: callRecord(), payload, jobId: 'job_7' }, escalationConfig);
    expect(plan).toMatchObject({ kind: 'deliver', ticketExternalId: 'aicall:CA5f1e0c2a' });
    if (plan.kind !== 'deliver') return;
    expect(plan.note).toMatchObject({
      channel: 'internal-note',
      via: 'api',
      fromAgent: true,
      isPublic: false,
      sender: { id: escalationConfig.botUserId },
      externalId: 'aicall:CA5f1e0c2a:handoff:job_7',
      createdDatetime: AT,
      sentDatetime: AT,
    });
    expect(encodeCreateMessage(plan.note).ok).toBe(true);
  });

  it.each([
    ['waits while the call is live', callRecord({ phase: 'live', outcome: null, endedAt: null }), false, 'wait'],
    ['delivers for an escalation', callRecord(), false, 'deliver'],
    ['skips a resolved call that has no ticket', callRecord({ outcome: 'resolved' }), false, 'skip'],
    ['delivers for a resolved call logged with LOG_RESOLVED_CALLS', callRecord({ outcome: 'resolved' }), true, 'deliver'],
    ['skips an abandoned call', callRecord({ outcome: 'abandoned' }), false, 'skip'],
  ] as const)('%s', (_name, call, logResolvedCalls, kind) => {
    expect(planHandoffNote({ call, payload, jobId: 'job_1' }, { ...escalationConfig, logResolvedCalls }).kind).toBe(kind);
  });
});
