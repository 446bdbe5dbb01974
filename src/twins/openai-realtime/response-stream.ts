// One response from `response.created` to `response.done`: the §4.5 event order, paced audio, function calls (§4.6),
// cancellation and failure. It owns its timer; the connection owns which responses are active.
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { IdSource } from '../../shared/ids.ts';
import { bytesPerMs, encodeAudio, sampleRateOf, type WireAudioFormat } from './audio-formats.ts';
import type { WireItem } from './conversation-items.ts';
import type { Conversation, StoredItem } from './conversation.ts';
import type { PlannedToolCall } from './scenario.ts';
import type { WireVoice } from './session-schema.ts';
import { charactersSpokenBy, synthesizeSpeech } from './synthetic-voice.ts';
import { computeUsage, type ContextTally, type WireUsage } from './usage.ts';

/** Audio goes out faster than real time (§6): `burst` yields between chunks only; a number is a multiple of real time. */
export type AudioPace = { chunkMs: number; speedFactor: number | 'burst' };

export type ResponseStatus = 'completed' | 'cancelled' | 'failed' | 'incomplete';
export type CancelReason = 'turn_detected' | 'client_cancelled';

/** Inspection record of one assistant message: its full duration is known before the first delta. */
export type AssistantAudioRecord = {
  itemId: string;
  responseId: string;
  text: string;
  /** Duration of the whole line as planned (for echo: what has been echoed so far). */
  audioDurationMs: number;
  sentAudioMs: number;
  status: 'in_progress' | 'completed' | 'incomplete';
  truncatedAtMs: number | null;
};

export type FunctionCallEmitted = { responseId: string; itemId: string; callId: string; name: string; argumentsJson: string };

export type ResponseSetup = {
  id: string;
  /** Null for an out-of-band response (`conversation: "none"`): its items never enter the conversation. */
  conversation: Conversation | null;
  modality: 'audio' | 'text';
  format: WireAudioFormat;
  voice: WireVoice;
  speed: number;
  maxOutputTokens: number | 'inf';
  metadata: Readonly<Record<string, string>> | null;
  /** `echo`: an open-ended audio message fed by `pushEchoAudio` until `completeEcho`. */
  plan: { say: string | null; toolCalls: readonly PlannedToolCall[] } | 'echo';
  context: ContextTally;
  pace: AudioPace;
  firstAudioDelayMs: number;
  /** Fault: end with `status: "failed"` right after the first audio delta (or at once without audio). */
  shouldFail: boolean;
};

export type ResponseStreamHooks = {
  clock: Clock;
  ids: IdSource;
  send(event: Record<string, unknown> & { type: string }): void;
  onAudioProduced(): void;
  onAssistantItem(record: AssistantAudioRecord): void;
  onFunctionCall(call: FunctionCallEmitted): void;
  onDone(stream: ResponseStream, usage: WireUsage): void;
};

type MessageState = {
  stored: StoredItem;
  record: AssistantAudioRecord;
  text: string;
  audio: Buffer;
  sentBytes: number;
  spokenChars: number;
  isCutByTokenLimit: boolean;
};

export class ResponseStream {
  readonly id: string;
  readonly isInBand: boolean;
  #setup: ResponseSetup;
  #hooks: ResponseStreamHooks;
  #outputItems: WireItem[] = [];
  #message: MessageState | null = null;
  #timer: TimerHandle | null = null;
  #isDone = false;
  #outputTextChars = 0;
  #outputAudioBytes = 0;

  constructor(setup: ResponseSetup, hooks: ResponseStreamHooks) {
    this.id = setup.id;
    this.isInBand = setup.conversation !== null;
    this.#setup = setup;
    this.#hooks = hooks;
  }

  get isActive(): boolean {
    return !this.#isDone;
  }

  get isEcho(): boolean {
    return this.#setup.plan === 'echo';
  }

