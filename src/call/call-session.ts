// One call, end to end: wires the Twilio media stream to the Realtime model and the agent's tools, owns the call's
// phase, transcript, timings and outcome, and releases every timer and socket it started when the call ends.
import type { TwilioMediaStream } from '../telephony/media-stream.ts';
import type { RealtimeLink } from '../voice/realtime-link.ts';
import type { RealtimeServerEvent } from '../voice/realtime-server-event.ts';
import { encodeAppendAudio, encodeConversationMessage, encodeTruncate, type ResponseCreateOptions } from '../voice/realtime-codec.ts';
import { PlaybackTracker } from '../voice/playback-tracker.ts';
import { silenceBeforeFrameMs } from '../voice/input-gap-filler.ts';
import type { ToolInvocation, ToolRegistry } from '../agent/tool-registry.ts';
import type { AgentPrompts } from '../agent/instructions.ts';
import type { Clock, TimerHandle } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Result } from '../shared/result.ts';
import { assertNever } from '../shared/assert-never.ts';
import { MULAW_BYTES_PER_MS, mulawSilence } from '../shared/mulaw.ts';
import { base64ByteLength } from '../shared/base64.ts';
import type { CallRecorder, CallControlPort } from './ports.ts';
import { nextPhase, type CallExit, type CallPhase, type CallPhaseEvent } from './call-phase.ts';
import { Transcript } from './transcript.ts';
import { StreamClock, TurnLatency } from './timings.ts';
import { DtmfCollector } from './dtmf-collector.ts';
import { CallState } from './call-state.ts';
import { CallJournal } from './call-journal.ts';
import { ResponseSequencer } from './response-sequencer.ts';

export type CallIdentity = { callId: string; callSid: string; callerNumber: string | null };

export type CallSessionSettings = {
  maxCallSeconds: number;
  /** VAD silence that ends a caller turn; speech_stopped includes it (openai-realtime.md, 4.2). */
  vadSilenceMs: number;
  /** How long the model may be gone before the caller is handed to the fallback (issue: 2 s). */
  modelRecoveryMs: number;
  wrapUpLeadMs: number;
  /** Longest wait for the last words to play before hanging up or transferring anyway. */
  exitPlayoutTimeoutMs: number;
  dtmfPauseMs: number;
  fallbackTwiml: string;
  transferTwiml: string | null;
};

export type CallSessionDeps = {
  identity: CallIdentity;
  media: TwilioMediaStream;
  /** The model session opened while Twilio fetched the TwiML, or a fresh connection when none was ready. */
  firstLink: Promise<Result<RealtimeLink, unknown>>;
  connectLink: () => Promise<Result<RealtimeLink, unknown>>;
  tools: ToolRegistry;
  prompts: AgentPrompts;
  recorder: CallRecorder;
  control: CallControlPort;
  settings: CallSessionSettings;
  clock: Clock;
  log: Logger;
};

export type CallSummary = { callId: string; exit: CallExit; turns: number; toolCalls: number };

const PENDING_AUDIO_LIMIT_FRAMES = 150;

export class CallSession {
  readonly #deps: CallSessionDeps;
  readonly #log: Logger;
  readonly #tracker = new PlaybackTracker();
  readonly #transcript = new Transcript();
  readonly #streamClock = new StreamClock();
  readonly #latency = new TurnLatency();
  readonly #dtmf = new DtmfCollector();
  readonly #state: CallState;
  readonly #timers = new Set<TimerHandle>();
  readonly #discardedResponses = new Set<string>();
  readonly #pendingAudio: string[] = [];
  readonly #journal: CallJournal;
  readonly #responses: ResponseSequencer;
  #phase: CallPhase = { name: 'connecting' };
  #link: RealtimeLink | null = null;
  #linkGeneration = 0;
  #reconnects = 0;
  #inputOffsetMs = 0;
  #wrapUpSent = false;
  #dtmfTimer: TimerHandle | null = null;
  #exitTimer: TimerHandle | null = null;
  #isExitWaitOver = false;
  #isExitStarted = false;
  #resolveDone!: (summary: CallSummary) => void;
  /** Resolves once the outcome is stored and everything the call opened is closed. */
  readonly done: Promise<CallSummary>;

