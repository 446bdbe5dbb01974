// What the escalation stories share: scripted model turns that escalate, business hours that are open or closed now,
// and a wait for the Gorgias twin to hold the ticket. The outbox delivers on its own schedule, so the wait watches
// the twin's state (vi.waitFor) rather than sleeping.
import twilio from 'twilio';
import { vi } from 'vitest';
import type { CallRecord } from '../../../src/store/call-records.ts';
import { defineScenario, type StepContext } from '../../../src/twins/openai-realtime/scenario.ts';
import type { MessageView, TicketView } from '../../../src/twins/gorgias/wire-views.ts';
import type { TwilioCaller } from '../../../src/twins/twilio/twilio-caller.ts';
import { storedOutcome, type TestBridge } from '../../support/test-bridge.ts';

export const TEAM_NUMBER = '+14155550142';
export const ASK_FOR_A_PERSON = 'A person, please.';
export const GREETING = 'Hi, how can I help?';
export const TRANSFER_LINE = 'Connecting you now.';
export const ESCALATION_SUMMARY = 'The caller asked for a person about a damaged parcel.';
export const CALLER_WANTS = 'A teammate to look at the damaged parcel.';

/** In hours with a team number: the escalate tool transfers the caller. */
export const OPEN_HOURS = { BUSINESS_HOURS: 'mon-sun 00:00-24:00', HUMAN_TRANSFER_NUMBER: TEAM_NUMBER } as const;

/** A one-hour window two days from now (UTC): closed whenever the test runs. */
export function closedHours(now: Date = new Date()): Record<string, string> {
  const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(now.getUTCDay() + 2) % 7] ?? 'sun';
  return { BUSINESS_HOURS: `${day} 09:00-10:00`, BUSINESS_TIMEZONE: 'UTC', HUMAN_TRANSFER_NUMBER: TEAM_NUMBER };
}

/** What the scripted model says after the escalate tool chose between a transfer and a follow-up. */
export function handoffLine(context: StepContext): string {
  const output = context.lastToolOutput;
  const handoff = typeof output === 'object' && output !== null ? Reflect.get(output, 'handoff') : undefined;
  return handoff === 'transfer' ? TRANSFER_LINE : 'The team will call you back. Bye.';
}

export const askForAPersonScenario = defineScenario({
  greeting: { say: GREETING },
  turns: [
    {
      caller: ASK_FOR_A_PERSON,
      steps: [
        { callTool: { name: 'escalate', arguments: { reason: 'caller_requested_human', summary: ESCALATION_SUMMARY, caller_wants: CALLER_WANTS } } },
        { say: handoffLine },
      ],
    },
  ],
});

/** Waits out the greeting, then asks for a person. */
export async function askForAPerson(caller: TwilioCaller): Promise<void> {
  await caller.waitForAgentAudio();
  await caller.waitForAgentSilence(300);
  await caller.say(ASK_FOR_A_PERSON);
}

/** Places the scripted escalation on `caller` and resolves with the stored call once the twin reports it ended. */
export async function escalatedCall(bridge: TestBridge, caller: TwilioCaller): Promise<CallRecord> {
  bridge.realtime.useScenario(caller.snapshot().callSid, askForAPersonScenario);
  await askForAPerson(caller);
  const call = await storedOutcome(bridge, caller);
  // The call's last webhooks (dial result, status callback) are answered before the twin reports the call ended.
  await caller.ended;
  return call;
}

/** Posts a webhook signed as Twilio signs it, for what the caller twin cannot do (leave a voicemail). */
export async function postFromTwilio(bridge: TestBridge, path: string, params: Record<string, string>): Promise<number> {
  const signature = twilio.getExpectedTwilioSignature(bridge.authToken, `${bridge.publicUrl}${path}`, params);
  const response = await bridge.app.server.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: new URLSearchParams(params).toString(),
  });
  return response.statusCode;
}

export async function outboxJobs(bridge: TestBridge): Promise<Array<{ kind: string; status: string }>> {
  const { rows } = await bridge.app.database.query('select kind, status from outbox order by created_at, kind');
  return rows.map((row) => ({ kind: String(row.kind), status: String(row.status) }));
}

export const isInternalNote = (message: MessageView): boolean => message.channel === 'internal-note';

/**
 * The twin's tickets once the first one holds at least `notes` internal notes (the call's note, then hand-off notes)
 * and the outbox has no job left to deliver.
 */
export function deliveredTicket(bridge: TestBridge, notes: number): Promise<{ tickets: TicketView[]; ticket: TicketView; messages: MessageView[] }> {
  return vi.waitFor(
    async () => {
      const tickets = bridge.gorgias.tickets();
      const ticket = tickets[0];
      const messages = ticket ? bridge.gorgias.messages(ticket.id) : [];
      if (!ticket || messages.filter(isInternalNote).length < notes) throw new Error(`no ticket with ${notes} internal note(s) yet`);
      const { rows } = await bridge.app.database.query(`select count(*)::int as pending from outbox where status = 'pending'`);
      if (rows[0]?.pending !== 0) throw new Error('outbox jobs still pending');
      return { tickets, ticket, messages };
    },
    { timeout: 20_000, interval: 20 },
  );
}
