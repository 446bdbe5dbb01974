// `npm run demo`: the sandbox end to end. Places scripted calls from the Twilio caller twin through the real
// service to the Realtime twin, prints each call's outcome, turns and per-turn latency as the caller felt it, then
// the Gorgias ticket each escalated call left. Calls marked `afterHours` run on a second sandbox whose team is out.
import { openDatabase } from '../src/store/database.ts';
import { OutboxStore } from '../src/store/outbox.ts';
import type { CallRecord } from '../src/store/call-records.ts';
import { createLogger } from '../src/shared/logger.ts';
import { defineScenario, type Scenario, type StepContext } from '../src/twins/openai-realtime/scenario.ts';
import type { TwilioCaller } from '../src/twins/twilio/twilio-caller.ts';
import { SUPPORT_NUMBER, startSandboxBridge, type SandboxBridge } from './sandbox-bridge.ts';

type DemoCall = {
  title: string;
  from?: string;
  /** Run while the team is out: the agent promises a follow-up instead of a transfer. */
  afterHours?: boolean;
  scenario: Scenario;
  dial?: { outcome: 'answered' | 'no-answer' };
  play(caller: TwilioCaller): Promise<void>;
};

const TEAM_NUMBER = '+14155550142';
const NOTE_LINES = 11;
const LINE_CHARS = 110;

/** What the scripted model says after the escalate tool decided between a live transfer and a follow-up. */
function handoffLine(context: StepContext): string {
  const output = context.lastToolOutput;
  const handoff = typeof output === 'object' && output !== null ? Reflect.get(output, 'handoff') : undefined;
  return handoff === 'transfer'
    ? "I'm connecting you to a teammate now; they'll have the details."
    : "The team isn't in right now; I've passed everything on and they'll call you back. Goodbye.";
}

/** The latest tool output as the scripted model received it ({} when it was not an object). */
function toolOutput(context: StepContext): Record<string, unknown> {
  const output = context.lastToolOutput;
  return typeof output === 'object' && output !== null ? Object.fromEntries(Object.entries(output)) : {};
}

/** The scripted model reads out the one-line status the order tool allowed it to tell. */
function orderStatusLine(context: StepContext): string {
  const listed = toolOutput(context)['orders'];
  const orders: readonly unknown[] = Array.isArray(listed) ? listed : [];
  const shipped = orders.find((order) => typeof order === 'object' && order !== null && Reflect.get(order, 'status') === 'shipped');
  const first: unknown = shipped ?? orders[0];
  const summary = typeof first === 'object' && first !== null ? Reflect.get(first, 'summary') : undefined;
  return typeof summary === 'string' ? summary : "I couldn't find an order for this number.";
}

/** The id of the first item the return policy allows, as the eligibility tool reported it. */
let returnableItemId = '';
function rememberReturnableItem(context: StepContext): string {
  const items = toolOutput(context)['items'];
  const eligible = Array.isArray(items) ? items.find((item: unknown) => typeof item === 'object' && item !== null && Reflect.get(item, 'eligible') === true) : undefined;
  returnableItemId = typeof eligible === 'object' && eligible !== null ? String(Reflect.get(eligible, 'itemId')) : '';
  const name = typeof eligible === 'object' && eligible !== null ? String(Reflect.get(eligible, 'name')) : 'that item';
  return `You can return the ${name}. Just to confirm: one ${name}, because it was too small?`;
}

async function speak(caller: TwilioCaller, line: string): Promise<void> {
  await caller.waitForAgentAudio();
  await caller.waitForAgentSilence(700);
  await caller.say(line);
}

const askForAPerson = (summary: string, callerWants: string) =>
  defineScenario({
    greeting: { say: 'Thanks for calling Juniper and Pine. How can I help?' },
    turns: [
      {
        caller: 'I want to talk to a real person.',
        steps: [
          { callTool: { name: 'escalate', arguments: { reason: 'caller_requested_human', summary, caller_wants: callerWants } } },
          { say: handoffLine },
        ],
      },
    ],
  });

