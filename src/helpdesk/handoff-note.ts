// The internal note a hand-off result adds to the call's ticket once the call is over: the transfer answered or not,
// a voicemail left, a recording. Pure: the job's payload and the call in, a plan out; it never plans a ticket.
import { z } from 'zod';
import type { CallRecord, HandoffResult } from '../store/call-records.ts';
import { assertNever } from '../shared/assert-never.ts';
import { callGetsTicket, ticketExternalId, type EscalationConfig } from './escalation-mapper.ts';
import { escapeHtml } from './escalation-note.ts';
import type { CreateMessageInput } from './gorgias-request-codec.ts';

const isoDatetime = z.iso.datetime();
const seconds = z.number().int().min(0).nullable();

/** A `gorgias_handoff_note` job's payload as stored: a `HandoffResult` with its time as an ISO string. */
export const handoffNotePayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transfer'), at: isoDatetime, dialStatus: z.string().min(1), isConnected: z.boolean(), talkSeconds: seconds }),
  z.object({ kind: z.literal('voicemail'), at: isoDatetime, durationSeconds: seconds }),
  z.object({ kind: z.literal('recording'), at: isoDatetime, recordingUrl: z.string().min(1) }),
]);
export type HandoffNotePayload = z.output<typeof handoffNotePayloadSchema>;

export function handoffNotePayload(result: HandoffResult): Record<string, unknown> {
  return { ...result, at: result.at.toISOString() };
}

/** One note per result: Twilio repeating a webhook yields the same key, so the store writes the job once. */
export function handoffDedupeKey(result: HandoffResult): string {
  switch (result.kind) {
    case 'transfer':
    case 'voicemail':
      return result.kind;
    case 'recording':
      return `recording:${result.recordingUrl}`;
    default:
      return assertNever(result, 'hand-off result');
  }
}

export type HandoffNotePlan =
  | {
      kind: 'deliver';
      /** The call's ticket, found by the external id its own job created it with (gorgias-rest-api.md, 14). */
      ticketExternalId: string;
      /** Carries the job's marker as `externalId`, so a resumed job can tell whether the note already landed. */
      note: CreateMessageInput;
    }
  /** The call has not ended yet: its ticket job is still to be born. */
  | { kind: 'wait'; why: string }
  | { kind: 'skip'; why: string };

export type HandoffNoteInput = { call: CallRecord; payload: HandoffNotePayload; jobId: string };

const E164 = /^\+[1-9]\d{6,14}$/;
const TITLE = 'AI phone agent: after the call';

export function planHandoffNote(input: HandoffNoteInput, config: Pick<EscalationConfig, 'botUserId' | 'logResolvedCalls'>): HandoffNotePlan {
  const { call, payload } = input;
  if (call.phase !== 'ended' || call.outcome === null) return { kind: 'wait', why: 'the call has not ended yet' };
  if (!callGetsTicket(call.outcome, config.logResolvedCalls)) return { kind: 'skip', why: `a call ${call.outcome} has no ticket to note` };
  const externalId = ticketExternalId(call);
  const body = renderHandoffNote(payload, E164.test(call.fromNumber) ? call.fromNumber : null);
  return {
    kind: 'deliver',
    ticketExternalId: externalId,
    note: {
      channel: 'internal-note',
      via: 'api',
      fromAgent: true,
      isPublic: false,
      sender: { id: config.botUserId },
      source: { type: 'internal-note' },
      bodyText: body.text,
      bodyHtml: body.html,
      externalId: `${externalId}:handoff:${input.jobId}`,
      createdDatetime: payload.at,
      sentDatetime: payload.at,
    },
  };
}

type Line = { label: string; value: string; isLink?: boolean };

/** The note as plain text and HTML: "Transfer to the team: no answer", "Call back on: +1…", "Recording: <url>". */
export function renderHandoffNote(payload: HandoffNotePayload, callBackOn: string | null): { text: string; html: string } {
  const lines = handoffLines(payload, callBackOn);
  const text = [TITLE, ...lines.map((line) => `${line.label}: ${line.value}`)].join('\n');
  const html = [`<p><strong>${escapeHtml(TITLE)}</strong></p>`, ...lines.map(lineHtml)].join('');
  return { text, html };
}

function handoffLines(payload: HandoffNotePayload, callBackOn: string | null): Line[] {
  const callBack = callBackOn ? [{ label: 'Call back on', value: callBackOn }] : [];
  switch (payload.kind) {
    case 'transfer':
      if (payload.isConnected) {
        const talk = payload.talkSeconds === null ? '' : `, on the line ${duration(payload.talkSeconds)}`;
        return [{ label: 'Transfer to the team', value: `answered${talk}` }];
      }
      return [{ label: 'Transfer to the team', value: DIAL_LABELS[payload.dialStatus] ?? payload.dialStatus.replaceAll('-', ' ') }, ...callBack];
    case 'voicemail':
      return [{ label: 'Voicemail', value: payload.durationSeconds === null ? 'left' : `left (${duration(payload.durationSeconds)})` }, ...callBack];
    case 'recording':
      return [{ label: 'Recording', value: payload.recordingUrl, isLink: true }];
    default:
      return assertNever(payload, 'hand-off payload');
  }
}

// Twilio's DialCallStatus values for a transfer nobody took (twilio-and-shopify.md, A1).
const DIAL_LABELS: Readonly<Record<string, string>> = {
  'no-answer': 'no answer',
  busy: 'the line was busy',
  failed: 'the call could not be placed',
  canceled: 'canceled before anyone answered',
};

function duration(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  return minutes > 0 ? `${minutes} min ${totalSeconds % 60} s` : `${totalSeconds} s`;
}

function lineHtml(line: Line): string {
  const label = `<strong>${escapeHtml(line.label)}:</strong>`;
  const value = escapeHtml(line.value);
  // Only http(s) becomes a link, so a stored URL can never smuggle a script into the agent's view.
  return line.isLink && /^https?:\/\//.test(line.value) ? `<p>${label} <a href="${value}">${value}</a></p>` : `<p>${label} ${value}</p>`;
}
