// The Twilio Media Streams wire format: parses every inbound frame into a typed message and builds the three
// frames we send (twilio-and-shopify.md, A2). Pure: no socket, clock or logger, and it never throws on wire data.
import { z } from 'zod';
import { assertNever } from '../shared/assert-never.ts';
import { err, ok, type Result } from '../shared/result.ts';

export type TwilioMediaFormat = { readonly encoding: string; readonly sampleRateHz: number; readonly channels: number };

export type TwilioConnected = { readonly type: 'connected'; readonly protocol: string; readonly version: string };
export type TwilioStart = {
  readonly type: 'start';
  readonly sequenceNumber: number;
  readonly streamSid: string;
  readonly accountSid: string;
  readonly callSid: string;
  readonly tracks: readonly string[];
  readonly mediaFormat: TwilioMediaFormat;
  readonly customParameters: Readonly<Record<string, string>>;
};
export type TwilioMedia = {
  readonly type: 'media';
  readonly sequenceNumber: number;
  readonly streamSid: string;
  readonly track: string;
  readonly chunk: number;
  /** Presentation time from the start of the stream (A2). */
  readonly timestampMs: number;
  /** µ-law 8 kHz bytes, base64, no header; never decoded here so the media path stays cheap. */
  readonly payloadBase64: string;
};
export type TwilioDtmf = {
  readonly type: 'dtmf';
  readonly sequenceNumber: number;
  readonly streamSid: string;
  readonly track: string;
  readonly digit: string;
};
export type TwilioMark = { readonly type: 'mark'; readonly sequenceNumber: number; readonly streamSid: string; readonly name: string };
export type TwilioStop = {
  readonly type: 'stop';
  readonly sequenceNumber: number;
  readonly streamSid: string;
  readonly accountSid: string;
  readonly callSid: string;
};
/** A well-formed event we do not know, kept whole so a new Twilio event cannot crash a call. */
export type TwilioUnknown = { readonly type: 'unknown'; readonly event: string; readonly raw: Readonly<Record<string, unknown>> };

export type TwilioInbound = TwilioConnected | TwilioStart | TwilioMedia | TwilioDtmf | TwilioMark | TwilioStop | TwilioUnknown;

export type TwilioCodecError = {
  readonly reason: 'invalid_json' | 'invalid_message';
  /** The `event` value when the frame had one. */
  readonly event?: string;
  /** Which rule failed; names fields only, never their values (they may hold audio or parameters). */
  readonly detail: string;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DECIMAL = /^\d{1,15}$/;

/** Counters are decimal strings on the wire (A2); a plain number is accepted too, since it means the same. */
function readCount(value: unknown): number | undefined {
  if (typeof value === 'string') return DECIMAL.test(value) ? Number(value) : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return undefined;
}

const count = z.custom<string | number>((value) => readCount(value) !== undefined, 'a decimal counter').transform((value) => Number(value));
const sid = z.string().min(1);

const connectedSchema = z.object({ event: z.literal('connected'), protocol: z.string(), version: z.string() });

const startSchema = z
  .object({
    event: z.literal('start'),
    sequenceNumber: count,
    streamSid: sid.optional(),
    start: z.object({
      accountSid: sid,
      callSid: sid,
      streamSid: sid.optional(),
      tracks: z.array(z.string()).default([]),
      mediaFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number() }),
      // Twilio sends `{}` when the TwiML has no <Parameter>; absent means the same (A2).
      customParameters: z.record(z.string(), z.string()).default({}),
    }),
  })
  .refine((frame) => Boolean(frame.streamSid ?? frame.start.streamSid), { message: 'streamSid is required', path: ['streamSid'] })
  .refine((frame) => !frame.streamSid || !frame.start.streamSid || frame.streamSid === frame.start.streamSid, {
    message: 'streamSid differs from start.streamSid',
    path: ['streamSid'],
  });

