// The responses of one connection: scenario binding, one active response per conversation, create/cancel/interrupt,
// echo, and the fault switches for failed responses. It never reads the socket; it sends through `send`.
import type { Clock } from '../../shared/clock.ts';
import type { IdSource } from '../../shared/ids.ts';
import type { ClientItemOrReference } from './conversation-items.ts';
import type { Conversation, StoredItem } from './conversation.ts';
import type { ResponseParams } from './client-events.ts';
import { storedItemFrom } from './item-operations.ts';
import { ResponseStream, type AssistantAudioRecord, type AudioPace, type FunctionCallEmitted } from './response-stream.ts';
import type { ResponsePlan, ScenarioRun } from './scenario.ts';
import { normalizeFormat, undeclaredToolCalls, type WireSession } from './session-schema.ts';
import { tallyContext, type WireUsage } from './usage.ts';
import { realtimeErrors, type RealtimeErrorBody } from './wire-errors.ts';

export type ResponderDeps = {
  clock: Clock;
  ids: IdSource;
  pace: AudioPace;
  firstAudioDelayMs: number;
  /** 1-based ordinals of responses that end `failed`. */
  failResponses: readonly number[];
  conversation: Conversation;
  session(): WireSession;
  send(event: Record<string, unknown> & { type: string }): void;
  resolveScenario(callSid: string | undefined): ScenarioRun;
  onFunctionCall(call: FunctionCallEmitted): void;
  onProblem(problem: string): void;
  /** Returns the `rate_limits` array sent after each `response.done` (§4.5). */
  onResponseDone(usage: WireUsage): readonly Record<string, unknown>[];
};

export class Responder {
  #deps: ResponderDeps;
  #responses: ResponseStream[] = [];
  #responseCount = 0;
  #shouldFailNext = false;
  #hasProducedAudio = false;
  #run: ScenarioRun | null = null;
  #callSid: string | undefined;
  #emittedCallIds = new Set<string>();
  #assistantItems: AssistantAudioRecord[] = [];

  constructor(deps: ResponderDeps) {
    this.#deps = deps;
  }

  /** Voice is locked once the model has produced audio (§2). */
  get hasProducedAudio(): boolean {
    return this.#hasProducedAudio;
  }

  get callSid(): string | undefined {
    return this.#callSid;
  }

  get isEchoBound(): boolean {
    return this.#run?.isEcho ?? false;
  }

  /** Live records: item operations update `truncatedAtMs` on them. */
  assistantItems(): AssistantAudioRecord[] {
    return this.#assistantItems;
  }

  failNextResponse(): void {
    this.#shouldFailNext = true;
  }

  /**
   * The scenario binds at the first response or the first committed caller speech, whichever comes first:
   * `response.metadata.call_sid` picks a registered scenario, anything else the default.
   */
  bindRun(callSid: string | undefined): ScenarioRun {
    if (!this.#run) {
      this.#run = this.#deps.resolveScenario(callSid);
      this.#callSid = callSid;
    }
    return this.#run;
  }

  activeInBand(): ResponseStream | undefined {
    return this.#responses.find((stream) => stream.isInBand && stream.isActive);
  }

  activeEcho(): ResponseStream | undefined {
    return this.#responses.find((stream) => stream.isEcho && stream.isActive);
  }

  create(params: ResponseParams): RealtimeErrorBody | null {
    const isInBand = (params.conversation ?? 'auto') === 'auto';
    const active = this.activeInBand();
    // Only one response can write to the default conversation at a time [C]/[F] (§3, §4.9).
    if (isInBand && active) return realtimeErrors.activeResponse(active.id);
    for (const [index, entry] of (params.input ?? []).entries()) {
      if (entry.type === 'item_reference' && !this.#deps.conversation.get(entry.id)) {
        return realtimeErrors.itemNotFound(entry.id, 'invalid_value', `response.input[${index}].id`);
      }
    }
    const run = this.bindRun(params.metadata?.call_sid);
    const session = this.#deps.session();
    const base = { instructions: params.instructions ?? session.instructions, metadata: params.metadata ?? null };
    let plan: ResponsePlan;
    try {
      plan = isInBand ? run.nextResponse(base) : run.outOfBand(base);
    } catch (error) {
      this.#deps.onProblem(`scenario step threw: ${error instanceof Error ? error.message : String(error)}`);
      plan = { say: null, toolCalls: [], label: 'failed step' };
    }
    for (const problem of undeclaredToolCalls(plan, params.tools ?? session.tools, params.tool_choice ?? session.tool_choice)) this.#deps.onProblem(problem);
    this.#start(plan, params, isInBand);
    return null;
  }

