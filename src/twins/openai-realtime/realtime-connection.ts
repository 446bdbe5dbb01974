// One upgraded WebSocket: dispatches client events (§3), runs VAD, keeps the session and the conversation.
// What the model says is the Responder's and the ScenarioRun's business; it never touches other connections.
import { assertNever } from '../../shared/assert-never.ts';
import type { WebSocket } from 'ws';
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { IdSource } from '../../shared/ids.ts';
import type { Logger } from '../../shared/logger.ts';
import { parseClientEvent, type ClientEvent } from './client-events.ts';
import type { ClientItem, WireItem } from './conversation-items.ts';
import { Conversation } from './conversation.ts';
import { InputAudioBuffer } from './input-audio-buffer.ts';
import { transcriptionEvents } from './input-transcription.ts';
import { applyItemOperation, storedItemFrom, type ItemOperationEvent, type Truncation } from './item-operations.ts';
import { Responder } from './responder.ts';
import type { AssistantAudioRecord, AudioPace, FunctionCallEmitted } from './response-stream.ts';
import type { ScenarioRun } from './scenario.ts';
import { buildDefaultSession, checkSessionUpdate, mergeSession, type SessionUpdate, type WireSession } from './session-schema.ts';
import type { WireUsage } from './usage.ts';
import { realtimeErrors, type RealtimeErrorBody } from './wire-errors.ts';

export type ConnectionFaults = {
  /** Delay before the first audio delta of every response on the connection. */
  firstAudioDelayMs?: number;
  /** 1-based ordinals of responses on the connection that end with `status: "failed"`. */
  failResponses?: readonly number[];
};

export type ReceivedClientEvent = { type: string; payload: unknown };
export type SentServerEvent = { type: string; payload: Record<string, unknown> };
export type SentError = RealtimeErrorBody & { eventId: string | null };

export type ConnectionHooks = {
  resolveScenario(callSid: string | undefined): ScenarioRun;
  onErrorSent(connection: RealtimeConnection, error: SentError): void;
  onFunctionCall(connection: RealtimeConnection, call: FunctionCallEmitted): void;
  onFunctionCallOutput(connection: RealtimeConnection, callId: string, output: string): void;
  onTruncation(connection: RealtimeConnection, truncation: Truncation): void;
  onProblem(connection: RealtimeConnection, problem: string): void;
  onResponseDone(usage: WireUsage): readonly Record<string, unknown>[];
};

export type ConnectionSettings = {
  socket: WebSocket;
  clock: Clock;
  ids: IdSource;
  log: Logger | undefined;
  model: string;
  sessionMaxMs: number;
  pace: AudioPace;
  transcriptionDelayMs: number;
  faults: ConnectionFaults;
  hooks: ConnectionHooks;
};

export class RealtimeConnection {
  readonly id: string;
  readonly model: string;
  #settings: ConnectionSettings;
  #session: WireSession;
  #conversation: Conversation;
  #input = new InputAudioBuffer();
  #responder: Responder;
  #pendingSpeech: { itemId: string; audioStartMs: number } | null = null;
  #timers = new Set<TimerHandle>();
  #received: ReceivedClientEvent[] = [];
  #sent: { type: string; text: string }[] = [];
  #isOpen = true;
  #closed: Promise<void>;