const dtmfSchema = z.object({
  event: z.literal('dtmf'),
  sequenceNumber: count,
  streamSid: sid,
  dtmf: z.object({ track: z.string(), digit: z.string().min(1) }),
});
const stopSchema = z.object({
  event: z.literal('stop'),
  sequenceNumber: count,
  streamSid: sid,
  stop: z.object({ accountSid: sid, callSid: sid }),
});

function invalid(event: string, detail: string): Result<never, TwilioCodecError> {
  return err({ reason: 'invalid_message', event, detail });
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(frame)'}: ${issue.message}`).join('; ');
}

/**
 * The media path runs 50 times a second per call, so it is checked by hand: about 0.05 µs over JSON.parse, where
 * a zod schema adds about 0.3 µs per frame. Marks (one per chunk sent) are checked by hand too; the rest use zod.
 */
function parseMedia(raw: Record<string, unknown>): Result<TwilioMedia, TwilioCodecError> {
  const media = raw.media;
  const streamSid = raw.streamSid;
  if (!isRecord(media)) return invalid('media', 'media: expected an object');
  if (typeof streamSid !== 'string' || streamSid === '') return invalid('media', 'streamSid: expected a non-empty string');
  const sequenceNumber = readCount(raw.sequenceNumber);
  if (sequenceNumber === undefined) return invalid('media', 'sequenceNumber: expected a decimal counter');
  const chunk = readCount(media.chunk);
  if (chunk === undefined) return invalid('media', 'media.chunk: expected a decimal counter');
  const timestampMs = readCount(media.timestamp);
  if (timestampMs === undefined) return invalid('media', 'media.timestamp: expected a decimal counter');
  const payloadBase64 = media.payload;
  if (typeof payloadBase64 !== 'string') return invalid('media', 'media.payload: expected a base64 string');
  const track = media.track;
  if (typeof track !== 'string') return invalid('media', 'media.track: expected a string');
  return ok({ type: 'media', sequenceNumber, streamSid, track, chunk, timestampMs, payloadBase64 });
}

function parseWith<S extends z.ZodType, T>(
  schema: S,
  raw: Record<string, unknown>,
  event: string,
  map: (frame: z.output<S>) => T,
): Result<T, TwilioCodecError> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? ok(map(parsed.data)) : invalid(event, describeIssues(parsed.error));
}

/** A mark echo arrives once per audio chunk sent, so it is checked by hand like media. */
function parseMark(raw: Record<string, unknown>): Result<TwilioInbound, TwilioCodecError> {
  const streamSid = raw.streamSid;
  const mark = raw.mark;
  if (!isRecord(mark)) return invalid('mark', 'mark: expected an object');
  if (typeof streamSid !== 'string' || streamSid === '') return invalid('mark', 'streamSid: expected a non-empty string');
  const sequenceNumber = readCount(raw.sequenceNumber);
  if (sequenceNumber === undefined) return invalid('mark', 'sequenceNumber: expected a decimal counter');
  const name = mark.name;
  if (typeof name !== 'string') return invalid('mark', 'mark.name: expected a string');
  return ok({ type: 'mark', sequenceNumber, streamSid, name });
}

