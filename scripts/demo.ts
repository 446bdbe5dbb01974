// `npm run demo`: the sandbox end to end. Places scripted calls from the Twilio caller twin through the real
// service to the Realtime twin, and prints each call's outcome, turns and per-turn latency as the caller felt it.
import { openDatabase } from '../src/store/database.ts';
import { createLogger } from '../src/shared/logger.ts';
import { defineScenario, type Scenario, type StepContext } from '../src/twins/openai-realtime/scenario.ts';
import type { TwilioCaller } from '../src/twins/twilio/twilio-caller.ts';
import { startSandboxBridge, type SandboxBridge } from './sandbox-bridge.ts';

type DemoCall = {
  title: string;
  from?: string;
  scenario: Scenario;
  dial?: { outcome: 'answered' | 'no-answer' };
  play(caller: TwilioCaller): Promise<void>;
};

/** What the scripted model says after the escalate tool decided between a live transfer and a follow-up. */
function handoffLine(context: StepContext): string {
  const output = context.lastToolOutput;
  const handoff = typeof output === 'object' && output !== null ? Reflect.get(output, 'handoff') : undefined;
  return handoff === 'transfer'
    ? "I'm connecting you to a teammate now; they'll have the details."
    : "The team isn't in right now; I've passed everything on and they'll call you back.";
}

async function speak(caller: TwilioCaller, line: string): Promise<void> {
  await caller.waitForAgentAudio();
  await caller.waitForAgentSilence(700);
  await caller.say(line);
}

const calls: DemoCall[] = [
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
    scenario: defineScenario({
      greeting: { say: 'Thanks for calling Juniper and Pine. How can I help?' },
      turns: [
        {
          caller: 'I want to talk to a real person.',
          steps: [
            { callTool: { name: 'escalate', arguments: { reason: 'caller_requested_human', summary: 'The caller asked for a person straight away.' } } },
            { say: handoffLine },
          ],
        },
      ],
    }),
    async play(caller) {
      await speak(caller, 'I want to talk to a real person.');
    },
  },
];

async function runCall(bridge: SandboxBridge, demo: DemoCall, index: number): Promise<void> {
  const caller = await bridge.placeCall(demo.dial ? { dial: { ...demo.dial, talkMs: 200 } } : {});
  bridge.realtime.useScenario(caller.snapshot().callSid, demo.scenario);
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
}

const database = await openDatabase({ engine: 'pglite', dataDir: undefined });
const log = createLogger({ level: (process.env.DEMO_LOG_LEVEL ?? 'warn') as 'warn' });
const bridge = await startSandboxBridge({
  database,
  log,
  env: { HUMAN_TRANSFER_NUMBER: '+14155550142', BUSINESS_HOURS: 'mon-sun 00:00-24:00' },
});
try {
  process.stdout.write(`Sandbox: service at ${bridge.publicUrl}, Realtime twin at ${bridge.realtime.url}, Shopify twin ${bridge.shopify.shopDomain}\n`);
  for (const [index, demo] of calls.entries()) await runCall(bridge, demo, index);
} finally {
  await bridge.close();
  await database.close();
}