const calls: DemoCall[] = [
  {
    title: 'Where is my order? Answered from the caller ID, with orders prefetched while the call rang',
    scenario: defineScenario({
      greeting: { say: 'Thanks for calling Juniper and Pine. How can I help?' },
      turns: [
        { caller: 'Where is my order?', steps: [{ callTool: { name: 'find_orders', arguments: {} } }, { say: orderStatusLine }] },
        { caller: 'Great thanks bye', steps: [{ say: 'You are welcome. Goodbye!', callTool: { name: 'end_call', arguments: { summary: 'Told Jane where her shipped order is.' } } }] },
      ],
    }),
    async play(caller) {
      await speak(caller, 'Where is my order?');
      await speak(caller, 'Great thanks bye');
    },
  },
  {
    title: 'A return in the window, confirmed item by item before it is requested in Shopify',
    from: '+14155550118',
    scenario: defineScenario({
      greeting: { say: 'Thanks for calling Juniper and Pine. How can I help?' },
      turns: [
        {
          caller: 'I want to return something from order 1026.',
          steps: [{ callTool: { name: 'check_return_eligibility', arguments: { order_number: '1026' } } }, { say: rememberReturnableItem }],
        },
        {
          caller: 'Yes that is right',
          steps: [
            {
              callTool: {
                name: 'start_return',
                arguments: () => ({ order_number: '1026', items: [{ item_id: returnableItemId, quantity: 1 }], reason: 'size_too_small', caller_confirmed: true }),
              },
            },
            { say: 'Done. Your return is requested, and the label will be emailed to you.' },
          ],
        },
        { caller: 'Thanks bye', steps: [{ say: 'Goodbye!', callTool: { name: 'end_call', arguments: { summary: 'Return requested on order 1026.' } } }] },
      ],
    }),
    async play(caller) {
      await speak(caller, 'I want to return something from order ten twenty six.');
      await speak(caller, 'Yes that is right');
      await speak(caller, 'Thanks bye');
    },
  },
  {
    title: 'A question answered and the call closed by the agent',
    scenario: defineScenario({
      greeting: { say: 'Thanks for calling Juniper and Pine. How can I help?' },
      turns: [
        { caller: 'When is your team around?', steps: [{ say: 'Our team is in Monday to Friday, nine to five Eastern.' }] },
        { caller: 'Perfect thanks bye', steps: [{ say: 'Happy to help. Goodbye!', callTool: { name: 'end_call', arguments: { summary: 'Told the caller the team hours.' } } }] },
      ],
    }),
    async play(caller) {
      await speak(caller, 'When is your team around?');
      await speak(caller, 'Perfect thanks bye');
    },
  },
  {
    title: 'The caller barges in over a long answer',
    scenario: defineScenario({
      greeting: {
        say: 'Thanks for calling Juniper and Pine. Before we start, let me tell you all about our winter sale on jackets, boots and blankets.',
      },
      turns: [
        { caller: 'Sorry, I just need your hours.', steps: [{ say: 'Of course: Monday to Friday, nine to five.' }] },
        { caller: 'Thanks bye', steps: [{ say: 'Goodbye!', callTool: { name: 'end_call', arguments: { summary: 'Gave the team hours after the caller interrupted.' } } }] },
      ],
    }),
    async play(caller) {
      await caller.waitForAgentAudio();
      await caller.bargeIn('Sorry, I just need your hours.', { afterHeardMs: 1500 });
      await speak(caller, 'Thanks bye');
    },
  },
  {
    title: 'The caller asks for a person and is handed over',
    dial: { outcome: 'answered' },
    scenario: askForAPerson('The caller asked for a person straight away.', 'To speak with someone on the team.'),
    async play(caller) {
      await speak(caller, 'I want to talk to a real person.');
    },
  },
  {
    title: 'After hours, the caller asks for a person and is promised a callback',
    afterHours: true,
    scenario: askForAPerson('The caller asked for a person about a damaged parcel.', 'A call back about the damaged parcel.'),
    async play(caller) {
      await speak(caller, 'I want to talk to a real person.');
    },
  },
];

/** A one-hour window two days from now (UTC): the team is out for the whole demo. */
function closedHours(now: Date): { BUSINESS_HOURS: string; BUSINESS_TIMEZONE: string } {
  const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(now.getUTCDay() + 2) % 7] ?? 'sun';
  return { BUSINESS_HOURS: `${day} 09:00-10:00`, BUSINESS_TIMEZONE: 'UTC' };
}

