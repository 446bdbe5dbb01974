// Twilio REST JSON shapes for the subset the bridge uses (twilio-and-shopify.md, A4): Call, Message, Recording
// resources and the error body. Pure builders: they never look anything up.
import { rfc2822 } from './call-params.ts';
import type { CallSnapshot, RecordingSnapshot } from './call-registry.ts';

export const API_VERSION = '2010-04-01';

export type TwilioErrorBody = { code: number; message: string; more_info: string; status: number };

export function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function accountPath(accountSid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}`;
}

export function callResource(call: CallSnapshot, overrides: { status?: CallSnapshot['status'] } = {}): Record<string, unknown> {
  const uri = `${accountPath(call.accountSid)}/Calls/${call.callSid}`;
  const durationS =
    call.answeredAtMs !== undefined && call.endedAtMs !== undefined ? String(Math.round((call.endedAtMs - call.answeredAtMs) / 1000)) : null;
  return {
    account_sid: call.accountSid,
    annotation: null,
    answered_by: null,
    api_version: API_VERSION,
    caller_name: call.callerName ?? null,
    date_created: rfc2822(call.createdAtMs),
    date_updated: rfc2822(call.endedAtMs ?? call.answeredAtMs ?? call.createdAtMs),
    direction: 'inbound',
    duration: durationS,
    end_time: call.endedAtMs === undefined ? null : rfc2822(call.endedAtMs),
    forwarded_from: call.forwardedFrom ?? null,
    from: call.from,
    from_formatted: call.from,
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: null,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid: call.callSid,
    start_time: call.answeredAtMs === undefined ? null : rfc2822(call.answeredAtMs),
    status: overrides.status ?? call.status,
    subresource_uris: {
      notifications: `${uri}/Notifications.json`,
      recordings: `${uri}/Recordings.json`,
      payments: `${uri}/Payments.json`,
      events: `${uri}/Events.json`,
      siprec: `${uri}/Siprec.json`,
      streams: `${uri}/Streams.json`,
      transcriptions: `${uri}/Transcriptions.json`,
      user_defined_message_subscriptions: `${uri}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${uri}/UserDefinedMessages.json`,
    },
    to: call.to,
    to_formatted: call.to,
    trunk_sid: null,
    uri: `${uri}.json`,
  };
}

export type MessageRecord = {
  readonly sid: string;
  readonly accountSid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly createdAtMs: number;
  readonly params: Readonly<Record<string, string>>;
};

/** GSM-7 messages split at 153 characters per segment once past 160; UCS-2 at 67 past 70. */
function segmentCount(body: string): number {
  const isGsm = /^[\x20-\x7E\n\r]*$/.test(body);
  const single = isGsm ? 160 : 70;
  const multi = isGsm ? 153 : 67;
  return body.length <= single ? 1 : Math.ceil(body.length / multi);
}

export function messageResource(message: MessageRecord): Record<string, unknown> {
  const uri = `${accountPath(message.accountSid)}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: API_VERSION,
    body: message.body,
    date_created: rfc2822(message.createdAtMs),
    date_sent: null,
    date_updated: rfc2822(message.createdAtMs),
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: message.from,
    messaging_service_sid: message.params.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(segmentCount(message.body)),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}

export function recordingResource(recording: RecordingSnapshot, accountSid: string): Record<string, unknown> {
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    call_sid: recording.callSid,
    conference_sid: null,
    channels: recording.channels === 'dual' ? 2 : 1,
    date_created: rfc2822(recording.startedAtMs),
    date_updated: rfc2822(recording.startedAtMs),
    duration: recording.durationS === undefined ? '-1' : String(recording.durationS),
    encryption_details: null,
    error_code: null,
    price: null,
    price_unit: 'USD',
    sid: recording.sid,
    source: recording.source,
    start_time: rfc2822(recording.startedAtMs),
    status: recording.status,
    track: recording.track,
    uri: `${accountPath(accountSid)}/Calls/${recording.callSid}/Recordings/${recording.sid}.json`,
  };
}
