// Every HTTP request a caller twin makes after the call starts: TwiML fetches (actions, redirects), stream, call and
// recording status callbacks, plus the scripted <Dial> outcome (twilio-and-shopify.md, A1 and A4). It never opens sockets.
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { rfc2822, standardCallParams, twilioSid, type CallParty, type CallStatus } from './call-params.ts';
import type { RecordingRequest, RecordingSnapshot } from './call-registry.ts';
import { requestWebhook, type ServiceAddress } from './signed-request.ts';
import { parseTwiml } from './twiml-document.ts';
import type { DialCallStatus, DialResult, DialSpec, LoadedTwiml, StreamSpec, TwimlFailure, TwimlSource } from './twiml-runner.ts';

export type DialScript = {
  /** `answered` talks for `talkMs`, then the human hangs up (DialCallStatus `completed`, or `answered` for a conference). */
  readonly outcome: 'answered' | 'no-answer' | 'busy' | 'failed';
  /** Ringing time before the outcome (default 50 ms: the twin shortens Twilio's 30 s dial timeout). */
  readonly ringMs?: number;
  readonly talkMs?: number;
};

export type HttpExchangeKind = TwimlSource | 'status-callback' | 'stream-status' | 'recording-status';

export type HttpExchange = {
  readonly kind: HttpExchangeKind;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly atMs: number;
};

type CallerCallbacksOptions = {
  address: ServiceAddress;
  ids: { callSid: string; accountSid: string };
  party: CallParty;
  clock: Clock;
  dial: DialScript | undefined;
  status: () => CallStatus;
};

type MutableRecording = { -readonly [K in keyof RecordingSnapshot]: RecordingSnapshot[K] };

const XML_TYPES = new Set(['text/xml', 'application/xml']);

export class CallerCallbacks {
  readonly #options: CallerCallbacksOptions;
  readonly #exchanges: HttpExchange[] = [];
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #dials: (DialSpec & DialResult)[] = [];
  readonly #recordings: MutableRecording[] = [];
  #dialScript: DialScript | undefined;
  #pendingDial: { timer: TimerHandle; resolve: (result: DialResult | undefined) => void } | undefined;

  constructor(options: CallerCallbacksOptions) {
    this.#options = options;
    this.#dialScript = options.dial;
  }

  exchanges(): readonly HttpExchange[] {
    return this.#exchanges;
  }

  dials(): readonly (DialSpec & DialResult)[] {
    return this.#dials;
  }

  recordings(): readonly RecordingSnapshot[] {
    return this.#recordings.map((recording) => ({ ...recording }));
  }

