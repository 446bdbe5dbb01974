// Where calls arrive and leave: answers the webhook (records the call, pre-warms the model), starts a session per
// authenticated stream, finalizes calls whose stream never started, and drains live calls on shutdown.
import { z } from 'zod';
import type { IncomingCallAnswer } from '../telephony/webhook-routes.ts';
import type { CallStatusUpdate, DialResult, IncomingCall, RecordingStatusUpdate, VoicemailDone } from '../telephony/webhook-forms.ts';
import type { TwilioMediaStream } from '../telephony/media-stream.ts';
import type { RealtimeLink } from '../voice/realtime-link.ts';
import type { ToolRegistry } from '../agent/tool-registry.ts';
import type { AgentPrompts } from '../agent/instructions.ts';
import type { CallRecords } from '../store/call-records.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdSource } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { maskPhone } from '../shared/redact.ts';
import type { Result } from '../shared/result.ts';
import { CallSession, type CallSessionSettings, type CallSummary } from './call-session.ts';
import type { CallControlPort, CallRecorder, HandoffRecorder } from './ports.ts';
import { PrewarmedLinks } from './prewarmed-links.ts';

/** TwiML the desk hands out, built by app.ts from config; `to` is the number the caller dialled (our caller ID). */
export type DeskTwiml = {
  fallback(to: string): string;
  transfer(to: string): string | null;
  busy(): string;
  afterFailedTransfer(): string;
  afterVoicemail(): string;
};

export type CallDeskDeps = {
  calls: CallRecords;
  recorder: CallRecorder & HandoffRecorder;
  connectLink: () => Promise<Result<RealtimeLink, unknown>>;
  control: CallControlPort;
  tools: ToolRegistry;
  prompts: AgentPrompts;
  twiml: DeskTwiml;
  settings: Omit<CallSessionSettings, 'fallbackTwiml' | 'transferTwiml'>;
  model: string;
  recordCalls: boolean;
  /** Work to start as soon as a call rings (the caller's orders by caller ID); never awaited by the call. */
  onRinging?: (call: { callId: string; callerNumber: string | null }) => void;
  clock: Clock;
  ids: IdSource;
  log: Logger;
};

const streamParametersSchema = z.object({ callId: z.string().min(1), from: z.string(), to: z.string() });