async function runCall(bridge: SandboxBridge, demo: DemoCall, index: number): Promise<CallRecord> {
  const caller = await bridge.placeCall({
    ...(demo.dial ? { dial: { ...demo.dial, talkMs: 200 } } : {}),
    ...(demo.from ? { party: { from: demo.from, to: SUPPORT_NUMBER } } : {}),
    scenario: demo.scenario,
  });
  await demo.play(caller);
  await bridge.storedOutcome(caller);
  await caller.ended;
  const call = (await bridge.app.calls.getCallBySid(caller.snapshot().callSid))!;
  const turns = await bridge.app.calls.listTurns(call.id);
  const tools = await bridge.app.calls.listToolCalls(call.id);
  const lines = [
    `\n${index + 1}. ${demo.title}`,
    `   outcome: ${call.outcome}${call.reason ? ` (${call.reason})` : ''}, ended by ${call.endedBy}${call.handoff ? `, hand-off: ${call.handoff}` : ''}`,
    ...turns.map((turn) => {
      const latency = turn.latencyMs === null ? '' : `  [${turn.latencyMs} ms after the caller stopped]`;
      return `   ${turn.speaker === 'agent' ? 'agent ' : 'caller'}: ${turn.text}${turn.isInterrupted ? ' —(interrupted)' : ''}${latency}`;
    }),
    ...tools.map((tool) => `   tool ${tool.name}: ${tool.status}, ${tool.resultSummary} (${Math.round(tool.latencyMs)} ms)`),
  ];
  const latencies = turns.flatMap((turn) => (turn.latencyMs === null ? [] : [turn.latencyMs]));
  if (latencies.length > 0) lines.push(`   turn latency: ${latencies.map((ms) => `${ms} ms`).join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return call;
}

/** Waits until the outbox has delivered every job (tickets, then hand-off notes), for at most `timeoutMs`. */
async function outboxSettled(bridge: SandboxBridge, timeoutMs: number): Promise<void> {
  const store = new OutboxStore(bridge.app.database);
  const deadlineMs = Date.now() + timeoutMs;
  while ((await store.counts()).pending > 0 && Date.now() < deadlineMs) await new Promise((resolve) => setTimeout(resolve, 50));
}

function abridged(text: string): string[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const shown = lines.slice(0, NOTE_LINES).map((line) => (line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line));
  const more = lines.length - NOTE_LINES;
  return more > 0 ? [...shown, `(${more} more line${more === 1 ? '' : 's'})`] : shown;
}

function printTicket(bridge: SandboxBridge, call: CallRecord, title: string): void {
  const ticket = bridge.gorgias.tickets().find((candidate) => candidate.external_id === `aicall:${call.callSid}`);
  if (!ticket) {
    process.stdout.write(`\n   ${title}: no Gorgias ticket yet (see npm run outbox -- list)\n`);
    return;
  }
  const messages = bridge.gorgias.messages(ticket.id);
  const notes = messages.filter((message) => message.channel === 'internal-note');
  const phone = ticket.customer?.channels.find((channel) => channel.type === 'phone')?.address;
  const lines = [
    `\n   ${title}`,
    `   Gorgias ticket #${ticket.id}: ${ticket.subject}`,
    `     tags: ${ticket.tags.map((tag) => tag.name).join(', ')}`,
    `     customer: #${ticket.customer?.id ?? '?'}${ticket.customer?.name ? ` ${ticket.customer.name}` : ''}${phone ? ` (${phone})` : ''}`,
    `     messages: ${messages.length} (${messages.length - notes.length} transcript turns, ${notes.length} internal note${notes.length === 1 ? '' : 's'})`,
    ...notes.flatMap((note) => abridged(note.body_text ?? '').map((line, index) => `     ${index === 0 ? 'note │' : '     │'} ${line}`)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function runSandbox(label: string, env: Record<string, string>, demos: readonly { demo: DemoCall; index: number }[]): Promise<void> {
  if (demos.length === 0) return;
  const database = await openDatabase({ engine: 'pglite', dataDir: undefined });
  const log = createLogger({ level: (process.env.DEMO_LOG_LEVEL ?? 'warn') as 'warn' });
  const bridge = await startSandboxBridge({ database, log, env });
  try {
    process.stdout.write(`\nSandbox, ${label} (BUSINESS_HOURS ${env.BUSINESS_HOURS}): service at ${bridge.publicUrl}, Realtime twin at ${bridge.realtime.url}, Shopify twin ${bridge.shopify.shopDomain}, Gorgias twin ${bridge.gorgias.origin}/twin/tickets\n`);
    const escalated: Array<{ call: CallRecord; title: string }> = [];
    for (const { demo, index } of demos) {
      const call = await runCall(bridge, demo, index);
      if (call.outcome === 'escalated') escalated.push({ call, title: `${index + 1}. ${demo.title}` });
    }
    if (escalated.length === 0) return;
    await outboxSettled(bridge, 15_000);
    process.stdout.write('\nWhat a support agent finds in Gorgias:\n');
    for (const { call, title } of escalated) printTicket(bridge, call, title);
  } finally {
    await bridge.close();
    await database.close();
  }
}

const numbered = calls.map((demo, index) => ({ demo, index }));
await runSandbox('team in', { HUMAN_TRANSFER_NUMBER: TEAM_NUMBER, BUSINESS_HOURS: 'mon-sun 00:00-24:00' }, numbered.filter(({ demo }) => !demo.afterHours));
await runSandbox('team out', { HUMAN_TRANSFER_NUMBER: TEAM_NUMBER, ...closedHours(new Date()) }, numbered.filter(({ demo }) => demo.afterHours));