  /** Requests TwiML with the standard call parameters and reads the answer strictly (11200, 12300, 12100). */
  async fetchTwiml(
    request: { url: string; method: 'GET' | 'POST'; params: Readonly<Record<string, string>>; source: TwimlSource },
    warn: (code: number | string, message: string) => void,
  ): Promise<Result<LoadedTwiml, TwimlFailure>> {
    const params = { ...standardCallParams(this.#options.ids, this.#options.party, this.#options.status()), ...request.params };
    const response = await this.#send(request.source, request.method, request.url, params);
    if (!response.ok) return err({ code: 11200, message: `HTTP retrieval failure: ${response.error}` });
    const { status, contentType, body } = response.value;
    if (status < 200 || status > 299) return err({ code: 11200, message: `HTTP retrieval failure: status ${status}` });
    const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (mediaType === 'text/html') warn('webhook.content-type', `TwiML served as text/html from ${request.url}`);
    else if (!XML_TYPES.has(mediaType)) return err({ code: 12300, message: `Invalid Content-Type "${contentType}" from ${request.url}` });
    const parsed = parseTwiml(body);
    if (!parsed.ok) return err({ code: 12100, message: `Document parse failure: ${parsed.error}` });
    return ok({ document: parsed.value, url: request.url, source: request.source });
  }

  /** Stream status callbacks (A1): stream-started, stream-stopped, stream-error; not awaited by the call. */
  streamStatus(spec: StreamSpec, streamSid: string, event: 'stream-started' | 'stream-stopped' | 'stream-error', error: string | undefined): void {
    if (spec.statusCallback === undefined) return;
    const params: Record<string, string> = {
      AccountSid: this.#options.ids.accountSid,
      CallSid: this.#options.ids.callSid,
      StreamSid: streamSid,
      StreamName: spec.name ?? streamSid,
      StreamEvent: event,
      Timestamp: new Date(this.#options.clock.now()).toISOString(),
    };
    if (error !== undefined) params.StreamError = error;
    void this.#send('stream-status', spec.statusCallbackMethod, spec.statusCallback, params);
  }

  scriptDial(script: DialScript): void {
    this.#dialScript = script;
  }

  /** Rings for the scripted time and reports how the dialed party answered; undefined if interrupted. */
  simulateDial(spec: DialSpec): Promise<DialResult | undefined> {
    const script = this.#dialScript ?? { outcome: 'no-answer' };
    const talkMs = script.outcome === 'answered' ? (script.talkMs ?? 100) : 0;
    return new Promise((resolve) => {
      const timer = this.#options.clock.setTimeout(() => {
        this.#pendingDial = undefined;
        const result: DialResult = {
          dialCallStatus: dialCallStatusFor(script.outcome, spec),
          dialCallSid: twilioSid('CA'),
          durationS: script.outcome === 'answered' ? Math.ceil(talkMs / 1000) : undefined,
        };
        this.#dials.push({ ...spec, ...result });
        resolve(result);
      }, (script.ringMs ?? 50) + talkMs);
      this.#pendingDial = { timer, resolve };
    });
  }

  cancelDial(): void {
    const pending = this.#pendingDial;
    this.#pendingDial = undefined;
    pending?.timer.cancel();
    pending?.resolve(undefined);
  }

  startRecording(request: RecordingRequest): RecordingSnapshot {
    const recording: MutableRecording = {
      ...request,
      sid: twilioSid('RE'),
      callSid: this.#options.ids.callSid,
      startedAtMs: this.#options.clock.now(),
      status: 'in-progress',
      durationS: undefined,
    };
    this.#recordings.push(recording);
    return { ...recording };
  }

  /** `<Start><Recording>` (A4): attributes as twilio-node's RecordingAttributes name them. */
  startRecordingFromTwiml(attributes: Readonly<Record<string, string>>): void {
    this.startRecording({
      channels: attributes.channels === 'dual' ? 'dual' : 'mono',
      track: attributes.track === 'inbound' || attributes.track === 'outbound' ? attributes.track : 'both',
      trim: attributes.trim === 'trim-silence' ? 'trim-silence' : 'do-not-trim',
      statusCallback: attributes.recordingStatusCallback,
      statusCallbackMethod: attributes.recordingStatusCallbackMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST',
      source: 'StartCallRecordingTwiML',
    });
  }

  /** After the call: the number's status callback (A4, with CallDuration and recording fields), then recordings'. */
  async finalCallbacks(statusCallbackUrl: string | undefined, end: { status: CallStatus; durationS: number }): Promise<void> {
    const nowMs = this.#options.clock.now();
    for (const recording of this.#recordings) {
      if (recording.status !== 'in-progress') continue;
      recording.status = 'completed';
      recording.durationS = Math.round((nowMs - recording.startedAtMs) / 1000);
    }
    await Promise.allSettled([...this.#inFlight]);
    if (statusCallbackUrl !== undefined) {
      const params: Record<string, string> = {
        ...standardCallParams(this.#options.ids, this.#options.party, end.status),
        CallDuration: String(end.durationS),
        Timestamp: rfc2822(nowMs),
        CallbackSource: 'call-progress-events',
        SequenceNumber: '0',
      };
      const recording = this.#recordings[0];
      if (recording) {
        params.RecordingSid = recording.sid;
        params.RecordingUrl = recordingUrl(this.#options.ids.accountSid, recording.sid);
        params.RecordingDuration = String(recording.durationS ?? 0);
      }
      await this.#send('status-callback', 'POST', new URL(statusCallbackUrl, this.#options.address.publicUrl).toString(), params);
    }
    for (const recording of this.#recordings) {
      if (recording.statusCallback === undefined) continue;
      await this.#send('recording-status', recording.statusCallbackMethod, new URL(recording.statusCallback, this.#options.address.publicUrl).toString(), {
        AccountSid: this.#options.ids.accountSid,
        CallSid: this.#options.ids.callSid,
        RecordingSid: recording.sid,
        RecordingUrl: recordingUrl(this.#options.ids.accountSid, recording.sid),
        RecordingStatus: 'completed',
        RecordingDuration: String(recording.durationS ?? 0),
        RecordingChannels: recording.channels === 'dual' ? '2' : '1',
        RecordingStartTime: rfc2822(recording.startedAtMs),
        RecordingSource: recording.source,
        RecordingTrack: recording.track,
        ErrorCode: '0',
      });
    }
  }

  async #send(kind: HttpExchangeKind, method: 'GET' | 'POST', url: string, params: Readonly<Record<string, string>>) {
    const atMs = this.#options.clock.monotonicMs();
    const pending = requestWebhook(this.#options.address, { url, method, params });
    this.#inFlight.add(pending);
    const response = await pending;
    this.#inFlight.delete(pending);
    this.#exchanges.push({
      kind,
      method,
      url,
      params,
      status: response.ok ? response.value.status : undefined,
      error: response.ok ? undefined : response.error,
      atMs,
    });
    return response;
  }
}

function dialCallStatusFor(outcome: DialScript['outcome'], spec: DialSpec): DialCallStatus {
  if (outcome === 'answered') return spec.targets.some((target) => target.kind === 'conference') ? 'answered' : 'completed';
  return outcome;
}

function recordingUrl(accountSid: string, recordingSid: string): string {
  return `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`;
}