const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export class CallDesk {
  readonly #deps: CallDeskDeps;
  readonly #prewarmed: PrewarmedLinks;
  readonly #live = new Map<string, CallSession>();
  readonly #endWaiters = new Map<string, Array<(summary: CallSummary) => void>>();
  #isDraining = false;

  constructor(deps: CallDeskDeps) {
    this.#deps = deps;
    this.#prewarmed = new PrewarmedLinks(deps.clock, 60_000);
  }

  get liveCalls(): number {
    return this.#live.size;
  }

  get isDraining(): boolean {
    return this.#isDraining;
  }

  /** The inbound-call webhook: record the call, open the model session while Twilio fetches the TwiML. */
  async answer(call: IncomingCall): Promise<IncomingCallAnswer> {
    const { calls, clock, ids, log } = this.#deps;
    if (this.#isDraining) {
      log.info({ callSid: call.callSid }, 'call.refused.draining');
      return { kind: 'twiml', twiml: this.#deps.twiml.busy() };
    }
    const callerNumber = call.callerNumber ?? null;
    const { id, isNew } = await calls.createCall({ id: ids.next('call'), callSid: call.callSid, fromNumber: call.from, toNumber: call.to, startedAt: new Date(clock.now()), model: this.#deps.model });
    log.info({ callId: id, callSid: call.callSid, from: maskPhone(callerNumber), isRetry: !isNew }, 'call.ringing');
    this.#prewarmed.hold(call.callSid, this.#deps.connectLink());
    this.#deps.onRinging?.({ callId: id, callerNumber });
    return { kind: 'stream', parameters: { callId: id, from: callerNumber ?? '', to: call.to }, recording: this.#deps.recordCalls };
  }

  /** An authenticated stream started: its session takes over the call. */
  connect(stream: TwilioMediaStream): void {
    const { log } = this.#deps;
    const parameters = streamParametersSchema.safeParse(stream.customParameters);
    if (!parameters.success) {
      log.warn({ callSid: stream.callSid }, 'call.stream.missing_parameters');
      stream.close();
      return;
    }
    const { callId, from, to } = parameters.data;
    const firstLink = this.#prewarmed.take(stream.callSid) ?? this.#deps.connectLink();
    const session = new CallSession({
      identity: { callId, callSid: stream.callSid, callerNumber: from === '' ? null : from },
      media: stream,
      firstLink,
      connectLink: this.#deps.connectLink,
      tools: this.#deps.tools,
      prompts: this.#deps.prompts,
      recorder: this.#deps.recorder,
      control: this.#deps.control,
      settings: { ...this.#deps.settings, fallbackTwiml: this.#deps.twiml.fallback(to), transferTwiml: this.#deps.twiml.transfer(to) },
      clock: this.#deps.clock,
      log: this.#deps.log,
    });
    this.#live.set(stream.callSid, session);
    void session.done.then((summary) => {
      this.#live.delete(stream.callSid);
      for (const resolve of this.#endWaiters.get(stream.callSid) ?? []) resolve(summary);
      this.#endWaiters.delete(stream.callSid);
    });
    session.start();
  }

  /** Resolves when the session of this call has stored its outcome (the call may not have started yet). */
  whenEnded(callSid: string): Promise<CallSummary> {
    return new Promise((resolve) => this.#endWaiters.set(callSid, [...(this.#endWaiters.get(callSid) ?? []), resolve]));
  }

  /**
   * Twilio's call status callback: a call that ended without a live session (never streamed, or its process died) is
   * finalized here, before its recording is stored, so a call without a ticket gets no note job for it.
   */
  async onCallStatus(status: CallStatusUpdate): Promise<void> {
    if (FINAL_CALL_STATUSES.has(status.callStatus) && !this.#live.has(status.callSid)) await this.#finalizeUnfinished(status);
    if (status.recordingUrl) await this.#deps.recorder.recordHandoff(status.callSid, { kind: 'recording', at: this.#now(), recordingUrl: status.recordingUrl });
  }

  async #finalizeUnfinished(status: CallStatusUpdate): Promise<void> {
    this.#prewarmed.discard(status.callSid);
    const call = await this.#deps.calls.getCallBySid(status.callSid);
    if (!call || call.phase === 'ended') return;
    const neverAnswered = call.phase === 'ringing';
    await this.#deps.recorder.recordOutcome(call.id, {
      endedAt: new Date(this.#deps.clock.now()),
      endedBy: neverAnswered ? `twilio_${status.callStatus}` : 'stream_lost',
      outcome: neverAnswered ? 'abandoned' : 'failed',
      reason: null,
      intent: null,
      summary: neverAnswered ? 'The caller hung up before the agent answered.' : 'The call ended without its stream closing cleanly.',
      callerWants: null,
      isVerified: false,
      handoff: null,
      details: {},
    });
    this.#deps.log.info({ callId: call.id, callStatus: status.callStatus }, 'call.finalized_by_status');
  }

  async onRecordingStatus(recording: RecordingStatusUpdate): Promise<void> {
    if (recording.recordingStatus !== 'completed') return;
    await this.#deps.recorder.recordHandoff(recording.callSid, { kind: 'recording', at: this.#now(), recordingUrl: recording.recordingUrl });
  }

  /** After a live transfer: connected, or the caller is offered voicemail; the ticket gains a note either way. */
  async onDialResult(result: DialResult): Promise<string> {
    // `completed` and `answered` both mean someone took the call (twilio-and-shopify.md, A4, transfer patterns).
    const isConnected = result.dialCallStatus === 'completed' || result.dialCallStatus === 'answered';
    const talkSeconds = result.dialCallDurationSeconds ?? null;
    await this.#deps.recorder.recordHandoff(result.callSid, { kind: 'transfer', at: this.#now(), dialStatus: result.dialCallStatus, isConnected, talkSeconds });
    this.#deps.log.info({ callSid: result.callSid, dialCallStatus: result.dialCallStatus }, 'call.transfer.finished');
    return isConnected ? this.#deps.twiml.afterVoicemail() : this.#deps.twiml.afterFailedTransfer();
  }

  async onVoicemailDone(voicemail: VoicemailDone): Promise<string> {
    await this.#deps.recorder.recordHandoff(voicemail.callSid, { kind: 'voicemail', at: this.#now(), durationSeconds: voicemail.recordingDurationSeconds ?? null });
    return this.#deps.twiml.afterVoicemail();
  }

  #now(): Date {
    return new Date(this.#deps.clock.now());
  }

  /** Stops taking calls; resolves when live calls have finished or the time is up, then ends the rest. */
  async drain(timeoutMs: number): Promise<void> {
    this.#isDraining = true;
    const finishing = [...this.#live.values()].map((session) => session.done);
    this.#deps.log.info({ liveCalls: finishing.length, timeoutMs }, 'call.desk.draining');
    await new Promise<void>((resolve) => {
      const timer = this.#deps.clock.setTimeout(resolve, timeoutMs);
      void Promise.all(finishing).then(() => {
        timer.cancel();
        resolve();
      });
    });
    await this.closeAll();
  }

  async closeAll(): Promise<void> {
    this.#prewarmed.close();
    await Promise.all([...this.#live.values()].map((session) => session.close()));
  }
}