/** Parses one text frame from Twilio. Malformed JSON or a known event with missing fields is an error value. */
export function parseTwilioFrame(text: string): Result<TwilioInbound, TwilioCodecError> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err({ reason: 'invalid_json', detail: 'frame is not JSON' });
  }
  if (!isRecord(raw)) return err({ reason: 'invalid_message', detail: 'frame is not a JSON object' });
  const event = raw.event;
  if (typeof event !== 'string' || event === '') return err({ reason: 'invalid_message', detail: 'event: expected a string' });
  switch (event) {
    case 'media':
      return parseMedia(raw);
    case 'connected':
      return parseWith(connectedSchema, raw, event, (frame) => ({ type: 'connected', protocol: frame.protocol, version: frame.version }));
    case 'start':
      return parseWith(startSchema, raw, event, (frame) => ({
        type: 'start',
        sequenceNumber: frame.sequenceNumber,
        streamSid: frame.start.streamSid ?? frame.streamSid ?? '',
        accountSid: frame.start.accountSid,
        callSid: frame.start.callSid,
        tracks: frame.start.tracks,
        mediaFormat: {
          encoding: frame.start.mediaFormat.encoding,
          sampleRateHz: frame.start.mediaFormat.sampleRate,
          channels: frame.start.mediaFormat.channels,
        },
        customParameters: frame.start.customParameters,
      }));
    case 'dtmf':
      return parseWith(dtmfSchema, raw, event, (frame) => ({
        type: 'dtmf',
        sequenceNumber: frame.sequenceNumber,
        streamSid: frame.streamSid,
        track: frame.dtmf.track,
        digit: frame.dtmf.digit,
      }));
    case 'mark':
      return parseMark(raw);
    case 'stop':
      return parseWith(stopSchema, raw, event, (frame) => ({
        type: 'stop',
        sequenceNumber: frame.sequenceNumber,
        streamSid: frame.streamSid,
        accountSid: frame.stop.accountSid,
        callSid: frame.stop.callSid,
      }));
    default:
      return ok({ type: 'unknown', event, raw });
  }
}

// Outbound frames carry no sequenceNumber and no track (A2); key order follows Twilio's examples.

/** µ-law 8 kHz audio for the caller, base64 without file headers; Twilio buffers and plays in order (A2). */
export function encodeMedia(streamSid: string, payloadBase64: string): string {
  return JSON.stringify({ event: 'media', streamSid, media: { payload: payloadBase64 } });
}

/** Echoed back by Twilio when the audio before it has played, or at once when cleared or nothing is buffered (A2). */
export function encodeMark(streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', streamSid, mark: { name } });
}

/** Empties Twilio's playback buffer; every pending mark is then echoed (A2). */
export function encodeClear(streamSid: string): string {
  return JSON.stringify({ event: 'clear', streamSid });
}

/**
 * The inverse of parseTwilioFrame, in Twilio's wire shape: lets tests and tools speak Twilio's side with typed
 * messages and proves the parser loses nothing (`parseTwilioFrame(encodeTwilioInbound(m))` equals `m`).
 */
export function encodeTwilioInbound(message: TwilioInbound): string {
  switch (message.type) {
    case 'connected':
      return JSON.stringify({ event: 'connected', protocol: message.protocol, version: message.version });
    case 'start':
      return JSON.stringify({
        event: 'start',
        sequenceNumber: String(message.sequenceNumber),
        start: {
          accountSid: message.accountSid,
          streamSid: message.streamSid,
          callSid: message.callSid,
          tracks: message.tracks,
          mediaFormat: {
            encoding: message.mediaFormat.encoding,
            sampleRate: message.mediaFormat.sampleRateHz,
            channels: message.mediaFormat.channels,
          },
          customParameters: message.customParameters,
        },
        streamSid: message.streamSid,
      });
    case 'media':
      return JSON.stringify({
        event: 'media',
        sequenceNumber: String(message.sequenceNumber),
        media: {
          track: message.track,
          chunk: String(message.chunk),
          timestamp: String(message.timestampMs),
          payload: message.payloadBase64,
        },
        streamSid: message.streamSid,
      });
    case 'dtmf':
      return JSON.stringify({
        event: 'dtmf',
        streamSid: message.streamSid,
        sequenceNumber: String(message.sequenceNumber),
        dtmf: { track: message.track, digit: message.digit },
      });
    case 'mark':
      return JSON.stringify({
        event: 'mark',
        sequenceNumber: String(message.sequenceNumber),
        streamSid: message.streamSid,
        mark: { name: message.name },
      });
    case 'stop':
      return JSON.stringify({
        event: 'stop',
        sequenceNumber: String(message.sequenceNumber),
        stop: { accountSid: message.accountSid, callSid: message.callSid },
        streamSid: message.streamSid,
      });
    case 'unknown':
      return JSON.stringify(message.raw);
    default:
      return assertNever(message, 'Twilio message');
  }
}
