// The model's "mind": a script of what the twin says and which tools it calls, turn by turn, and the echo mind.
// Holds the script cursor only; it never sends events and knows nothing about sockets.

/** What a step sees when it is turned into a response. */
export type StepContext = {
  readonly callSid: string | undefined;
  /** −1 while the greeting runs; n while answering the caller's n-th speech segment (0-based). */
  readonly turnIndex: number;
  /** Transcript of the caller's latest committed speech segment ('' before the first). */
  readonly callerTranscript: string;
  /** Parsed JSON of the latest `function_call_output` (the raw string when it is not JSON); undefined if none. */
  readonly lastToolOutput: unknown;
  readonly toolOutputs: readonly ToolOutput[];
  /** Effective instructions of this response (session or response override). */
  readonly instructions: string;
  readonly metadata: Readonly<Record<string, string>> | null;
};

export type ToolOutput = { callId: string; name: string; output: unknown };

export type ScenarioToolCall = {
  name: string;
  arguments: Record<string, unknown> | ((context: StepContext) => Record<string, unknown>);
};

/** One response: an optional spoken line, then optional function calls (§5 step 3). */
export type ScenarioStep = {
  say?: string | ((context: StepContext) => string);
  callTool?: ScenarioToolCall | readonly ScenarioToolCall[];
};

export type ScenarioTurn = {
  /** What the twin "hears" for this speech segment; sent as the input transcription. */
  caller: string;
  /** Responses of this turn, in order: the first answers the speech, the next ones follow tool outputs. */
  steps: readonly ScenarioStep[];
};

export type ScriptedScenario = {
  kind?: 'scripted';
  greeting?: ScenarioStep | readonly ScenarioStep[];
  turns: readonly ScenarioTurn[];
  /** Said when a response is requested after the script ran out. */
  fallbackLine?: string;
  /** Said by out-of-band responses (`conversation: "none"`), which never consume a step. */
  outOfBandLine?: string | ((context: StepContext) => string);
};

/**
 * Sends each appended input chunk straight back, chunk for chunk: a response opens at `speech_started`,
 * every chunk appended while it is open comes back as one `response.output_audio.delta` with the same
 * bytes, and it completes at `speech_stopped` (no extra auto-response for that segment).
 */
export type EchoScenario = { kind: 'echo' };

export type Scenario = ScriptedScenario | EchoScenario;

export type PlannedToolCall = { name: string; argumentsJson: string };

export type ResponsePlan = { say: string | null; toolCalls: PlannedToolCall[]; label: string };

export const DEFAULT_FALLBACK_LINE = 'Is there anything else I can help you with?';
export const DEFAULT_OUT_OF_BAND_LINE = 'One moment, please.';
export const ECHO_READY_LINE = 'Echo ready.';

export function echoScenario(): EchoScenario {
  return { kind: 'echo' };
}

export function defineScenario(scenario: Omit<ScriptedScenario, 'kind'>): ScriptedScenario {
  return { kind: 'scripted', ...scenario };
}

type ContextBase = Pick<StepContext, 'instructions' | 'metadata'>;

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

function toArray<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return isList(value) ? value : [value];
}

function parseToolOutput(output: string): unknown {
  try {
    return JSON.parse(output);
  } catch {
    return output;
  }
}

/** The cursor through one scenario; shared by every connection bound to the same CallSid, so a reconnect resumes. */
export class ScenarioRun {
  readonly scenario: Scenario;
  readonly callSid: string | undefined;
  #turnIndex = -1;
  #stepIndex = 0;
  #callerTranscript = '';
  #toolOutputs: ToolOutput[] = [];
  #usedLabels = new Set<string>();
  #fallbackCount = 0;

  constructor(scenario: Scenario, callSid: string | undefined) {
    this.scenario = scenario;
    this.callSid = callSid;
  }

  get isEcho(): boolean {
    return this.scenario.kind === 'echo';
  }

  get fallbackCount(): number {
    return this.#fallbackCount;
  }

  /** A committed speech segment starts the next turn; returns what the twin "heard". */
  onCallerSegment(): string {
    this.#turnIndex += 1;
    this.#stepIndex = 0;
    const scenario = this.scenario;
    this.#callerTranscript = scenario.kind === 'echo' ? '' : (scenario.turns[this.#turnIndex]?.caller ?? '');
    return this.#callerTranscript;
  }

  recordToolOutput(callId: string, name: string, output: string): void {
    this.#toolOutputs.push({ callId, name, output: parseToolOutput(output) });
  }

  /** The next step of the current turn, or the fallback line when the script has none left. */
  nextResponse(base: ContextBase): ResponsePlan {
    const scenario = this.scenario;
    if (scenario.kind === 'echo') return { say: ECHO_READY_LINE, toolCalls: [], label: 'echo' };
    const steps = this.#turnIndex < 0 ? toArray(scenario.greeting) : (scenario.turns[this.#turnIndex]?.steps ?? []);
    const step = steps[this.#stepIndex];
    const label = this.#label(this.#turnIndex, this.#stepIndex);
    if (!step) {
      this.#fallbackCount += 1;
      return { say: scenario.fallbackLine ?? DEFAULT_FALLBACK_LINE, toolCalls: [], label: `${label} (fallback)` };
    }
    this.#stepIndex += 1;
    this.#usedLabels.add(label);
    const context = this.#context(base);
    const say = typeof step.say === 'function' ? step.say(context) : step.say;
    const toolCalls = toArray(step.callTool).map((call) => ({
      name: call.name,
      argumentsJson: JSON.stringify(typeof call.arguments === 'function' ? call.arguments(context) : call.arguments),
    }));
    return { say: say ?? null, toolCalls, label };
  }

  outOfBand(base: ContextBase): ResponsePlan {
    const scenario = this.scenario;
    const line = scenario.kind === 'echo' ? undefined : scenario.outOfBandLine;
    const say = typeof line === 'function' ? line(this.#context(base)) : (line ?? DEFAULT_OUT_OF_BAND_LINE);
    return { say, toolCalls: [], label: 'out-of-band' };
  }

  /** Steps never turned into a response, named like `turns[1].steps[0] ("Where is my order?")`. */
  unusedSteps(): string[] {
    const scenario = this.scenario;
    if (scenario.kind === 'echo') return [];
    const all = [
      ...toArray(scenario.greeting).map((_, stepIndex) => this.#label(-1, stepIndex)),
      ...scenario.turns.flatMap((turn, turnIndex) => turn.steps.map((_, stepIndex) => this.#label(turnIndex, stepIndex))),
    ];
    return all.filter((label) => !this.#usedLabels.has(label));
  }

  #label(turnIndex: number, stepIndex: number): string {
    if (turnIndex < 0) return `greeting[${stepIndex}]`;
    const caller = this.scenario.kind === 'echo' ? '' : (this.scenario.turns[turnIndex]?.caller ?? '');
    return `turns[${turnIndex}].steps[${stepIndex}] (${JSON.stringify(caller)})`;
  }

  #context(base: ContextBase): StepContext {
    return {
      callSid: this.callSid,
      turnIndex: this.#turnIndex,
      callerTranscript: this.#callerTranscript,
      lastToolOutput: this.#toolOutputs.at(-1)?.output,
      toolOutputs: [...this.#toolOutputs],
      instructions: base.instructions,
      metadata: base.metadata,
    };
  }
}
