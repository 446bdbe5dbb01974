// Scripted fakes of the call session's ports: each records what it was asked, in order, for the test to check.
import type { TwilioMediaStream } from '../../src/telephony/media-stream.ts';
import type { RealtimeLink } from '../../src/voice/realtime-link.ts';
import type { RealtimeServerEvent } from '../../src/voice/realtime-server-event.ts';
import type { CallControlPort, CallRecorder } from '../../src/call/ports.ts';
import type { CallEnding, CallEventRecord, ToolCallRecord, TurnRecord, UsageRecord } from '../../src/store/call-records.ts';
import { ok } from '../../src/shared/result.ts';

type MediaHandlers = Parameters<TwilioMediaStream['setHandlers']>[0];
export type SentToTwilio = { kind: 'media'; bytes: number } | { kind: 'mark'; name: string } | { kind: 'clear' };

export class FakeMedia implements TwilioMediaStream {
  readonly callSid = 'CA00000000000000000000000000000001';
  readonly streamSid = 'MZ00000000000000000000000000000001';
  readonly accountSid = 'AC00000000000000000000000000000001';
  readonly customParameters = {};
  readonly sent: SentToTwilio[] = [];
  #handlers: MediaHandlers | null = null;
  #isOpen = true;
  #timestampMs = 0;
  #chunk = 0;

  get isOpen(): boolean {
    return this.#isOpen;
  }

  setHandlers(handlers: MediaHandlers): void {
    this.#handlers = handlers;
  }

  sendAudio(payloadBase64: string): void {
    if (this.#isOpen) this.sent.push({ kind: 'media', bytes: Buffer.from(payloadBase64, 'base64').length });
  }

  sendMark(name: string): void {
    if (this.#isOpen) this.sent.push({ kind: 'mark', name });
  }

  clearAudio(): void {
    if (this.#isOpen) this.sent.push({ kind: 'clear' });
  }

  close(): void {
    this.#isOpen = false;
  }

  /** Caller audio: `frames` 20 ms frames of silence, stamped like Twilio's. */
  callerFrames(frames: number, options: { skipMs?: number } = {}): void {
    this.#timestampMs += options.skipMs ?? 0;
    for (let i = 0; i < frames; i++) {
      this.#handlers?.onAudio({ payloadBase64: Buffer.alloc(160, 0xff).toString('base64'), timestampMs: this.#timestampMs, chunk: ++this.#chunk });
      this.#timestampMs += 20;
    }
  }

  /** Twilio echoes marks as playout reaches them; `count` omitted echoes all pending ones. */
  echoMarks(count = Number.POSITIVE_INFINITY): string[] {
    const marks = this.sent.filter((message): message is { kind: 'mark'; name: string } => message.kind === 'mark');
    const echoed = marks.slice(this.#echoed, this.#echoed + count);
    this.#echoed += echoed.length;
    for (const mark of echoed) this.#handlers?.onMark(mark.name);
    return echoed.map((mark) => mark.name);
  }

  #echoed = 0;

  dtmf(digits: string): void {
    for (const digit of digits) this.#handlers?.onDtmf(digit);
  }

  stop(): void {
    this.#handlers?.onStop();
  }
}

type LinkHandlers = Parameters<RealtimeLink['setHandlers']>[0];

export class FakeLink implements RealtimeLink {
  readonly sessionId = 'sess_fake';
  readonly sent: Array<Record<string, unknown> & { type: string }> = [];
  #handlers: LinkHandlers | null = null;
  #isOpen = true;

  get isOpen(): boolean {
    return this.#isOpen;
  }

  send(encodedEvent: string): boolean {
    if (!this.#isOpen) return false;
    this.sent.push(JSON.parse(encodedEvent) as Record<string, unknown> & { type: string });
    return true;
  }

  setHandlers(handlers: LinkHandlers): void {
    this.#handlers = handlers;
  }

  close(): void {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    this.#handlers?.onClose({ code: 1000, reason: '', isExpected: true });
  }

  emit(event: RealtimeServerEvent): void {
    this.#handlers?.onEvent(event);
  }

  drop(): void {
    this.#isOpen = false;
    this.#handlers?.onClose({ code: 1006, reason: '', isExpected: false });
  }

  sentOfType(type: string): Array<Record<string, unknown>> {
    return this.sent.filter((event) => event.type === type);
  }

  /** The model answers with speech: `frames` 20 ms audio deltas, then done. */
  speak(responseId: string, itemId: string, text: string, frames: number): void {
    this.emit({ type: 'responseCreated', responseId });
    this.emit({ type: 'outputItemAdded', responseId, itemId, itemType: 'message' });
    this.emit({ type: 'transcriptDelta', responseId, itemId, delta: text });
    for (let i = 0; i < frames; i++) {
      this.emit({ type: 'audioDelta', responseId, itemId, contentIndex: 0, audioBase64: Buffer.alloc(160, 0x55).toString('base64') });
    }
  }

  finish(responseId: string, itemId: string | null, status: 'completed' | 'cancelled' | 'failed' = 'completed'): void {
    if (itemId) {
      this.emit({ type: 'audioDone', responseId, itemId, contentIndex: 0 });
      this.emit({ type: 'transcriptDone', responseId, itemId, transcript: '' });
    }
    this.emit({ type: 'responseDone', responseId, status, reason: null, usage: { inputTextTokens: 10, inputAudioTokens: 5, cachedTextTokens: 0, cachedAudioTokens: 0, outputTextTokens: 3, outputAudioTokens: 20 }, outputItemIds: itemId ? [itemId] : [] });
  }
}

export class FakeRecorder implements CallRecorder {
  readonly turns = new Map<number, TurnRecord>();
  readonly usage: UsageRecord[] = [];
  readonly toolCalls: ToolCallRecord[] = [];
  readonly events: CallEventRecord[] = [];
  ending: CallEnding | null = null;
  isLive = false;

  async markLive(): Promise<void> {
    this.isLive = true;
  }
  async appendTurn(_callId: string, turn: TurnRecord): Promise<void> {
    this.turns.set(turn.seq, { ...turn });
  }
  async recordUsage(_callId: string, usage: UsageRecord): Promise<void> {
    this.usage.push(usage);
  }
  async recordToolCall(_callId: string, call: ToolCallRecord): Promise<void> {
    this.toolCalls.push(call);
  }
  async recordEvent(_callId: string, event: CallEventRecord): Promise<void> {
    this.events.push(event);
  }
  async recordOutcome(_callId: string, ending: CallEnding): Promise<void> {
    this.ending = ending;
  }
  eventNames(): string[] {
    return this.events.map((event) => event.name);
  }
}

export class FakeControl implements CallControlPort {
  readonly actions: Array<{ kind: 'redirect'; twiml: string } | { kind: 'hangup' }> = [];
  async redirect(_callSid: string, twiml: string) {
    this.actions.push({ kind: 'redirect', twiml });
    return ok(undefined);
  }
  async hangUp() {
    this.actions.push({ kind: 'hangup' });
    return ok(undefined);
  }
}
