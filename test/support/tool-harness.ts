// Runs agent tools through the real registry and applies their effects to a real CallState, as the call session
// does, so a test can call tools in turn and read what the call learned. Time is a ManualClock.
import { CallState } from '../../src/call/call-state.ts';
import { ToolRegistry, type CallFacts, type ToolDefinition, type ToolEffect, type ToolInvocation } from '../../src/agent/tool-registry.ts';
import { captureLog, type CapturedLog } from './log-capture.ts';
import { ManualClock } from './manual-clock.ts';
import { NOW_ISO } from './commerce-fakes.ts';

export type ToolHarness = {
  clock: ManualClock;
  log: CapturedLog;
  registry: ToolRegistry;
  state: CallState;
  facts(): CallFacts;
  /** Every effect applied so far, in order. */
  effects: ToolEffect[];
  call(name: string, args: Record<string, unknown>): Promise<ToolInvocation>;
  /** Starts a call without awaiting it, for tests that move the clock while a tool waits. */
  start(name: string, args: Record<string, unknown>): Promise<ToolInvocation>;
};

/** `tools` may be a function of the harness's clock and log, for tools whose dependencies need them. */
export function toolHarness(
  tools: readonly ToolDefinition[] | ((base: { clock: ManualClock; log: CapturedLog }) => readonly ToolDefinition[]),
  options: { callerNumber?: string | null; callId?: string } = {},
): ToolHarness {
  const clock = new ManualClock(NOW_ISO);
  const log = captureLog();
  const registry = new ToolRegistry(typeof tools === 'function' ? tools({ clock, log }) : tools);
  const callerNumber = options.callerNumber === undefined ? '+14155550100' : options.callerNumber;
  const state = new CallState({ callId: options.callId ?? 'call_1', callSid: 'CA00000000000000000000000000000001', callerNumber });
  const effects: ToolEffect[] = [];
  const start = async (name: string, args: Record<string, unknown>) => {
    const invocation = await registry.invoke(name, JSON.stringify(args), { facts: state.facts(), clock, log: log.log });
    for (const effect of invocation.effects) {
      effects.push(effect);
      state.apply(effect, false);
    }
    return invocation;
  };
  return { clock, log, registry, state, facts: () => state.facts(), effects, call: start, start };
}