  /** Echo: a response opens at speech_started and is fed the caller's chunks (scenario.ts, EchoScenario). */
  openEcho(): void {
    if (!this.activeInBand()) this.#start('echo', {}, true);
  }

  /** `interrupt_response` cancels whatever writes to the default conversation [C] (§2 note C, §6 step 4). */
  interrupt(): void {
    for (const stream of this.#responses.filter((candidate) => candidate.isInBand)) stream.cancel('turn_detected');
  }

  cancel(responseId: string | undefined): RealtimeErrorBody | null {
    const target = responseId
      ? this.#responses.find((stream) => stream.id === responseId && stream.isActive)
      : (this.activeInBand() ?? this.#responses.find((stream) => stream.isActive));
    // Nothing active → response_cancel_not_active; the session is unaffected [F] (§3, §4.9).
    if (!target) return realtimeErrors.cancelNotActive();
    target.cancel('client_cancelled');
    return null;
  }

  /** Records a tool output for the scenario; only calls this connection emitted count (replayed ones are context). */
  recordToolOutput(callId: string, name: string, output: string): boolean {
    if (!this.#emittedCallIds.has(callId)) return false;
    this.#run?.recordToolOutput(callId, name, output);
    return true;
  }

  abandonAll(): void {
    for (const stream of this.#responses) stream.abandon();
    this.#responses = [];
  }

  #start(plan: ResponsePlan | 'echo', params: ResponseParams, isInBand: boolean): void {
    this.#responseCount += 1;
    const shouldFail = this.#shouldFailNext || this.#deps.failResponses.includes(this.#responseCount);
    this.#shouldFailNext = false;
    const session = this.#deps.session();
    const output = session.audio.output;
    const instructions = params.instructions ?? session.instructions;
    const contextEntries = params.input ? params.input.flatMap((entry) => this.#contextEntryOf(entry, session)) : this.#deps.conversation.entries();
    const stream = new ResponseStream(
      {
        id: this.#deps.ids.next('resp'),
        conversation: isInBand ? this.#deps.conversation : null,
        modality: (params.output_modalities ?? session.output_modalities)[0],
        format: params.audio?.output?.format ? normalizeFormat(params.audio.output.format) : output.format,
        voice: params.audio?.output?.voice ?? output.voice,
        speed: output.speed,
        maxOutputTokens: params.max_output_tokens ?? session.max_output_tokens,
        metadata: params.metadata ?? null,
        plan: plan === 'echo' ? 'echo' : { say: plan.say, toolCalls: plan.toolCalls },
        context: tallyContext(contextEntries, instructions, JSON.stringify(params.tools ?? session.tools)),
        pace: this.#deps.pace,
        firstAudioDelayMs: this.#deps.firstAudioDelayMs,
        shouldFail,
      },
      {
        clock: this.#deps.clock,
        ids: this.#deps.ids,
        send: (event) => this.#deps.send(event),
        onAudioProduced: () => {
          this.#hasProducedAudio = true;
        },
        onAssistantItem: (record) => this.#assistantItems.push(record),
        onFunctionCall: (call) => {
          this.#emittedCallIds.add(call.callId);
          this.#deps.onFunctionCall(call);
        },
        onDone: (done, usage) => {
          this.#responses = this.#responses.filter((candidate) => candidate !== done);
          this.#deps.send({ type: 'rate_limits.updated', rate_limits: this.#deps.onResponseDone(usage) });
        },
      },
    );
    this.#responses.push(stream);
    stream.start();
  }

  /** `response.create` `input` replaces the context: references resolve to stored items, the rest is built afresh. */
  #contextEntryOf(entry: ClientItemOrReference, session: WireSession): StoredItem[] {
    if (entry.type !== 'item_reference') return [storedItemFrom(entry, this.#deps.ids, session.audio.input.format)];
    const stored = this.#deps.conversation.get(entry.id);
    return stored ? [stored] : [];
  }
}
