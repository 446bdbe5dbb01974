// Runs TwiML the way Twilio does for the verbs this bridge uses (twilio-and-shopify.md, A1 and A4): <Connect><Stream>,
// <Start><Recording>, <Dial action>, <Redirect>, <Hangup>, and records the rest. The host does all I/O.
import { assertNever } from '../../shared/assert-never.ts';
import type { Result } from '../../shared/result.ts';
import { resolveAgainst, isLoopbackHost } from './signed-request.ts';
import type { TwimlDocument, TwimlElement } from './twiml-document.ts';

export type TwimlSource = 'webhook' | 'connect-action' | 'dial-action' | 'redirect-verb' | 'rest-twiml' | 'rest-url';
export type LoadedTwiml = { readonly document: TwimlDocument; readonly url: string; readonly source: TwimlSource };

export type StreamSpec = {
  /** Absolute, exactly as Twilio signs it. */
  readonly url: string;
  readonly name: string | undefined;
  readonly statusCallback: string | undefined;
  readonly statusCallbackMethod: 'GET' | 'POST';
  readonly parameters: Readonly<Record<string, string>>;
};
export type StreamOutcome = 'service-closed' | 'failed' | 'caller-hung-up' | 'interrupted';

export type DialTarget = { readonly kind: 'number' | 'conference' | 'client' | 'sip' | 'queue'; readonly value: string };
export type DialSpec = { readonly targets: readonly DialTarget[]; readonly callerId: string | undefined; readonly timeoutS: number };
export type DialCallStatus = 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';
export type DialResult = { readonly dialCallStatus: DialCallStatus; readonly dialCallSid: string; readonly durationS: number | undefined };

export type TwimlFailure = { readonly code: number; readonly message: string };
export type TwimlEnd =
  | { readonly kind: 'finished' | 'hangup' | 'rejected' | 'caller-hung-up' | 'interrupted' }
  | { readonly kind: 'error'; readonly code: number; readonly message: string };

export interface TwimlHost {
  recordDocument(loaded: LoadedTwiml): void;
  recordVerb(verb: TwimlElement): void;
  warn(code: number | string, message: string): void;
  connectStream(spec: StreamSpec): Promise<StreamOutcome>;
  /** Resolves undefined when the call was interrupted while dialing. */
  dial(spec: DialSpec): Promise<DialResult | undefined>;
  startRecording(attributes: Readonly<Record<string, string>>): void;
  fetchTwiml(request: {
    url: string;
    method: 'GET' | 'POST';
    extraParams: Readonly<Record<string, string>>;
    source: TwimlSource;
  }): Promise<Result<LoadedTwiml, TwimlFailure>>;
}

const NOTED_VERBS = new Set(['Say', 'Play', 'Pause', 'Gather', 'Stop', 'Enqueue', 'Leave', 'Pay', 'Refer', 'Sms', 'Echo', 'Queue']);
const STREAM_ATTRIBUTES = new Set(['url', 'name', 'track', 'statusCallback', 'statusCallbackMethod']);
const MAX_DOCUMENTS_PER_RUN = 50;

type Next = { kind: 'next' } | { kind: 'load'; loaded: LoadedTwiml } | { kind: 'end'; end: TwimlEnd };

/** Executes `first` and whatever it leads to; `isCurrent` turns false when a REST update or hang-up took over. */
export async function executeTwiml(host: TwimlHost, first: LoadedTwiml, isCurrent: () => boolean): Promise<TwimlEnd> {
  let current = first;
  for (let documents = 1; documents <= MAX_DOCUMENTS_PER_RUN; documents++) {
    host.recordDocument(current);
    warnAboutTrailingVerbs(host, current.document.root);
    let next: Next = { kind: 'next' };
    for (const verb of current.document.root.children) {
      if (!isCurrent()) return { kind: 'interrupted' };
      host.recordVerb(verb);
      next = await runVerb(host, verb, current);
      if (!isCurrent()) return { kind: 'interrupted' };
      if (next.kind !== 'next') break;
    }
    if (next.kind === 'end') return next.end;
    if (next.kind === 'next') return { kind: 'finished' };
    current = next.loaded;
  }
  return { kind: 'error', code: 11215, message: `more than ${MAX_DOCUMENTS_PER_RUN} TwiML documents in one run` };
}

