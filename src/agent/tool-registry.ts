// The tools the model may call: zod input schemas turned into Realtime tool definitions, each run under a timeout.
// Invalid arguments and failures go back to the model as structured results; nothing here throws into a call.
import { z } from 'zod';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { redactText } from '../shared/redact.ts';
import type { VerificationState } from './policies/verification.ts';

/** What a tool asks the call session to do or remember; the session owns the call's state and applies these. */
export type ToolEffect =
  | { kind: 'end_call'; summary: string }
  | { kind: 'escalate'; reason: string; summary: string; callerWants: string | null; handoff: 'transfer' | 'callback' }
  | { kind: 'intent'; intent: string }
  | { kind: 'verification'; state: VerificationState }
  /** Who the caller turned out to be, for the helpdesk customer record; the email only when it proved an order. */
  | { kind: 'caller_identified'; name: string | null; verifiedEmail: string | null }
  | { kind: 'lookup_failed' }
  | { kind: 'lookup_succeeded' }
  | { kind: 'order_discussed'; name: string; status: string }
  | { kind: 'action'; action: string; detail: string };

export type ToolOutcome = {
  /** What the model is told: the facts it may say, never raw vendor data. */
  output: Record<string, unknown>;
  /** One line for the call record and the escalation note. */
  summary: string;
  isError?: boolean;
  effects?: readonly ToolEffect[];
};

/** The call's facts a tool may read; the session keeps them and hands a fresh snapshot to each invocation. */
export type CallFacts = {
  callId: string;
  /** The caller's number in E.164, or null when caller ID was withheld. */
  callerNumber: string | null;
  verification: VerificationState;
  /** Order and knowledge lookups that failed in a row; a second one escalates (lookup_unavailable). */
  lookupFailuresInARow: number;
};

export type ToolContext = { facts: Readonly<CallFacts>; signal: AbortSignal; clock: Clock; log: Logger };

export type ToolDefinition<TInput = unknown> = {
  name: string;
  description: string;
  input: z.ZodType<TInput>;
  timeoutMs: number;
  /** After this long without a result the session has the agent say a short filler line. */
  fillerAfterMs?: number;
  /** Argument names whose values are personal data and are masked in the stored record. */
  sensitiveArguments?: readonly string[];
  run(input: TInput, context: ToolContext): Promise<ToolOutcome>;
};

export type ToolInvocation = {
  name: string;
  status: 'ok' | 'error' | 'invalid' | 'timeout';
  output: Record<string, unknown>;
  summary: string;
  effects: readonly ToolEffect[];
  latencyMs: number;
  redactedArguments: Record<string, unknown>;
};

export type RealtimeToolSchema = { name: string; description: string; parameters: Record<string, unknown> };

/** Lets a tool be declared with its own input type and stored beside others. */
export function defineTool<TInput>(tool: ToolDefinition<TInput>): ToolDefinition<unknown> {
  return tool as ToolDefinition<unknown>;
}

export class ToolRegistry {
  readonly #tools = new Map<string, ToolDefinition>();

  constructor(tools: readonly ToolDefinition[]) {
    for (const tool of tools) {
      if (this.#tools.has(tool.name)) throw new Error(`Tool ${tool.name} is registered twice`);
      this.#tools.set(tool.name, tool);
    }
  }

  get names(): string[] {
    return [...this.#tools.keys()];
  }

  fillerAfterMs(name: string): number | undefined {
    return this.#tools.get(name)?.fillerAfterMs;
  }

  /** Tool definitions in the flat GA shape (openai-realtime.md, 2: tools). */
  schemasForModel(): RealtimeToolSchema[] {
    return [...this.#tools.values()].map((tool) => {
      const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
      return { name: tool.name, description: tool.description, parameters };
    });
  }

  /** Runs one tool call from the model. Always resolves; the status says how it went. */
  async invoke(name: string, argumentsJson: string, context: Omit<ToolContext, 'signal'>): Promise<ToolInvocation> {
    const started = context.clock.monotonicMs();
    const finish = (status: ToolInvocation['status'], outcome: ToolOutcome, redactedArguments: Record<string, unknown>): ToolInvocation => ({
      name,
      status,
      output: outcome.output,
      summary: outcome.summary,
      effects: status === 'ok' ? (outcome.effects ?? []) : [],
      latencyMs: context.clock.monotonicMs() - started,
      redactedArguments,
    });

    const tool = this.#tools.get(name);
    if (!tool) {
      return finish('invalid', { output: { error: 'unknown_tool', message: `There is no tool named ${name}.`, available: this.names }, summary: `unknown tool ${name}` }, {});
    }
    const rawArguments = parseJsonObject(argumentsJson);
    const redactedArguments = redactArguments(rawArguments ?? {}, tool.sensitiveArguments ?? []);
    if (rawArguments === undefined) {
      return finish('invalid', { output: { error: 'invalid_arguments', message: 'Arguments must be a JSON object.' }, summary: 'arguments were not a JSON object' }, redactedArguments);
    }
    const parsed = tool.input.safeParse(rawArguments);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      return finish('invalid', { output: { error: 'invalid_arguments', issues }, summary: `invalid arguments: ${issues.map((issue) => issue.path || issue.message).join(', ')}` }, redactedArguments);
    }

    const controller = new AbortController();
    let timer: { cancel(): void } | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = context.clock.setTimeout(() => {
        controller.abort();
        resolve('timeout');
      }, tool.timeoutMs);
    });
    try {
      const result = await Promise.race([tool.run(parsed.data, { ...context, signal: controller.signal }), timedOut]);
      if (result === 'timeout') {
        return finish('timeout', { output: { error: 'timeout', message: 'That took too long. Tell the caller you could not get it right now.' }, summary: `timed out after ${tool.timeoutMs} ms` }, redactedArguments);
      }
      return finish(result.isError ? 'error' : 'ok', result, redactedArguments);
    } catch (error) {
      context.log.error({ tool: name, err: error }, 'tool.crashed');
      return finish('error', { output: { error: 'tool_failed', message: 'Something went wrong. Tell the caller you are having trouble with that.' }, summary: 'failed unexpectedly' }, redactedArguments);
    } finally {
      timer?.cancel();
    }
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text === '' ? '{}' : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function redactArguments(args: Record<string, unknown>, sensitive: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([key, value]) => {
      if (sensitive.includes(key)) return [key, '[redacted]'];
      return [key, typeof value === 'string' ? redactText(value) : value];
    }),
  );
}
