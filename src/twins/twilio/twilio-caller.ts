// The caller twin: places a call the way Twilio does (signed webhook, TwiML, signed Media Stream), speaks, listens
// and records what it heard (twilio-and-shopify.md, A1-A4). Built from the contract; it never imports our telephony.
import { assertNever } from '../../shared/assert-never.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { CallStatus, DEFAULT_PARTY, incomingCallParams, twilioSid, type CallParty } from './call-params.ts';
import type { CallRedirect, CallRegistry, CallSnapshot, RecordingRequest, RecordingSnapshot, RegisteredCall } from './call-registry.ts';
import { CallerCallbacks, type DialScript, type HttpExchange } from './caller-callbacks.ts';
import { CallerMedia, type StreamEnd, type StreamRecord, type TimestampGap } from './caller-media.ts';
import { createFrameTicker, type FrameTicker } from './frame-ticker.ts';
import { MediaStreamLeg, type StreamTimings, type TwinWarning } from './media-stream-leg.ts';
import type { HeardSegment, MarkEcho } from './playout-queue.ts';
import { signTwilioRequest, toServiceUrl, type ServiceAddress } from './signed-request.ts';
import { defaultSpeechSynthesizer, type SpeechSynthesizer } from './speech-audio.ts';
import { parseTwiml, type TwimlElement } from './twiml-document.ts';
import { executeTwiml, type DialResult, type DialSpec, type LoadedTwiml, type StreamOutcome, type StreamSpec, type TwimlEnd, type TwimlHost } from './twiml-runner.ts';

export type { DialScript, HttpExchange, TwinWarning, StreamEnd, StreamRecord, StreamTimings, HeardSegment, MarkEcho, TimestampGap };

export type PlaceCallOptions = ServiceAddress & {
  accountSid: string;
  /** Path of the "A call comes in" webhook on the service (default `/twilio/voice`). */
  voicePath?: string;
  /** The number's "call status changes" URL (absolute public URL, or a path under `publicUrl`). */
  statusCallbackUrl?: string;
  callSid?: string;
  party?: Partial<CallParty>;
  /** Extra webhook parameters, to prove the service signs whatever arrives. */
  extraParams?: Readonly<Record<string, string>>;
  /** Inbound frame length (default 20 ms = 160 bytes). */
  frameMs?: number;
  /** Timestamp jumps after the given chunks, as when packets are lost (A2). */
  timestampGaps?: readonly TimestampGap[];
  /** espeak-ng voice for `say(text)` (default `en-us`). */
  voice?: string;
  dial?: DialScript;
  /** Keep the bytes heard in `heardSegments()` (default true; the benchmark turns it off). */
  keepHeardAudio?: boolean;
  connectTimeoutMs?: number;
  clock?: Clock;
  ticker?: FrameTicker;
  registry?: CallRegistry;
  speech?: SpeechSynthesizer;
};

export type CallEndReason = 'caller-hung-up' | 'rest-completed' | 'twiml-finished' | 'twiml-hangup' | 'rejected' | 'application-error' | 'disposed';

export type CallEnd = {
  readonly reason: CallEndReason;
  readonly status: CallStatus;
  readonly atMs: number;
  readonly durationS: number;
  readonly error: { readonly code: number; readonly message: string } | undefined;
};

export type TwimlRecord = { readonly source: string; readonly url: string; readonly twiml: string; readonly atMs: number };
export type VerbRecord = { readonly name: string; readonly attributes: Readonly<Record<string, string>>; readonly text: string; readonly atMs: number };

/** Places a call: signed webhook, TwiML, and (for a stream answer) the signed WebSocket with `connected` + `start`. */
export async function placeCall(options: PlaceCallOptions): Promise<TwilioCaller> {
  const caller = new TwilioCaller(options);
  await caller.begin();
  return caller;
}