// After </Connect> the caller hears whatever follows once the socket closes: a <Pause> there is dead air (A1).
function warnAboutTrailingVerbs(host: TwimlHost, root: TwimlElement): void {
  const connectIndex = root.children.findIndex((verb) => verb.name === 'Connect');
  if (connectIndex < 0) return;
  const trailing = root.children.slice(connectIndex + 1).map((verb) => verb.name);
  if (trailing.length > 0) host.warn('twiml.after-connect', `verbs after </Connect>: ${trailing.join(', ')}`);
}

async function runVerb(host: TwimlHost, verb: TwimlElement, current: LoadedTwiml): Promise<Next> {
  switch (verb.name) {
    case 'Connect':
      return runConnect(host, verb, current);
    case 'Dial':
      return runDial(host, verb, current);
    case 'Redirect':
      return follow(host, current, verb.text, methodOf(verb), {}, 'redirect-verb');
    case 'Start':
      runStart(host, verb);
      return { kind: 'next' };
    case 'Hangup':
      return { kind: 'end', end: { kind: 'hangup' } };
    case 'Reject':
      return { kind: 'end', end: { kind: 'rejected' } };
    case 'Record':
      // The emulated caller leaves no message and hangs up after the beep.
      return { kind: 'end', end: { kind: 'caller-hung-up' } };
    default:
      if (!NOTED_VERBS.has(verb.name)) host.warn(12200, `Schema validation warning: unknown verb <${verb.name}>`);
      return { kind: 'next' };
  }
}

async function runConnect(host: TwimlHost, verb: TwimlElement, current: LoadedTwiml): Promise<Next> {
  const stream = verb.children[0];
  if (verb.children.length !== 1 || stream?.name !== 'Stream') {
    host.warn('twiml.connect-noun', `<Connect> holds ${verb.children.map((child) => `<${child.name}>`).join('') || 'nothing'}, not one <Stream>`);
    return afterConnect(host, verb, current);
  }
  const spec = readStream(host, stream, current.url);
  if (!spec) return afterConnect(host, verb, current);
  const outcome = await host.connectStream(spec);
  switch (outcome) {
    case 'caller-hung-up':
      return { kind: 'end', end: { kind: 'caller-hung-up' } };
    case 'interrupted':
      return { kind: 'end', end: { kind: 'interrupted' } };
    case 'service-closed':
    case 'failed':
      return afterConnect(host, verb, current);
    default:
      return assertNever(outcome, 'stream outcome');
  }
}

// With an action URL, Twilio requests it when <Connect> ends; without one it moves on to the next verb (A1).
function afterConnect(host: TwimlHost, verb: TwimlElement, current: LoadedTwiml): Promise<Next> | Next {
  const action = verb.attributes.action;
  if (action === undefined) return { kind: 'next' };
  return follow(host, current, action, methodOf(verb), {}, 'connect-action');
}