  start(): void {
    this.#hooks.send({ type: 'response.created', response: this.#responseObject('in_progress', null, null) });
    const plan = this.#setup.plan;
    if (plan === 'echo') {
      this.#beginMessage('');
      return;
    }
    if (plan.say) {
      this.#beginMessage(plan.say);
      if (this.#setup.modality === 'text') this.#streamText();
      else this.#scheduleChunk(this.#setup.firstAudioDelayMs);
      return;
    }
    if (this.#setup.shouldFail) return this.#fail();
    this.#emitFunctionCalls(plan.toolCalls);
    this.#finish('completed', null);
  }

  /** Ends the response as `cancelled` (§4.5, §6 step 4); a finished response is left alone. */
  cancel(reason: CancelReason): void {
    if (this.#isDone) return;
    this.#timer?.cancel();
    if (this.#message) this.#endMessage('incomplete');
    this.#finish('cancelled', { type: 'cancelled', reason });
  }

  /** Connection gone: stop without sending anything. */
  abandon(): void {
    this.#timer?.cancel();
    this.#isDone = true;
  }

  pushEchoAudio(bytes: Buffer): void {
    const message = this.#message;
    if (this.#isDone || !message || this.#setup.plan !== 'echo') return;
    this.#sendAudio(message, bytes);
  }

  completeEcho(): void {
    if (this.#isDone || !this.#message || this.#setup.plan !== 'echo') return;
    this.#endMessage('completed');
    this.#finish('completed', null);
  }

  #beginMessage(text: string): void {
    const { conversation, modality, format, speed, maxOutputTokens } = this.#setup;
    const item: WireItem = { id: this.#hooks.ids.next('item'), object: 'realtime.item', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
    let audio = modality === 'audio' && text ? encodeAudio(format, synthesizeSpeech(text, sampleRateOf(format), speed)) : Buffer.alloc(0);
    // A finite max_output_tokens cuts the audio at 1 token per 50 ms and ends the response incomplete (§4.5) [I].
    const maxAudioBytes = maxOutputTokens === 'inf' ? Number.POSITIVE_INFINITY : maxOutputTokens * 50 * bytesPerMs(format);
    const isCutByTokenLimit = audio.length > maxAudioBytes;
    if (isCutByTokenLimit) audio = audio.subarray(0, maxAudioBytes);
    const record: AssistantAudioRecord = {
      itemId: item.id,
      responseId: this.id,
      text,
      audioDurationMs: Math.floor(audio.length / bytesPerMs(format)),
      sentAudioMs: 0,
      status: 'in_progress',
      truncatedAtMs: null,
    };
    const stored: StoredItem = { item, audioChunks: [], audioDurationMs: 0 };
    this.#message = { stored, record, text, audio, sentBytes: 0, spokenChars: 0, isCutByTokenLimit };
    this.#outputItems.push(item);
    this.#hooks.onAssistantItem(record);
    const where = { response_id: this.id, item_id: item.id, output_index: 0, content_index: 0 };
    this.#hooks.send({ type: 'response.output_item.added', response_id: this.id, output_index: 0, item });
    if (conversation) {
      const previousItemId = conversation.insert(stored);
      this.#hooks.send({ type: 'conversation.item.added', previous_item_id: previousItemId, item });
    }
    const part = modality === 'audio' ? { type: 'audio', transcript: '' } : { type: 'text', text: '' };
    this.#hooks.send({ type: 'response.content_part.added', ...where, part });
  }

  #streamText(): void {
    const message = this.#message;
    if (!message) return;
    const where = { response_id: this.id, item_id: message.stored.item.id, output_index: 0, content_index: 0 };
    for (const word of message.text.match(/\S+\s*/g) ?? []) this.#hooks.send({ type: 'response.output_text.delta', ...where, delta: word });
    message.spokenChars = message.text.length;
    if (this.#setup.shouldFail) return this.#fail();
    this.#endMessage('completed');
    this.#afterMessage();
  }

  #scheduleChunk(delayMs: number): void {
    this.#timer = this.#hooks.clock.setTimeout(() => this.#sendNextChunk(), delayMs);
  }

  #sendNextChunk(): void {
    const message = this.#message;
    if (this.#isDone || !message) return;
    const { pace, format } = this.#setup;
    const chunkBytes = Math.max(1, Math.round(pace.chunkMs * bytesPerMs(format)));
    const chunk = message.audio.subarray(message.sentBytes, message.sentBytes + chunkBytes);
    const sentMs = (message.sentBytes + chunk.length) / bytesPerMs(format);
    const spokenChars = charactersSpokenBy(message.text, sentMs, this.#setup.speed);
    if (spokenChars > message.spokenChars) {
      this.#hooks.send({
        type: 'response.output_audio_transcript.delta',
        response_id: this.id,
        item_id: message.stored.item.id,
        output_index: 0,
        content_index: 0,
        delta: message.text.slice(message.spokenChars, spokenChars),
      });
      message.spokenChars = spokenChars;
    }
    this.#sendAudio(message, chunk);
    if (this.#setup.shouldFail) return this.#fail();
    if (message.sentBytes < message.audio.length) {
      this.#scheduleChunk(pace.speedFactor === 'burst' ? 0 : pace.chunkMs / pace.speedFactor);
      return;
    }
    this.#endMessage(message.isCutByTokenLimit ? 'incomplete' : 'completed');
    if (message.isCutByTokenLimit) return this.#finish('incomplete', { type: 'incomplete', reason: 'max_output_tokens' });
    this.#afterMessage();
  }

  #sendAudio(message: MessageState, bytes: Buffer): void {
    if (message.sentBytes === 0 && bytes.length > 0) this.#hooks.onAudioProduced();
    this.#hooks.send({
      type: 'response.output_audio.delta',
      response_id: this.id,
      item_id: message.stored.item.id,
      output_index: 0,
      content_index: 0,
      delta: bytes.toString('base64'),
    });
    message.sentBytes += bytes.length;
    this.#outputAudioBytes += bytes.length;
    message.stored.audioChunks.push(bytes);
    const sentMs = Math.floor(message.sentBytes / bytesPerMs(this.#setup.format));
    message.stored.audioDurationMs = sentMs;
    message.record.sentAudioMs = sentMs;
    if (this.#setup.plan === 'echo') message.record.audioDurationMs = sentMs;
  }

  #afterMessage(): void {
    const plan = this.#setup.plan;
    if (plan !== 'echo') this.#emitFunctionCalls(plan.toolCalls);
    this.#finish('completed', null);
  }

  /** Closes the open message; an interrupted one keeps only what was spoken (§4.5 "incomplete"). */
  #endMessage(status: 'completed' | 'incomplete'): void {
    const message = this.#message;
    if (!message) return;
    this.#message = null;
    const { item } = message.stored;
    if (item.type !== 'message') return;
    const transcript = message.text.slice(0, message.spokenChars);
    this.#outputTextChars += transcript.length;
    const where = { response_id: this.id, item_id: item.id, output_index: 0, content_index: 0 };
    if (this.#setup.modality === 'audio') {
      this.#hooks.send({ type: 'response.output_audio.done', ...where });
      this.#hooks.send({ type: 'response.output_audio_transcript.done', ...where, transcript });
      this.#hooks.send({ type: 'response.content_part.done', ...where, part: { type: 'audio', transcript } });
      item.content = [{ type: 'output_audio', transcript }];
    } else {
      this.#hooks.send({ type: 'response.output_text.done', ...where, text: transcript });
      this.#hooks.send({ type: 'response.content_part.done', ...where, part: { type: 'text', text: transcript } });
      item.content = [{ type: 'output_text', text: transcript }];
    }
    item.status = status;
    message.record.status = status;
    this.#hooks.send({ type: 'response.output_item.done', response_id: this.id, output_index: 0, item });
    const conversation = this.#setup.conversation;
    if (conversation?.get(item.id)) {
      this.#hooks.send({ type: 'conversation.item.done', previous_item_id: conversation.previousItemIdOf(item.id), item });
    }
  }

  #emitFunctionCalls(calls: readonly PlannedToolCall[]): void {
    const conversation = this.#setup.conversation;
    for (const call of calls) {
      const outputIndex = this.#outputItems.length;
      const item: WireItem = {
        id: this.#hooks.ids.next('item'),
        object: 'realtime.item',
        type: 'function_call',
        status: 'in_progress',
        call_id: this.#hooks.ids.next('call'),
        name: call.name,
        arguments: '',
      };
      this.#outputItems.push(item);
      const where = { response_id: this.id, item_id: item.id, output_index: outputIndex, call_id: item.call_id };
      this.#hooks.send({ type: 'response.output_item.added', response_id: this.id, output_index: outputIndex, item });
      const stored: StoredItem = { item, audioChunks: [], audioDurationMs: 0 };
      const previousItemId = conversation ? conversation.insert(stored) : null;
      if (conversation) this.#hooks.send({ type: 'conversation.item.added', previous_item_id: previousItemId, item });
      const half = Math.ceil(call.argumentsJson.length / 2);
      for (const delta of [call.argumentsJson.slice(0, half), call.argumentsJson.slice(half)]) {
        if (delta) this.#hooks.send({ type: 'response.function_call_arguments.delta', ...where, delta });
      }
      // `name` on arguments.done exists only in newer SDKs (§4.6); the twin sends it, clients read it from output_item.done.
      this.#hooks.send({ type: 'response.function_call_arguments.done', ...where, name: call.name, arguments: call.argumentsJson });
      item.arguments = call.argumentsJson;
      item.status = 'completed';
      this.#outputTextChars += call.name.length + call.argumentsJson.length;
      this.#hooks.send({ type: 'response.output_item.done', response_id: this.id, output_index: outputIndex, item });
      if (conversation) this.#hooks.send({ type: 'conversation.item.done', previous_item_id: previousItemId, item });
      this.#hooks.onFunctionCall({ responseId: this.id, itemId: item.id, callId: item.call_id, name: call.name, argumentsJson: call.argumentsJson });
    }
  }

  #fail(): void {
    this.#timer?.cancel();
    if (this.#message) this.#endMessage('incomplete');
    // "A response that fails mid-stream arrives as response.done with status failed" (§4.9 notes).
    this.#finish('failed', { type: 'failed', error: { type: 'server_error', code: 'server_error' } });
  }

  #finish(status: ResponseStatus, statusDetails: Record<string, unknown> | null): void {
    if (this.#isDone) return;
    this.#isDone = true;
    const usage = computeUsage(this.#setup.context, { textChars: this.#outputTextChars, audioMs: this.#outputAudioBytes / bytesPerMs(this.#setup.format) });
    this.#hooks.send({ type: 'response.done', response: this.#responseObject(status, statusDetails, usage) });
    this.#hooks.onDone(this, usage);
  }

  #responseObject(status: ResponseStatus | 'in_progress', statusDetails: Record<string, unknown> | null, usage: WireUsage | null) {
    const { conversation, modality, format, voice, maxOutputTokens, metadata } = this.#setup;
    return {
      id: this.id,
      object: 'realtime.response',
      status,
      status_details: statusDetails,
      output: status === 'in_progress' ? [] : this.#outputItems,
      conversation_id: conversation?.id ?? null,
      output_modalities: [modality],
      max_output_tokens: maxOutputTokens,
      audio: { output: { format, voice } },
      usage,
      metadata,
    };
  }
}