  constructor(settings: ConnectionSettings) {
    const { socket, clock, ids, hooks } = settings;
    this.#settings = settings;
    this.id = ids.next('sess');
    this.model = settings.model;
    this.#session = buildDefaultSession({ id: this.id, model: settings.model, expiresAtSec: Math.floor((clock.now() + settings.sessionMaxMs) / 1000) });
    this.#conversation = new Conversation(ids.next('conv'));
    this.#input.configure(this.#session.audio.input.format, this.#session.audio.input.turn_detection);
    this.#responder = new Responder({
      clock,
      ids,
      pace: settings.pace,
      firstAudioDelayMs: settings.faults.firstAudioDelayMs ?? 0,
      failResponses: settings.faults.failResponses ?? [],
      conversation: this.#conversation,
      session: () => this.#session,
      send: (event) => this.#send(event),
      resolveScenario: (callSid) => hooks.resolveScenario(callSid),
      onFunctionCall: (call) => hooks.onFunctionCall(this, call),
      onProblem: (problem) => hooks.onProblem(this, problem),
      onResponseDone: (usage) => hooks.onResponseDone(usage),
    });
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('close', () => this.#onClosed());
    socket.on('error', (error) => settings.log?.debug({ connectionId: this.id, error: error.message }, 'realtime_twin.socket.error'));
    socket.on('message', (data, isBinary) => this.#onFrame(isBinary ? null : data.toString()));
    // session.created is the first frame, and nothing follows until the client acts [C] (§1, §9).
    this.#send({ type: 'session.created', session: this.#session });
    this.#schedule(settings.sessionMaxMs, () => this.expireSession());
  }

  get callSid(): string | undefined {
    return this.#responder.callSid;
  }

  isOpen(): boolean {
    return this.#isOpen;
  }

  whenClosed(): Promise<void> {
    return this.#closed;
  }

  received(): readonly ReceivedClientEvent[] {
    return [...this.#received];
  }

  sent(): readonly SentServerEvent[] {
    return this.#sent.map(({ type, text }) => ({ type, payload: JSON.parse(text) }));
  }

  session(): WireSession {
    return structuredClone(this.#session);
  }

  inputTimelineMs(): number {
    return this.#input.timelineMs;
  }

  assistantItems(): readonly AssistantAudioRecord[] {
    return this.#responder.assistantItems().map((record) => ({ ...record }));
  }

  itemAudioDurationMs(itemId: string): number | undefined {
    return this.#conversation.get(itemId)?.audioDurationMs;
  }

  conversationItems(): readonly WireItem[] {
    return this.#conversation.entries().map((entry) => structuredClone(entry.item));
  }

  /** Fault: destroys the TCP socket without a close frame. */
  drop(): void {
    this.#settings.socket.terminate();
  }

  /** Fault: a transient `server_error` (§4.9), optionally followed by close code 1011. */
  sendServerError(options: { close?: boolean } = {}): void {
    this.#sendError(realtimeErrors.serverError(), undefined);
    if (options.close) this.#settings.socket.close(1011, 'server_error');
  }

  /** Fault: the next response ends with `status: "failed"` after its first audio delta. */
  failNextResponse(): void {
    this.#responder.failNextResponse();
  }

  /** The session cap (§7): `error/session_expired`, then the socket closes. */
  expireSession(): void {
    if (!this.#isOpen) return;
    this.#stopEverything();
    this.#sendError(realtimeErrors.sessionExpired(Math.round(this.#settings.sessionMaxMs / 60_000)), undefined);
    this.#settings.socket.close(1000, 'session_expired');
  }

  close(): void {
    this.#stopEverything();
    this.#settings.socket.terminate();
  }

  #onFrame(text: string | null): void {
    if (text === null) {
      this.#received.push({ type: '(binary)', payload: null });
      return this.#sendError(realtimeErrors.invalidJson(), undefined);
    }
    const { json, result } = parseClientEvent(text);
    const type = typeof json === 'object' && json !== null ? Reflect.get(json, 'type') : undefined;
    this.#received.push({ type: typeof type === 'string' ? type : '(invalid)', payload: json });
    if (result.ok) return this.#dispatch(result.value);
    const { error, eventId } = result.error;
    this.#settings.log?.debug({ connectionId: this.id, type, code: error.code, param: error.param }, 'realtime_twin.client_event.rejected');
    this.#sendError(error, eventId);
  }

  #dispatch(event: ClientEvent): void {
    const rejectIf = (error: RealtimeErrorBody | null) => {
      if (error) this.#sendError(error, event.eventId);
    };
    switch (event.type) {
      case 'session.update':
        return this.#updateSession(event.session, event.eventId);
      case 'input_audio_buffer.append':
        return this.#appendAudio(event.audio);
      case 'input_audio_buffer.commit':
        return this.#commitManually(event.eventId);
      case 'input_audio_buffer.clear':
        this.#input.clear();
        this.#pendingSpeech = null;
        return this.#send({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.#createItem(event.item, event.previousItemId, event.eventId);
      case 'conversation.item.truncate':
      case 'conversation.item.delete':
      case 'conversation.item.retrieve':
        return this.#operateOnItem(event, event.eventId);
      case 'response.create':
        return rejectIf(this.#responder.create(event.response));
      case 'response.cancel':
        return rejectIf(this.#responder.cancel(event.responseId));
      case 'session.close':
        this.#stopEverything();
        return this.#settings.socket.close(1000, 'session.close');
      default:
        return assertNever(event, 'client event');
    }
  }

  #updateSession(update: SessionUpdate, eventId: string | undefined): void {
    const rejection = checkSessionUpdate(this.#session, update, this.#responder.hasProducedAudio);
    if (rejection) return this.#sendError(rejection, eventId);
    this.#session = mergeSession(this.#session, update);
    this.#input.configure(this.#session.audio.input.format, this.#session.audio.input.turn_detection);
    // session.updated carries the full effective config and is not correlated with event_id [C] (§4.1).
    this.#send({ type: 'session.updated', session: this.#session });
  }

  /** Echo sends the chunk back in the same turn of the event loop as it arrived: after a start, before a stop. */
  #appendAudio(bytes: Buffer): void {
    let isChunkEchoed = false;
    const echoChunk = () => {
      const echo = this.#responder.activeEcho();
      if (isChunkEchoed || !echo) return;
      echo.pushEchoAudio(bytes);
      isChunkEchoed = true;
    };
    for (const event of this.#input.append(bytes)) {
      if (event.type === 'speech_started') {
        this.#onSpeechStarted(event.audioStartMs);
        echoChunk();
      } else {
        echoChunk();
        this.#onSpeechStopped(event.audioEndMs);
      }
    }
    echoChunk();
  }

  #onSpeechStarted(audioStartMs: number): void {
    const itemId = this.#settings.ids.next('item');
    this.#pendingSpeech = { itemId, audioStartMs };
    this.#send({ type: 'input_audio_buffer.speech_started', audio_start_ms: audioStartMs, item_id: itemId });
    if (this.#session.audio.input.turn_detection?.interrupt_response) this.#responder.interrupt();
    if (this.#responder.bindRun(undefined).isEcho) this.#responder.openEcho();
  }

  #onSpeechStopped(audioEndMs: number): void {
    const pending = this.#pendingSpeech;
    if (!pending) return;
    this.#pendingSpeech = null;
    this.#send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: audioEndMs, item_id: pending.itemId });
    const { audio, durationMs } = this.#input.commit(pending.audioStartMs, audioEndMs);
    this.#commitUserAudio(pending.itemId, audio, durationMs);
    const echo = this.#responder.activeEcho();
    if (echo) return echo.completeEcho();
    if (this.#responder.isEchoBound) return;
    // create_response: auto response.create on VAD stop; it "may fail" while a response is active [C] (§2 note C).
    if (this.#session.audio.input.turn_detection?.create_response && !this.#responder.activeInBand()) this.#responder.create({});
  }

  #commitManually(eventId: string | undefined): void {
    // At least 100 ms must be buffered [F] (§4.9, §7).
    if (this.#input.bufferedMs < 100) return this.#sendError(realtimeErrors.commitEmpty(this.#input.bufferedMs), eventId);
    const itemId = this.#pendingSpeech?.itemId ?? this.#settings.ids.next('item');
    this.#pendingSpeech = null;
    const { audio, durationMs } = this.#input.commit(this.#input.bufferStartMs, this.#input.timelineMs);
    this.#input.resetVad();
    this.#commitUserAudio(itemId, audio, durationMs);
  }

  /** committed → conversation.item.added → conversation.item.done, then transcription asynchronously (§4.2–§4.4, §9). */
  #commitUserAudio(itemId: string, audio: Buffer, durationMs: number): void {
    const transcript = this.#responder.bindRun(undefined).onCallerSegment();
    const item: WireItem = { id: itemId, object: 'realtime.item', type: 'message', status: 'completed', role: 'user', content: [{ type: 'input_audio', transcript: null }] };
    const previousItemId = this.#conversation.insert({ item, audioChunks: [audio], audioDurationMs: durationMs });
    this.#send({ type: 'input_audio_buffer.committed', previous_item_id: previousItemId, item_id: itemId });
    this.#send({ type: 'conversation.item.added', previous_item_id: previousItemId, item });
    this.#send({ type: 'conversation.item.done', previous_item_id: previousItemId, item });
    const model = this.#session.audio.input.transcription?.model;
    if (model) this.#schedule(this.#settings.transcriptionDelayMs, () => this.#transcribe(itemId, transcript, model, durationMs));
  }

  #transcribe(itemId: string, transcript: string, model: string, audioMs: number): void {
    const stored = this.#conversation.get(itemId);
    if (!stored || stored.item.type !== 'message') return;
    stored.item.content = [{ type: 'input_audio', transcript }];
    for (const event of transcriptionEvents({ itemId, model, transcript, audioMs })) this.#send(event);
  }

  #createItem(clientItem: ClientItem, previousItemId: string | null | undefined, eventId: string | undefined): void {
    const reject = (error: RealtimeErrorBody) => this.#sendError(error, eventId);
    if (clientItem.id !== undefined && this.#conversation.get(clientItem.id)) {
      return reject(realtimeErrors.invalidValue('item.id', `Item with id ${clientItem.id} already exists.`));
    }
    if (previousItemId && previousItemId !== 'root' && !this.#conversation.get(previousItemId)) {
      return reject(realtimeErrors.itemNotFound(previousItemId, 'invalid_value', 'previous_item_id'));
    }
    // The server checks that a function_call with this call_id exists [C] (§3); the code is unverified [I].
    const call = clientItem.type === 'function_call_output' ? this.#conversation.findFunctionCall(clientItem.call_id) : undefined;
    if (clientItem.type === 'function_call_output' && !call) return reject(realtimeErrors.unknownCallId(clientItem.call_id));
    const entry = storedItemFrom(clientItem, this.#settings.ids, this.#session.audio.input.format);
    const previous = this.#conversation.insert(entry, previousItemId);
    this.#send({ type: 'conversation.item.added', previous_item_id: previous, item: entry.item });
    this.#send({ type: 'conversation.item.done', previous_item_id: previous, item: entry.item });
    // An output never triggers a response by itself [C] (§3, §5 step 7).
    if (clientItem.type === 'function_call_output' && call && this.#responder.recordToolOutput(call.call_id, call.name, clientItem.output)) {
      this.#settings.hooks.onFunctionCallOutput(this, call.call_id, clientItem.output);
    }
  }

  #operateOnItem(event: ItemOperationEvent, eventId: string | undefined): void {
    const outcome = applyItemOperation(this.#conversation, this.#responder.assistantItems(), event);
    if (!outcome.ok) return this.#sendError(outcome.error, eventId);
    this.#send(outcome.value.reply);
    if (outcome.value.truncation) this.#settings.hooks.onTruncation(this, outcome.value.truncation);
  }

  #send(event: Record<string, unknown> & { type: string }): void {
    if (!this.#isOpen || this.#settings.socket.readyState !== this.#settings.socket.OPEN) return;
    const { type, ...rest } = event;
    const text = JSON.stringify({ type, event_id: this.#settings.ids.next('event'), ...rest });
    this.#sent.push({ type, text });
    this.#settings.socket.send(text);
  }

  /** `error.event_id` echoes the offending client event's id (§4.9). */
  #sendError(body: RealtimeErrorBody, clientEventId: string | undefined): void {
    const error = { ...body, event_id: clientEventId ?? null };
    this.#send({ type: 'error', error });
    this.#settings.hooks.onErrorSent(this, { ...body, eventId: error.event_id });
  }

  #schedule(delayMs: number, callback: () => void): void {
    const handle = this.#settings.clock.setTimeout(() => {
      this.#timers.delete(handle);
      callback();
    }, delayMs);
    this.#timers.add(handle);
  }

  #stopEverything(): void {
    this.#responder.abandonAll();
    for (const timer of this.#timers) timer.cancel();
    this.#timers.clear();
  }

  #onClosed(): void {
    this.#isOpen = false;
    this.#stopEverything();
    this.#settings.log?.debug({ connectionId: this.id }, 'realtime_twin.connection.closed');
  }
}