function readStream(host: TwimlHost, stream: TwimlElement, documentUrl: string): StreamSpec | undefined {
  for (const name of Object.keys(stream.attributes)) {
    if (!STREAM_ATTRIBUTES.has(name)) host.warn('twiml.stream-attribute', `undocumented <Stream> attribute ${name}`);
  }
  const track = stream.attributes.track;
  if (track !== undefined && track !== 'inbound_track') {
    host.warn('twiml.stream-track', `a bidirectional stream only receives inbound_track, not ${track}`);
  }
  const rawUrl = stream.attributes.url;
  if (rawUrl === undefined) {
    host.warn(12200, '<Stream> has no url');
    return undefined;
  }
  const resolved = resolveAgainst(rawUrl, documentUrl.replace(/^http/, 'ws'));
  if (!resolved.ok) {
    host.warn(12200, resolved.error);
    return undefined;
  }
  const url = new URL(resolved.value);
  if (url.search !== '' || rawUrl.includes('?')) {
    host.warn('twiml.stream-query', `the stream url does not support query strings (A1): ${rawUrl}`);
    return undefined;
  }
  if (url.protocol !== 'wss:' && !(url.protocol === 'ws:' && isLoopbackHost(url.hostname))) {
    host.warn('twiml.stream-protocol', `wss is the only supported protocol (A1): ${rawUrl}`);
    return undefined;
  }
  const parameters: Record<string, string> = {};
  for (const child of stream.children) {
    if (child.name !== 'Parameter') {
      host.warn(12200, `<Stream> may hold only <Parameter>, not <${child.name}>`);
      continue;
    }
    const name = child.attributes.name;
    const value = child.attributes.value ?? '';
    if (name === undefined || name === '') {
      host.warn(12200, '<Parameter> without a name');
      continue;
    }
    if (name.length + value.length >= 500) host.warn('twiml.parameter-length', `<Parameter ${name}> name and value reach 500 characters (A1)`);
    parameters[name] = value;
  }
  if (Object.keys(parameters).length === 0) host.warn('twiml.stream-no-parameters', '<Stream> carries no <Parameter>');
  const statusCallback = stream.attributes.statusCallback === undefined ? undefined : resolveAgainst(stream.attributes.statusCallback, documentUrl);
  return {
    url: resolved.value,
    name: stream.attributes.name,
    statusCallback: statusCallback?.ok ? statusCallback.value : undefined,
    statusCallbackMethod: stream.attributes.statusCallbackMethod === 'GET' ? 'GET' : 'POST',
    parameters,
  };
}

async function runDial(host: TwimlHost, verb: TwimlElement, current: LoadedTwiml): Promise<Next> {
  const targets: DialTarget[] = verb.children.flatMap((child): DialTarget[] => {
    switch (child.name) {
      case 'Number':
        return [{ kind: 'number', value: child.text }];
      case 'Conference':
        return [{ kind: 'conference', value: child.text }];
      case 'Client':
        return [{ kind: 'client', value: child.text }];
      case 'Sip':
        return [{ kind: 'sip', value: child.text }];
      case 'Queue':
        return [{ kind: 'queue', value: child.text }];
      default:
        host.warn(12200, `<Dial> does not take <${child.name}>`);
        return [];
    }
  });
  if (verb.text !== '') targets.push({ kind: 'number', value: verb.text });
  if (targets.length === 0) host.warn(12200, '<Dial> has nothing to dial');
  const timeoutS = Number(verb.attributes.timeout ?? '30');
  const result = await host.dial({ targets, callerId: verb.attributes.callerId, timeoutS: Number.isFinite(timeoutS) ? timeoutS : 30 });
  if (!result) return { kind: 'end', end: { kind: 'interrupted' } };
  const action = verb.attributes.action;
  if (action === undefined) return { kind: 'next' };
  const extra: Record<string, string> = { DialCallSid: result.dialCallSid, DialCallStatus: result.dialCallStatus };
  if (result.durationS !== undefined) extra.DialCallDuration = String(result.durationS);
  return follow(host, current, action, methodOf(verb), extra, 'dial-action');
}

function runStart(host: TwimlHost, verb: TwimlElement): void {
  for (const child of verb.children) {
    if (child.name === 'Recording') host.startRecording(child.attributes);
    else if (child.name === 'Stream') host.warn('twiml.unidirectional-stream', '<Start><Stream> is not emulated by the twin');
    else if (child.name !== 'Transcription' && child.name !== 'Siprec') host.warn(12200, `<Start> does not take <${child.name}>`);
  }
}

async function follow(
  host: TwimlHost,
  current: LoadedTwiml,
  target: string,
  method: 'GET' | 'POST',
  extraParams: Readonly<Record<string, string>>,
  source: TwimlSource,
): Promise<Next> {
  const url = resolveAgainst(target, current.url);
  if (!url.ok) return { kind: 'end', end: { kind: 'error', code: 11200, message: url.error } };
  const loaded = await host.fetchTwiml({ url: url.value, method, extraParams, source });
  if (!loaded.ok) return { kind: 'end', end: { kind: 'error', ...loaded.error } };
  return { kind: 'load', loaded: loaded.value };
}

function methodOf(verb: TwimlElement): 'GET' | 'POST' {
  return verb.attributes.method?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}
