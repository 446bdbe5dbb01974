// TwiML documents for every call path, built with the twilio SDK's VoiceResponse so escaping is the SDK's
// (twilio-and-shopify.md, A1, A4). Pure: callers pass absolute URLs (see public-urls.ts); nothing is read from env.
import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

export type SayVoice = NonNullable<VoiceResponse.SayAttributes['voice']>;
export type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>;
/** How `<Say>` speaks; Twilio's default voice applies when empty. */
export type SpeechOptions = { readonly voice?: SayVoice; readonly language?: SayLanguage };

/** "The combined length of each `<Parameter>` name and value attributes must be under 500 characters" (A1). */
export const MAX_STREAM_PARAMETER_LENGTH = 499;

export type VoicemailOptions = {
  readonly prompt: string;
  readonly maxLengthSeconds: number;
  readonly recordingStatusCallbackUrl: string;
  /** Required: without it, `<Record>` re-requests the current document and loops. */
  readonly actionUrl: string;
};

function say(response: VoiceResponse, text: string, speech: SpeechOptions | undefined): void {
  const attributes: VoiceResponse.SayAttributes = {};
  if (speech?.voice) attributes.voice = speech.voice;
  if (speech?.language) attributes.language = speech.language;
  response.say(attributes, text);
}

function appendVoicemail(response: VoiceResponse, voicemail: VoicemailOptions, speech: SpeechOptions | undefined): void {
  say(response, voicemail.prompt, speech);
  response.record({
    action: voicemail.actionUrl,
    maxLength: voicemail.maxLengthSeconds,
    playBeep: true,
    trim: 'trim-silence',
    recordingStatusCallback: voicemail.recordingStatusCallbackUrl,
    recordingStatusCallbackEvent: ['completed'],
  });
  // An empty recording skips the action URL and falls through to the next verb; end the call there.
  response.hangup();
}

/**
 * Starts the bidirectional stream: an optional `<Start><Recording>` (there is no `record` on `<Connect>`, A4),
 * then `<Connect><Stream>`, and nothing after `</Connect>`: closing the socket then ends the call at once, or
 * runs `<Connect action>` when given, instead of leaving the caller in dead air (A1).
 */
export function buildStreamTwiml(input: {
  streamUrl: string;
  parameters: Readonly<Record<string, string>>;
  streamStatusCallbackUrl?: string;
  recording?: { statusCallbackUrl: string };
  connectActionUrl?: string;
}): string {
  if (!/^wss?:\/\//.test(input.streamUrl) || input.streamUrl.includes('?')) {
    throw new Error('buildStreamTwiml: streamUrl must be a ws(s) URL without a query string (A1)');
  }
  const response = new twilio.twiml.VoiceResponse();
  if (input.recording) {
    response.start().recording({
      recordingStatusCallback: input.recording.statusCallbackUrl,
      recordingStatusCallbackEvent: ['completed'],
      track: 'both',
      channels: 'dual',
    });
  }
  const connect = response.connect(input.connectActionUrl ? { action: input.connectActionUrl } : {});
  const stream = connect.stream(
    input.streamStatusCallbackUrl ? { url: input.streamUrl, statusCallback: input.streamStatusCallbackUrl } : { url: input.streamUrl },
  );
  for (const [name, value] of Object.entries(input.parameters)) {
    if (name.length + value.length > MAX_STREAM_PARAMETER_LENGTH) {
      throw new Error(`buildStreamTwiml: <Parameter> "${name}" is over Twilio's 500-character limit (A1)`);
    }
    stream.parameter({ name, value });
  }
  return response.toString();
}

/** A cold transfer: optional words, then `<Dial>`; `<Dial action>` reports DialCallStatus (A4). */
export function buildTransferTwiml(input: {
  say?: string;
  number: string;
  callerId: string;
  timeoutSeconds: number;
  actionUrl: string;
  speech?: SpeechOptions;
}): string {
  const response = new twilio.twiml.VoiceResponse();
  if (input.say) say(response, input.say, input.speech);
  response.dial({ callerId: input.callerId, timeout: input.timeoutSeconds, action: input.actionUrl }, input.number);
  return response.toString();
}

/** Voicemail: the prompt, a beep, `<Record>`, then hang up. The recording arrives on the status callback. */
export function buildVoicemailTwiml(input: VoicemailOptions & { speech?: SpeechOptions }): string {
  const response = new twilio.twiml.VoiceResponse();
  appendVoicemail(response, input, input.speech);
  return response.toString();
}

/**
 * When the agent cannot go on: an apology, then a human when a number is set, else voicemail. Without a Dial
 * action the call ends when the Dial ends, so a finished conversation never falls into the voicemail prompt.
 */
export function buildFallbackTwiml(input: {
  apology: string;
  transferNumber?: string;
  callerId?: string;
  dialActionUrl?: string;
  dialTimeoutSeconds?: number;
  voicemail: VoicemailOptions;
  speech?: SpeechOptions;
}): string {
  const response = new twilio.twiml.VoiceResponse();
  say(response, input.apology, input.speech);
  if (input.transferNumber) {
    const attributes: VoiceResponse.DialAttributes = {};
    if (input.callerId) attributes.callerId = input.callerId;
    if (input.dialTimeoutSeconds !== undefined) attributes.timeout = input.dialTimeoutSeconds;
    if (input.dialActionUrl) attributes.action = input.dialActionUrl;
    response.dial(attributes, input.transferNumber);
  } else {
    appendVoicemail(response, input.voicemail, input.speech);
  }
  return response.toString();
}

export function buildSayHangupTwiml(text: string, speech?: SpeechOptions): string {
  const response = new twilio.twiml.VoiceResponse();
  say(response, text, speech);
  response.hangup();
  return response.toString();
}

/** Ends the call: the answer to `<Connect action>` or `<Record action>` when nothing else should happen. */
export function buildHangupTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.hangup();
  return response.toString();
}

/**
 * When we cannot take a call (draining, overloaded): a polite message then voicemail or hang-up. With neither a
 * message nor voicemail the call is rejected as busy without ever being answered.
 */
export function buildRejectTwiml(input: { message?: string; voicemail?: VoicemailOptions; speech?: SpeechOptions }): string {
  const response = new twilio.twiml.VoiceResponse();
  if (!input.message && !input.voicemail) {
    response.reject({ reason: 'busy' });
    return response.toString();
  }
  if (input.message) say(response, input.message, input.speech);
  if (input.voicemail) appendVoicemail(response, input.voicemail, input.speech);
  else response.hangup();
  return response.toString();
}