  constructor(deps: CallSessionDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ callId: deps.identity.callId });
    this.#state = new CallState(deps.identity);
    this.#journal = new CallJournal(deps.recorder, deps.identity.callId, deps.clock, this.#log);
    this.#responses = new ResponseSequencer(deps.identity.callSid);
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    deps.media.setHandlers({
      onAudio: (frame) => this.#relayCallerAudio(frame.payloadBase64, frame.timestampMs),
      onMark: (name) => this.#acknowledgeMark(name),
      onDtmf: (digit) => this.#collectDigit(digit),
      onStop: () => this.#end({ ...this.#state.exitFor('caller_hangup') }),
      onClose: () => this.#end({ ...this.#state.exitFor('stream_lost') }),
    });
  }

  get phase(): CallPhase {
    return this.#phase;
  }

  /** Starts the call: waits for the model (bounded), greets the caller, arms the duration limits. */
  start(): void {
    const { media, settings } = this.#deps;
    this.#log.info({ streamSid: media.streamSid }, 'call.started');
    this.#journal.markLive(media.streamSid);
    this.#after(settings.maxCallSeconds * 1000 - settings.wrapUpLeadMs, () => this.#wrapUp());
    this.#after(settings.maxCallSeconds * 1000, () => this.#leave(this.#state.exitForMaxDuration()));
    this.#after(settings.modelRecoveryMs, () => {
      if (this.#phase.name === 'connecting') this.#fallBack('model did not answer in time');
    });
    void this.#deps.firstLink.then(async (first) => {
      if (this.#phase.name !== 'connecting') return first.ok ? first.value.close() : undefined;
      const link = first.ok ? first.value : await this.#retryConnect();
      if (!link) return this.#fallBack('model unavailable at start');
      this.#attach(link);
      this.#journal.event('greeting');
      this.#requestResponse({ instructions: this.#deps.prompts.greeting, toolChoice: 'none' });
    });
  }

  // Caller → model. The hot path: one append per 20 ms frame, nothing else.
  #relayCallerAudio(payloadBase64: string, timestampMs: number): void {
    const gapMs = silenceBeforeFrameMs(this.#streamClock.expectedNextTimestampMs, timestampMs);
    const durationMs = base64ByteLength(payloadBase64) / MULAW_BYTES_PER_MS;
    this.#streamClock.observeFrame(timestampMs, durationMs, this.#deps.clock.monotonicMs());
    if (gapMs > 0) this.#appendCallerAudio(mulawSilence(gapMs).toString('base64'));
    this.#appendCallerAudio(payloadBase64);
  }

  #appendCallerAudio(payloadBase64: string): void {
    if (this.#phase.name === 'live' || this.#phase.name === 'leaving') {
      this.#link?.send(encodeAppendAudio(payloadBase64));
    } else if (this.#phase.name === 'connecting' && this.#pendingAudio.length < PENDING_AUDIO_LIMIT_FRAMES) {
      // Kept until the model is ready so its input timeline starts where the stream did.
      this.#pendingAudio.push(payloadBase64);
    }
  }

  // Model → caller.
  #onModelEvent(event: RealtimeServerEvent): void {
    switch (event.type) {
      case 'speechStarted':
        return this.#onCallerSpeechStarted(event.itemId, event.audioStartMs + this.#inputOffsetMs);
      case 'speechStopped': {
        const endedMs = Math.max(0, event.audioEndMs + this.#inputOffsetMs - this.#deps.settings.vadSilenceMs);
        this.#latency.callerStoppedSpeaking(endedMs);
        this.#transcript.callerTurnEnded(event.itemId, endedMs);
        return;
      }
      case 'inputTranscriptCompleted': {
        this.#journal.turn(this.#transcript.callerText(event.itemId, event.transcript));
        if (event.usage?.type === 'tokens') {
          this.#journal.usage({
            responseId: `transcription:${event.itemId}`,
            kind: 'transcription',
            inputTextTokens: event.usage.inputTextTokens,
            inputAudioTokens: event.usage.inputAudioTokens,
            cachedTextTokens: 0,
            cachedAudioTokens: 0,
            outputTextTokens: event.usage.outputTokens,
            outputAudioTokens: 0,
          });
        }
        return;
      }
      case 'inputTranscriptFailed':
        return this.#log.warn({ itemId: event.itemId }, 'call.transcription.failed');
      case 'responseCreated':
        return this.#responses.created(event.responseId);
      case 'outputItemAdded':
        if (event.itemType === 'message' && !this.#discardedResponses.has(event.responseId)) this.#transcript.agentTurnStarted(event.itemId);
        return;
      case 'audioDelta':
        return this.#playAgentAudio(event.responseId, event.itemId, event.contentIndex, event.audioBase64);
      case 'audioDone': {
        if (this.#discardedResponses.has(event.responseId)) return;
        const audioMs = this.#tracker.sentMs(event.itemId);
        this.#tracker.markAudioDone(event.itemId);
        this.#transcript.agentTurnDone(event.itemId, audioMs);
        return this.#saveTurn(event.itemId);
      }
      case 'transcriptDelta':
        if (!this.#discardedResponses.has(event.responseId)) this.#transcript.agentTextDelta(event.itemId, event.delta);
        return;
      case 'transcriptDone':
        if (this.#discardedResponses.has(event.responseId)) return;
        this.#transcript.agentTextDone(event.itemId, event.transcript);
        return this.#saveTurn(event.itemId);
      case 'functionCallRequested':
        return this.#runTool(event.callId, event.name, event.argumentsJson);
      case 'responseDone':
        return this.#onResponseDone(event);
      case 'error':
        if (event.isBenign) return this.#log.debug({ code: event.code }, 'realtime.error.benign');
        // Our response.create lost a race with a response the server started; ask again once that one is done.
        if (event.code === 'conversation_already_has_active_response') return this.#responses.wantResponse();
        this.#log.warn({ code: event.code, errorType: event.errorType, param: event.param }, 'realtime.error');
        this.#journal.event('model_error', { code: event.code });
        if (event.code === 'session_expired') this.#onLinkLost(this.#linkGeneration);
        return;
      case 'sessionCreated':
      case 'sessionUpdated':
      case 'inputCommitted':
      case 'inputCleared':
      case 'inputIdleTimeout':
      case 'itemAdded':
      case 'itemDone':
      case 'itemRetrieved':
      case 'itemTruncated':
      case 'itemDeleted':
      case 'inputTranscriptDelta':
      case 'outputItemDone':
      case 'rateLimits':
      case 'ignored':
      case 'unknown':
        return;
      default:
        return assertNever(event, 'realtime event');
    }
  }

  #playAgentAudio(responseId: string, itemId: string, contentIndex: number, audioBase64: string): void {
    // Deltas of an interrupted response keep arriving after the cancel; none of them may reach the caller.
    if (this.#discardedResponses.has(responseId) || this.#phase.name === 'ended') return;
    const { media } = this.#deps;
    const marks = this.#tracker.recordAudio(responseId, itemId, contentIndex, base64ByteLength(audioBase64));
    if (marks.startMark) media.sendMark(marks.startMark);
    media.sendAudio(audioBase64);
    media.sendMark(marks.endMark);
  }

  #acknowledgeMark(name: string): void {
    const streamMs = this.#streamClock.streamMsAt(this.#deps.clock.monotonicMs());
    const ack = this.#tracker.acknowledge(name, streamMs);
    if (ack.kind === 'heard' && ack.isFirstAudio) {
      const latencyMs = this.#latency.agentAudioStarted(streamMs);
      this.#transcript.agentAudioStarted(ack.itemId, streamMs, latencyMs);
      this.#saveTurn(ack.itemId);
      if (latencyMs !== null) this.#log.info({ latencyMs }, 'call.turn.latency');
    }
    if (this.#phase.name === 'leaving' && this.#isQuiet()) this.#completeExit(this.#phase.exit);
  }

  /** Stores an agent turn as it stands; later saves of the same turn update it (timing, final text). */
  #saveTurn(itemId: string): void {
    const turn = this.#transcript.snapshot(itemId);
    if (turn) this.#journal.turn(turn);
  }

  #onCallerSpeechStarted(itemId: string, streamMs: number): void {
    // Speaking over the agent's goodbye means the caller is not done: cancel the hang-up and keep listening.
    if (this.#phase.name === 'leaving' && this.#phase.exit.outcome === 'resolved' && !this.#isExitStarted) {
      this.#phase = nextPhase(this.#phase, { type: 'stay' });
      this.#exitTimer?.cancel();
      this.#exitTimer = null;
      this.#journal.event('exit_cancelled');
      this.#log.info('call.exit_cancelled');
    }
    this.#latency.callerStartedSpeaking();
    this.#transcript.callerTurnStarted(itemId, streamMs);
    const interrupted = this.#responses.activeResponseId;
    if (interrupted) this.#discardedResponses.add(interrupted);
    if (!this.#tracker.hasUnheardAudio) return;
    // Barge-in: flush what Twilio still holds, then cut each item where the caller stopped hearing it.
    const truncations = this.#tracker.interrupt();
    this.#deps.media.clearAudio();
    for (const cut of truncations) {
      this.#send(encodeTruncate({ itemId: cut.itemId, contentIndex: cut.contentIndex, audioEndMs: cut.audioEndMs }));
      const turn = this.#transcript.agentInterrupted(cut.itemId, cut.audioEndMs, cut.generatedMs);
      if (turn) this.#journal.turn(turn);
    }
    this.#journal.event('barge_in', { truncations: truncations.map((cut) => ({ itemId: cut.itemId, audioEndMs: cut.audioEndMs })) });
    this.#log.info({ truncations: truncations.length }, 'call.barge_in');
  }

  #onResponseDone(event: Extract<RealtimeServerEvent, { type: 'responseDone' }>): void {
    this.#responses.done(event.responseId);
    this.#discardedResponses.delete(event.responseId);
    if (event.usage) this.#journal.usage({ responseId: event.responseId, kind: 'response', ...event.usage });
    if (event.status === 'failed') {
      this.#log.warn({ reason: event.reason }, 'call.response.failed');
      this.#journal.event('response_failed', { reason: event.reason });
      if (this.#state.noteFailedResponse() >= 2) return this.#fallBack('model responses keep failing');
      this.#responses.wantResponse();
    } else if (event.status === 'completed') {
      this.#state.noteCompletedResponse();
    }
    this.#flushToolOutputs();
    if (this.#phase.name === 'leaving' && this.#isQuiet()) this.#completeExit(this.#phase.exit);
  }

  // Tools: the model asks, the tool decides; outputs go back in one batch once no response is active.
  #runTool(callId: string, name: string, argumentsJson: string): void {
    const seq = this.#journal.nextToolSeq();
    const startedAt = new Date(this.#deps.clock.now());
    this.#responses.toolStarted();
    const fillerMs = this.#deps.tools.fillerAfterMs(name);
    const filler = fillerMs === undefined ? null : this.#after(fillerMs, () => this.#sayStillChecking());
    void this.#deps.tools
      .invoke(name, argumentsJson, { facts: this.#state.facts(), clock: this.#deps.clock, log: this.#log })
      .then((invocation) => {
        filler?.cancel();
        this.#log.info({ tool: name, status: invocation.status, durationMs: Math.round(invocation.latencyMs) }, 'tool.finished');
        this.#journal.toolCall({
          seq,
          name,
          arguments: invocation.redactedArguments,
          status: invocation.status,
          resultSummary: invocation.summary,
          latencyMs: invocation.latencyMs,
          startedAt,
        });
        const isResponseWanted = this.#applyEffects(invocation);
        this.#responses.toolFinished(callId, JSON.stringify(invocation.output), isResponseWanted);
        this.#flushToolOutputs();
      });
  }

  /** Applies a tool's effects; answers whether the model should speak again after the tool's output. */
  #applyEffects(invocation: ToolInvocation): boolean {
    if (this.#phase.name === 'ended') return false;
    let isResponseWanted = true;
    for (const effect of invocation.effects) {
      const exit = this.#state.apply(effect, this.#deps.settings.transferTwiml !== null);
      if (exit) {
        this.#journal.event(exit.via === 'transfer' ? 'transfer_requested' : 'exit_requested', { outcome: exit.outcome, reason: exit.reason });
        this.#phase = nextPhase(this.#phase, { type: 'leave', exit });
        // end_call follows the goodbye already spoken; an escalation still has words to say.
        if (effect.kind === 'end_call') isResponseWanted = false;
      }
    }
    return isResponseWanted;
  }

  #flushToolOutputs(): void {
    if (this.#phase.name === 'ended' || !this.#link) return;
    this.#responses.flush(this.#send);
  }

  #requestResponse(options: Omit<ResponseCreateOptions, 'metadata'> = {}): void {
    this.#responses.request(this.#send, options);
  }

  #sayStillChecking(): void {
    if (this.#responses.activeResponseId !== null || this.#tracker.hasUnheardAudio || this.#phase.name !== 'live') return;
    this.#requestResponse({ instructions: this.#deps.prompts.stillChecking, conversation: 'none', toolChoice: 'none' });
  }

  #collectDigit(digit: string): void {
    this.#dtmfTimer?.cancel();
    const entry = this.#dtmf.press(digit);
    if (entry) return this.#submitKeyedDigits(entry.digits);
    if (this.#dtmf.hasDigits) {
      this.#dtmfTimer = this.#after(this.#deps.settings.dtmfPauseMs, () => {
        const paused = this.#dtmf.pause();
        if (paused) this.#submitKeyedDigits(paused.digits);
      });
    }
  }

  #submitKeyedDigits(digits: string): void {
    const text = `(keyed on the phone keypad) ${digits}`;
    this.#journal.turn(this.#transcript.callerKeyed(text, this.#streamClock.streamMsAt(this.#deps.clock.monotonicMs())));
    this.#send(encodeConversationMessage({ role: 'user', text }));
    this.#responses.requestSoon(this.#send);
  }

  #wrapUp(): void {
    if (this.#wrapUpSent || this.#phase.name !== 'live') return;
    this.#wrapUpSent = true;
    this.#journal.event('wrap_up');
    this.#send(encodeConversationMessage({ role: 'system', text: this.#deps.prompts.wrapUp }));
    this.#responses.requestSoon(this.#send);
  }

  // The model link: attach, lose, recover once, else fall back.
  #attach(link: RealtimeLink): void {
    const generation = ++this.#linkGeneration;
    this.#link = link;
    link.setHandlers({
      onEvent: (event) => {
        if (generation === this.#linkGeneration) this.#onModelEvent(event);
      },
      onClose: (info) => {
        if (!info.isExpected) this.#onLinkLost(generation);
      },
    });
    this.#phase = nextPhase(this.#phase, { type: 'model_ready' });
    for (const payload of this.#pendingAudio.splice(0)) link.send(encodeAppendAudio(payload));
  }

  #onLinkLost(generation: number): void {
    if (generation !== this.#linkGeneration || this.#phase.name === 'ended') return;
    this.#link?.close();
    this.#link = null;
    this.#responses.reset();
    this.#log.warn({ reconnects: this.#reconnects }, 'call.model.lost');
    this.#journal.event('model_lost');
    if (this.#reconnects >= 1 || this.#phase.name === 'leaving') return this.#fallBack('model connection lost');
    this.#reconnects++;
    this.#transition({ type: 'model_lost', atMs: this.#deps.clock.monotonicMs() });
    const deadline = this.#after(this.#deps.settings.modelRecoveryMs, () => {
      if (this.#phase.name === 'reconnecting') this.#fallBack('model did not come back in time');
    });
    void this.#deps.connectLink().then((next) => {
      deadline.cancel();
      if (this.#phase.name !== 'reconnecting') return next.ok ? next.value.close() : undefined;
      if (!next.ok) return this.#fallBack('model reconnect failed');
      this.#inputOffsetMs = this.#streamClock.streamMsAt(this.#deps.clock.monotonicMs());
      this.#attach(next.value);
      for (const turn of this.#transcript.replayable()) {
        this.#send(encodeConversationMessage({ role: turn.speaker === 'caller' ? 'user' : 'assistant', text: turn.text }));
      }
      this.#journal.event('model_restored');
      this.#log.info('call.model.restored');
      this.#requestResponse({ instructions: this.#deps.prompts.resume });
    });
  }

  async #retryConnect(): Promise<RealtimeLink | null> {
    const second = await this.#deps.connectLink();
    if (second.ok && this.#phase.name !== 'connecting') {
      second.value.close();
      return null;
    }
    return second.ok ? second.value : null;
  }

  #fallBack(why: string): void {
    if (this.#phase.name === 'ended') return;
    this.#log.warn({ why }, 'call.fallback');
    this.#journal.event('fallback', { why });
    const exit = this.#state.exitForFallback();
    this.#phase = nextPhase(this.#phase, { type: 'leave', exit });
    this.#completeExit(exit);
  }

  #leave(exit: CallExit): void {
    this.#phase = nextPhase(this.#phase, { type: 'leave', exit });
    if (this.#phase.name === 'leaving') this.#completeExit(this.#phase.exit);
  }

  #isQuiet(): boolean {
    return this.#responses.isIdle && !this.#tracker.hasUnheardAudio;
  }

  /** Carries out the exit once the last words have played, or at once for a fallback or the time limit. */
  #completeExit(exit: CallExit): void {
    if (this.#isExitStarted) return;
    const mustWait = exit.via === 'hangup' || exit.via === 'transfer';
    if (mustWait && !this.#isQuiet() && !this.#isExitWaitOver) {
      this.#exitTimer ??= this.#after(this.#deps.settings.exitPlayoutTimeoutMs, () => {
        this.#isExitWaitOver = true;
        this.#completeExit(exit);
      });
      return;
    }
    this.#isExitStarted = true;
    const { control, identity, settings, media } = this.#deps;
    const twiml = exit.via === 'transfer' ? settings.transferTwiml : exit.via === 'fallback' ? settings.fallbackTwiml : null;
    const action = twiml ? control.redirect(identity.callSid, twiml) : exit.via === 'hangup' ? control.hangUp(identity.callSid) : Promise.resolve(null);
    void action.then((result) => {
      if (result && !result.ok) this.#log.warn({ via: exit.via, code: result.error.code }, 'call.control.failed');
      // A redirect ends the stream from Twilio's side (stop); closing it ourselves would hang up the caller.
      if (!twiml || (result && !result.ok)) media.close();
      this.#end(exit);
    });
  }

  #end(exit: CallExit): void {
    if (this.#phase.name === 'ended') return;
    const ended = nextPhase(this.#phase, { type: 'end', exit });
    this.#phase = ended;
    const final = ended.name === 'ended' ? ended.exit : exit;
    for (const timer of this.#timers) timer.cancel();
    this.#timers.clear();
    this.#link?.close();
    this.#link = null;
    this.#log.info({ outcome: final.outcome, reason: final.reason, via: final.via }, 'call.ended');
    const { identity, clock } = this.#deps;
    this.#journal.outcome(this.#state.ending(final, new Date(clock.now())));
    void this.#journal.settled().then(() => {
      this.#resolveDone({ callId: identity.callId, exit: final, turns: this.#transcript.turns.length, toolCalls: this.#journal.toolCallCount });
    });
  }

  /** Ends the call from outside (service shutdown); safe to call more than once. */
  close(): Promise<CallSummary> {
    if (this.#phase.name !== 'ended') {
      this.#deps.media.close();
      this.#end(this.#state.exitFor('stream_lost'));
    }
    return this.done;
  }

  #transition(event: CallPhaseEvent): void {
    this.#phase = nextPhase(this.#phase, event);
  }

  readonly #send = (encoded: string): void => {
    this.#link?.send(encoded);
  };

  #after(delayMs: number, callback: () => void): TimerHandle {
    const handle = this.#deps.clock.setTimeout(() => {
      this.#timers.delete(handle);
      callback();
    }, Math.max(0, delayMs));
    this.#timers.add(handle);
    return handle;
  }
}
