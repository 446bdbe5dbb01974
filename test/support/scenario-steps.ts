// Small steps the scenario end-to-end tests share: hearing out the agent's turn, reading tool outputs as the scripted
// model saw them, and the digits a caller keyed as they reached the model.
import { z } from 'zod';
import type { StepContext } from '../../src/twins/openai-realtime/scenario.ts';
import type { TwilioCaller } from '../../src/twins/twilio/twilio-caller.ts';
import type { TestBridge } from './test-bridge.ts';

/** Waits for the agent's next reply and for it to finish (700 ms of silence, as a person would). */
export async function hearAgent(caller: TwilioCaller): Promise<void> {
  await caller.waitForAgentAudio();
  await caller.waitForAgentSilence(700);
}

const objectSchema = z.record(z.string(), z.unknown());
const listSchema = z.array(objectSchema).catch([]);

/** The latest tool output the scripted model received, as an object ({} when it was not one). */
export function lastOutput(context: StepContext): Record<string, unknown> {
  return objectSchema.catch({}).parse(context.lastToolOutput);
}

/** A list of objects inside a tool output ([] when it is not one). */
export function listOf(value: unknown): Array<Record<string, unknown>> {
  return listSchema.parse(value);
}

/** What a scripted model says from a status result: the first shipment's carrier and day ("UPS, Saturday."). */
export function shipmentLine(output: Record<string, unknown>): string {
  const tellCaller = output['tellCaller'];
  const shipments = typeof tellCaller === 'object' && tellCaller !== null ? Reflect.get(tellCaller, 'shipments') : undefined;
  const first: unknown = Array.isArray(shipments) ? shipments[0] : undefined;
  if (typeof first !== 'object' || first === null) return 'Sorry.';
  return `${String(Reflect.get(first, 'carrier'))}, ${String(Reflect.get(first, 'day'))}.`;
}

/** Every output the model received from `name`, parsed, in order. */
export function outputsOf(bridge: TestBridge, name: string): Array<Record<string, unknown>> {
  return bridge.realtime
    .toolCalls()
    .filter((call) => call.name === name && call.output !== undefined)
    .map((call) => objectSchema.parse(JSON.parse(call.output ?? '{}')));
}

/** The digits of the caller's latest keypad entry, as the model's conversation holds it. */
export function lastKeyedDigits(bridge: TestBridge): string {
  const items = bridge.realtime.connections().flatMap((connection) => connection.conversationItems());
  const keyed = items.flatMap((item) =>
    item.type === 'message' && item.role === 'user' ? item.content.flatMap((part) => (part.type === 'input_text' ? [part.text] : [])) : [],
  );
  return /(\d+)\s*$/.exec(keyed.at(-1) ?? '')?.[1] ?? '';
}
