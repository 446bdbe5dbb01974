// The caller twin's own Media Streams codec (twilio-and-shopify.md, A2): builds Twilio's messages and strictly reads
// the service's. Pure: no sockets, no clock; it never throws on wire data.
import { z } from 'zod';
import { err, ok, type Result } from '../../shared/result.ts';

export type ServiceMessage =
  | { readonly type: 'media'; readonly payload: Buffer }
  | { readonly type: 'mark'; readonly name: string }
  | { readonly type: 'clear' };

const mediaSchema = z.strictObject({
  event: z.literal('media'),
  streamSid: z.string(),
  media: z.strictObject({ payload: z.string() }),
});
const markSchema = z.strictObject({
  event: z.literal('mark'),
  streamSid: z.string(),
  mark: z.strictObject({ name: z.string() }),
});
const clearSchema = z.strictObject({ event: z.literal('clear'), streamSid: z.string() });
const eventSchema = z.object({ event: z.string() });

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads one text frame the service sent. Any reason Twilio gives for 31951 comes back as an error: not JSON, unknown
 * message type, a missing or extra field, or the wrong stream SID (A2, error table).
 */
export function parseServiceMessage(text: string, expectedStreamSid: string): Result<ServiceMessage, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err('not JSON');
  }
  const event = eventSchema.safeParse(raw);
  if (!event.success) return err('missing event');
  switch (event.data.event) {
    case 'media': {
      const parsed = mediaSchema.safeParse(raw);
      if (!parsed.success) return err(`media: ${describeIssues(parsed.error)}`);
      if (parsed.data.streamSid !== expectedStreamSid) return err('media: wrong streamSid');
      if (!BASE64.test(parsed.data.media.payload)) return err('media: payload is not base64');
      return ok({ type: 'media', payload: Buffer.from(parsed.data.media.payload, 'base64') });
    }
    case 'mark': {
      const parsed = markSchema.safeParse(raw);
      if (!parsed.success) return err(`mark: ${describeIssues(parsed.error)}`);
      if (parsed.data.streamSid !== expectedStreamSid) return err('mark: wrong streamSid');
      return ok({ type: 'mark', name: parsed.data.mark.name });
    }
    case 'clear': {
      const parsed = clearSchema.safeParse(raw);
      if (!parsed.success) return err(`clear: ${describeIssues(parsed.error)}`);
      if (parsed.data.streamSid !== expectedStreamSid) return err('clear: wrong streamSid');
      return ok({ type: 'clear' });
    }
    default:
      return err(`unknown event "${event.data.event.slice(0, 40)}"`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') return `extra field ${issue.keys.map((key) => [path, key].filter(Boolean).join('.')).join(', ')}`;
      return `${path || 'message'}: ${issue.message}`;
    })
    .join('; ');
}

/** True when a payload starts with a RIFF/WAVE header, which must never be sent as media (A2). */
export function hasAudioFileHeader(payload: Buffer): boolean {
  return payload.length >= 12 && payload.toString('latin1', 0, 4) === 'RIFF' && payload.toString('latin1', 8, 12) === 'WAVE';
}

export type StartFields = {
  accountSid: string;
  callSid: string;
  streamSid: string;
  customParameters: Readonly<Record<string, string>>;
};

export function encodeConnected(): string {
  return '{"event":"connected","protocol":"Call","version":"1.0.0"}';
}

/** `start` always carries sequenceNumber "1", tracks ["inbound"] and the fixed µ-law format (A2). */
export function encodeStart(fields: StartFields): string {
  return JSON.stringify({
    event: 'start',
    sequenceNumber: '1',
    start: {
      accountSid: fields.accountSid,
      streamSid: fields.streamSid,
      callSid: fields.callSid,
      tracks: ['inbound'],
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      customParameters: fields.customParameters,
    },
    streamSid: fields.streamSid,
  });
}

/** Built by concatenation: this runs 50 times a second per caller, and every field is a known-safe token. */
export function encodeMediaFrame(sequenceNumber: number, chunk: number, timestampMs: number, payloadBase64: string, streamSid: string): string {
  return (
    '{"event":"media","sequenceNumber":"' +
    sequenceNumber +
    '","media":{"track":"inbound","chunk":"' +
    chunk +
    '","timestamp":"' +
    timestampMs +
    '","payload":"' +
    payloadBase64 +
    '"},"streamSid":"' +
    streamSid +
    '"}'
  );
}

export function encodeDtmf(sequenceNumber: number, streamSid: string, digit: string): string {
  return JSON.stringify({
    event: 'dtmf',
    streamSid,
    sequenceNumber: String(sequenceNumber),
    dtmf: { track: 'inbound_track', digit },
  });
}

export function encodeMarkEcho(sequenceNumber: number, streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', sequenceNumber: String(sequenceNumber), streamSid, mark: { name } });
}

export function encodeStop(sequenceNumber: number, streamSid: string, accountSid: string, callSid: string): string {
  return JSON.stringify({
    event: 'stop',
    sequenceNumber: String(sequenceNumber),
    stop: { accountSid, callSid },
    streamSid,
  });
}