export class TwilioCaller implements RegisteredCall {
  readonly callSid: string;
  readonly accountSid: string;
  /** Resolves once the call is over and its status callback was answered. */
  readonly ended: Promise<CallEnd>;
  readonly #options: PlaceCallOptions;
  readonly #clock: Clock;
  readonly #ticker: FrameTicker;
  readonly #ownsTicker: boolean;
  readonly #party: CallParty;
  readonly #speech: SpeechSynthesizer;
  readonly #media: CallerMedia;
  readonly #callbacks: CallerCallbacks;
  readonly #warnings: TwinWarning[] = [];
  readonly #documents: TwimlRecord[] = [];
  readonly #verbs: VerbRecord[] = [];
  readonly #createdAtMs: number;
  readonly #placed: Promise<void>;
  #status: CallStatus = CallStatus.ringing;
  #answeredAtMs: number | undefined;
  #endedAtMs: number | undefined;
  #end: CallEnd | undefined;
  #generation = 0;
  #isCallerHangingUp = false;
  #resolveEnded: (end: CallEnd) => void = () => {};
  #resolvePlaced: () => void = () => {};

  constructor(options: PlaceCallOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#ownsTicker = options.ticker === undefined;
    this.#ticker = options.ticker ?? createFrameTicker(this.#clock);
    this.callSid = options.callSid ?? twilioSid('CA');
    this.accountSid = options.accountSid;
    this.#party = { ...DEFAULT_PARTY, ...options.party };
    this.#speech = options.speech ?? defaultSpeechSynthesizer();
    this.#media = new CallerMedia({
      clock: this.#clock,
      ticker: this.#ticker,
      frameMs: options.frameMs ?? 20,
      timestampGaps: options.timestampGaps ?? [],
      keepsHeardAudio: options.keepHeardAudio ?? true,
      onWarning: (warning) => this.#warnings.push(warning),
    });
    this.#createdAtMs = this.#clock.now();
    this.#callbacks = new CallerCallbacks({
      address: options,
      ids: { callSid: this.callSid, accountSid: this.accountSid },
      party: this.#party,
      clock: this.#clock,
      dial: options.dial,
      status: () => this.#status,
    });
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    this.#placed = new Promise((resolve) => {
      this.#resolvePlaced = resolve;
    });
    options.registry?.add(this);
  }

  /** Runs the inbound webhook and starts the TwiML; resolves when a stream started or the answer ran without one. */
  async begin(): Promise<void> {
    const params = { ...incomingCallParams({ callSid: this.callSid, accountSid: this.accountSid }, this.#party), ...this.#options.extraParams };
    const answer = await this.#callbacks.fetchTwiml({ url: this.#voiceUrl(), method: 'POST', params, source: 'webhook' }, this.#warn);
    if (this.#end) return this.#placed;
    if (!answer.ok) {
      void this.#finish('application-error', CallStatus.failed, answer.error);
      return this.#placed;
    }
    this.#status = CallStatus.inProgress;
    this.#answeredAtMs = this.#clock.now();
    this.#run(answer.value);
    return this.#placed;
  }

  /**
   * Speaks into the inbound stream (silence otherwise); resolves when the last byte was sent. µ-law bytes are queued
   * synchronously, so they start in the very next frame; text is synthesized first.
   */
  say(speech: string | Buffer): Promise<void> {
    if (typeof speech !== 'string') return this.#media.say(speech);
    return this.#synthesize(speech).then((audio) => this.#media.say(audio));
  }

  /** Resolves once `minMs` (default 1) more agent audio has been heard from now on; rejects if the call ends first. */
  waitForAgentAudio(options: { minMs?: number } = {}): Promise<void> {
    return this.#media.waitForAgentAudio(options.minMs ?? 1);
  }

  /** Resolves once the caller has heard no agent audio for `silenceMs`. */
  waitForAgentSilence(silenceMs: number): Promise<void> {
    return this.#media.waitForAgentSilence(silenceMs);
  }

  /** Starts speaking in the frame where `afterHeardMs` more agent audio has been heard; resolves when fully sent. */
  bargeIn(speech: string | Buffer, options: { afterHeardMs: number }): Promise<{ startedAtMs: number; heardBeforeMs: number }> {
    if (typeof speech !== 'string') return this.#media.bargeIn(speech, options.afterHeardMs);
    return this.#synthesize(speech).then((audio) => this.#media.bargeIn(audio, options.afterHeardMs));
  }

  /** Sends one `dtmf` message per digit on the open stream (track `inbound_track`, A2). */
  async pressDigits(digits: string): Promise<void> {
    this.#media.pressDigits(digits);
  }

  /** The caller hangs up: `stop`, close, then the status callback (A2 step 8). */
  async hangUp(): Promise<CallEnd> {
    if (!this.#end) {
      this.#generation++;
      this.#isCallerHangingUp = true;
      this.#callbacks.cancelDial();
      await this.#media.openLeg()?.stop();
      await this.#finish('caller-hung-up', CallStatus.completed);
    }
    return this.ended;
  }

  /** Sets how the next `<Dial>` turns out. */
  scriptDial(script: DialScript): void {
    this.#callbacks.scriptDial(script);
  }

  /** The open stream's SID, or the next one's; undefined if the call ends first. */
  waitForStreamStart(): Promise<string | undefined> {
    return this.#media.waitForStreamStart();
  }

  /** The end of the open stream, or of the last one when none is open; undefined if the call ends without one. */
  waitForStreamEnd(): Promise<StreamEnd | undefined> {
    return this.#media.waitForStreamEnd();
  }

  /** Throws when anything is left over: pending waits, unsent speech, or warnings not explicitly allowed. */
  assertNoPendingExpectations(options: { allowWarnings?: readonly (number | string)[] } = {}): void {
    const problems = this.#media.leftovers();
    const allowed = new Set(options.allowWarnings ?? []);
    for (const warning of this.#warnings) if (!allowed.has(warning.code)) problems.push(`warning ${String(warning.code)}: ${warning.message}`);
    if (problems.length > 0) throw new Error(`caller ${this.callSid} has leftovers:\n- ${problems.join('\n- ')}`);
  }

  /** The caller's monotonic clock, the time base of every `...Ms` figure below. */
  nowMs(): number {
    return this.#clock.monotonicMs();
  }

  status(): CallStatus {
    return this.#status;
  }

  outcome(): CallEnd | undefined {
    return this.#end;
  }

  streamSid(): string | undefined {
    return this.#media.streamSid();
  }

  streams(): readonly StreamRecord[] {
    return this.#media.streams();
  }

  streamEnds(): readonly StreamEnd[] {
    return this.#media.streamEnds();
  }

  /** Every TwiML document the call ran, in order (webhook answer, action answers, REST updates). */
  twimlDocuments(): readonly TwimlRecord[] {
    return this.#documents;
  }

  verbs(): readonly VerbRecord[] {
    return this.#verbs;
  }

  warnings(): readonly TwinWarning[] {
    return this.#warnings;
  }

  /** Twilio's 31951 warnings: at most one per stream, with the first invalid message's reason. */
  invalidMessages(): readonly TwinWarning[] {
    return this.#warnings.filter((warning) => warning.code === 31951);
  }

  marksEchoed(): readonly (MarkEcho & { streamSid: string })[] {
    return this.#media.marksEchoed();
  }

  httpExchanges(): readonly HttpExchange[] {
    return this.#callbacks.exchanges();
  }

  dials(): readonly (DialSpec & DialResult)[] {
    return this.#callbacks.dials();
  }

  heardAudioMs(): number {
    return this.#media.heardAudioMs();
  }

  heardSegments(): HeardSegment[] {
    return this.#media.heardSegments();
  }

  /** Agent audio heard after `atMs` (caller clock); zero proves nothing played after a clear. */
  heardAfterMs(atMs: number): number {
    return this.#media.heardAfterMs(atMs);
  }

  heardBetweenMs(fromMs: number, toMs: number): number {
    return this.#media.heardBetweenMs(fromMs, toMs);
  }

  /** Media the service sent after `atMs` (arrival time, caller clock). */
  receivedAfter(atMs: number): { messages: number; bytes: number } {
    return this.#media.receivedAfter(atMs);
  }

  /** Per-frame send times and per-message arrival times (monotonic ms), for latency figures. */
  timings(): StreamTimings {
    return this.#media.timings();
  }

  snapshot(): CallSnapshot {
    return {
      callSid: this.callSid,
      accountSid: this.accountSid,
      from: this.#party.from,
      to: this.#party.to,
      status: this.#status,
      createdAtMs: this.#createdAtMs,
      answeredAtMs: this.#answeredAtMs,
      endedAtMs: this.#endedAtMs,
      callerName: this.#party.callerName,
      forwardedFrom: this.#party.forwardedFrom,
    };
  }

  redirect(redirect: CallRedirect): void {
    if (this.#end) return;
    this.#generation++;
    this.#callbacks.cancelDial();
    const leg = this.#media.openLeg();
    void (async () => {
      await leg?.stop();
      const loaded = await this.#loadRedirect(redirect);
      if (this.#end) return;
      if (loaded.ok) this.#run(loaded.value);
      else await this.#finish('application-error', CallStatus.completed, loaded.error);
    })();
  }

  completeByRest(): void {
    if (this.#end) return;
    this.#generation++;
    this.#callbacks.cancelDial();
    void (async () => {
      await this.#media.openLeg()?.stop();
      await this.#finish('rest-completed', CallStatus.completed);
    })();
  }

  startRecording(request: RecordingRequest): RecordingSnapshot {
    return this.#callbacks.startRecording(request);
  }

  recordings(): readonly RecordingSnapshot[] {
    return this.#callbacks.recordings();
  }

  /** Drops everything without protocol or callbacks (twin shutdown). */
  dispose(): void {
    this.#generation++;
    this.#callbacks.cancelDial();
    this.#media.openLeg()?.terminate();
    void this.#finish('disposed', CallStatus.completed, undefined, { skipCallbacks: true });
  }

  async #synthesize(text: string): Promise<Buffer> {
    const options = this.#options.voice === undefined ? {} : { voice: this.#options.voice };
    return (await this.#speech.synthesize(text, options)).audio;
  }

  #voiceUrl(): string {
    return new URL(this.#options.voicePath ?? '/twilio/voice', this.#options.publicUrl).toString();
  }

  readonly #warn = (code: number | string, message: string): void => {
    this.#warnings.push({ code, message, atMs: this.#clock.monotonicMs() });
  };

  #run(loaded: LoadedTwiml): void {
    const generation = ++this.#generation;
    const isCurrent = (): boolean => this.#generation === generation && this.#end === undefined;
    executeTwiml(this.#host, loaded, isCurrent).then(
      (end) => (isCurrent() ? this.#finishFromTwiml(end) : undefined),
      (error: unknown) => this.#finish('application-error', CallStatus.completed, { code: 0, message: String(error) }),
    );
  }

  #finishFromTwiml(end: TwimlEnd): Promise<void> | undefined {
    switch (end.kind) {
      case 'finished':
        return this.#finish('twiml-finished', CallStatus.completed);
      case 'hangup':
        return this.#finish('twiml-hangup', CallStatus.completed);
      case 'rejected':
        return this.#finish('rejected', CallStatus.busy);
      case 'caller-hung-up':
        return this.#finish('caller-hung-up', CallStatus.completed);
      case 'error':
        return this.#finish('application-error', CallStatus.completed, { code: end.code, message: end.message });
      case 'interrupted':
        return undefined;
      default:
        return assertNever(end, 'TwiML end');
    }
  }

  async #loadRedirect(redirect: CallRedirect): Promise<Result<LoadedTwiml, { code: number; message: string }>> {
    if (redirect.kind === 'url') {
      return this.#callbacks.fetchTwiml({ url: redirect.url, method: redirect.method, params: {}, source: 'rest-url' }, this.#warn);
    }
    const parsed = parseTwiml(redirect.twiml);
    if (!parsed.ok) return err({ code: 12100, message: `Document parse failure: ${parsed.error}` });
    return ok({ document: parsed.value, url: this.#voiceUrl(), source: 'rest-twiml' });
  }

  readonly #host: TwimlHost = {
    recordDocument: (loaded) => {
      this.#documents.push({ source: loaded.source, url: loaded.url, twiml: loaded.document.source, atMs: this.#clock.monotonicMs() });
    },
    recordVerb: (verb: TwimlElement) => {
      this.#verbs.push({ name: verb.name, attributes: verb.attributes, text: verb.text, atMs: this.#clock.monotonicMs() });
      if (verb.name === 'Dial') this.#resolvePlaced();
    },
    warn: (code, message) => this.#warn(code, message),
    connectStream: (spec) => this.#connectStream(spec),
    dial: (spec) => this.#callbacks.simulateDial(spec),
    startRecording: (attributes) => this.#callbacks.startRecordingFromTwiml(attributes),
    fetchTwiml: (request) => this.#callbacks.fetchTwiml({ ...request, params: request.extraParams }, this.#warn),
  };

  async #connectStream(spec: StreamSpec): Promise<StreamOutcome> {
    const generation = this.#generation;
    const streamSid = twilioSid('MZ');
    const target = toServiceUrl(spec.url, this.#options);
    if (!target.ok) {
      this.#warn(31902, `Connection Refused: ${target.error}`);
      this.#callbacks.streamStatus(spec, streamSid, 'stream-error', target.error);
      return 'failed';
    }
    const opened = await MediaStreamLeg.open({
      ...this.#media.legHooks(streamSid),
      connectUrl: target.value,
      signature: signTwilioRequest(this.#options.authToken, spec.url, {}),
      accountSid: this.accountSid,
      callSid: this.callSid,
      streamSid,
      customParameters: spec.parameters,
      connectTimeoutMs: this.#options.connectTimeoutMs ?? 5000,
    });
    if (!opened.ok) {
      this.#warn(opened.error.code, opened.error.message);
      this.#callbacks.streamStatus(spec, streamSid, 'stream-error', opened.error.message);
      return 'failed';
    }
    const leg = opened.value;
    if (generation !== this.#generation || this.#end) {
      if (this.#end?.reason === 'disposed') leg.terminate();
      else await leg.stop();
      return this.#isCallerHangingUp ? 'caller-hung-up' : 'interrupted';
    }
    this.#callbacks.streamStatus(spec, streamSid, 'stream-started', undefined);
    const running = this.#media.run(leg, spec.url, spec.parameters);
    this.#resolvePlaced();
    const end = await running;
    if (this.outcome()?.reason !== 'disposed') this.#callbacks.streamStatus(spec, streamSid, 'stream-stopped', undefined);
    if (end.reason === 'service-closed') return 'service-closed';
    return this.#isCallerHangingUp ? 'caller-hung-up' : 'interrupted';
  }

  async #finish(reason: CallEndReason, status: CallStatus, error?: { code: number; message: string }, options: { skipCallbacks?: boolean } = {}): Promise<void> {
    if (this.#end) return;
    this.#generation++;
    this.#endedAtMs = this.#clock.now();
    const durationS = this.#answeredAtMs === undefined ? 0 : Math.round((this.#endedAtMs - this.#answeredAtMs) / 1000);
    const end: CallEnd = { reason, status, atMs: this.#clock.monotonicMs(), durationS, error };
    this.#end = end;
    this.#status = status;
    this.#media.close();
    if (this.#ownsTicker) this.#ticker.close();
    this.#resolvePlaced();
    if (!options.skipCallbacks) {
      try {
        await this.#callbacks.finalCallbacks(this.#options.statusCallbackUrl, end);
      } catch (failure) {
        this.#warn('twin.final-callbacks', String(failure));
      }
    }
    this.#resolveEnded(end);
  }
}
