// Twilio's HTTP webhooks: the inbound call, status callbacks and the TwiML follow-ups, each signature-checked
// (twilio-and-shopify.md, A1, A3, A4). Everything call-specific happens in callbacks that app.ts supplies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertNever } from '../shared/assert-never.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { maskPhone } from '../shared/redact.ts';
import type { Result } from '../shared/result.ts';
import { MEDIA_STREAM_PATH } from './media-stream-routes.ts';
import { callbackUrlFor, signedRequestUrl, streamUrlFor } from './public-urls.ts';
import { DEFAULT_STREAM_TOKEN_TTL_MS, STREAM_TOKEN_PARAMETER, mintStreamToken } from './stream-token.ts';
import { isValidWebhookSignature } from './twilio-signature.ts';
import { buildHangupTwiml, buildStreamTwiml } from './twiml.ts';
import {
  formParamsSchema,
  parseCallStatusUpdate,
  parseConnectEnded,
  parseDialResult,
  parseIncomingCall,
  parseRecordingStatusUpdate,
  parseStreamStatusUpdate,
  parseVoicemailDone,
  type CallStatusUpdate,
  type ConnectEnded,
  type DialResult,
  type FormParams,
  type FormProblem,
  type IncomingCall,
  type RecordingStatusUpdate,
  type StreamStatusUpdate,
  type VoicemailDone,
} from './webhook-forms.ts';

export const TWILIO_WEBHOOK_PATHS = {
  voice: '/twilio/voice',
  status: '/twilio/status',
  recording: '/twilio/recording',
  dialStatus: '/twilio/dial-status',
  streamStatus: '/twilio/stream-status',
  connectEnded: '/twilio/connect-ended',
  voicemailDone: '/twilio/voicemail-done',
} as const;

/** How to answer an inbound call: bridge it to the agent, or any TwiML app.ts built (say, voicemail, reject). */
export type IncomingCallAnswer =
  | { readonly kind: 'stream'; readonly parameters: Readonly<Record<string, string>>; readonly recording: boolean }
  | { readonly kind: 'twiml'; readonly twiml: string };

export interface TwilioWebhookDeps {
  /** PUBLIC_URL: every URL Twilio signs and calls is derived from it (A3). */
  readonly publicUrl: string;
  readonly authToken: string;
  /** Shared with the media-stream route; see deriveStreamTokenSecret. */
  readonly streamTokenSecret: string;
  readonly streamTokenTtlMs?: number;
  readonly clock: Clock;
  readonly log: Logger;
  onIncomingCall(call: IncomingCall): Promise<IncomingCallAnswer>;
  onCallStatus(status: CallStatusUpdate): Promise<void>;
  onRecordingStatus(recording: RecordingStatusUpdate): Promise<void>;
  /** Answers `<Dial action>` with TwiML: after a transfer that failed, typically voicemail. */
  onDialResult(result: DialResult): Promise<string>;
  onStreamStatus?(status: StreamStatusUpdate): Promise<void>;
  /**
   * When given, streams carry `<Connect action>` and this answers it with TwiML once our socket closes (transfer,
   * goodbye). Without it the call simply ends when the socket closes.
   */
  onConnectEnded?(ended: ConnectEnded): Promise<string>;
  /** Answers `<Record action>` after a voicemail; hangs up when absent. */
  onVoicemailDone?(voicemail: VoicemailDone): Promise<string>;
}

export type TwilioCallbackUrls = { readonly [Name in keyof typeof TWILIO_WEBHOOK_PATHS]: string };

/** Absolute URLs for TwiML attributes (`<Dial action>`, `<Record action>`, status callbacks). */
export function twilioCallbackUrls(publicUrl: string): TwilioCallbackUrls {
  return {
    voice: callbackUrlFor(publicUrl, TWILIO_WEBHOOK_PATHS.voice),
    status: callbackUrlFor(publicUrl, TWILIO_WEBHOOK_PATHS.status),
    recording: callbackUrlFor(publicUrl, TWILIO_WEBHOOK_PATHS.recording),
    dialStatus: callbackUrlFor(publicUrl, TWILIO_WEBHOOK_PATHS.dialStatus),
    streamStatus: callbackUrlFor(publicUrl, TWILIO_WEBHOOK_PATHS.streamStatus),
    connectEnded: callbackUrlFor(publicUrl, TWILIO_WEBHOOK_PATHS.connectEnded),
    voicemailDone: callbackUrlFor(publicUrl, TWILIO_WEBHOOK_PATHS.voicemailDone),
  };
}

const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';

export function registerTwilioWebhooks(app: FastifyInstance, deps: TwilioWebhookDeps): void {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    throw new Error('registerTwilioWebhooks: register @fastify/formbody first');
  }
  const { log } = deps;
  const urls = twilioCallbackUrls(deps.publicUrl);
  const streamUrl = streamUrlFor(deps.publicUrl, MEDIA_STREAM_PATH);

  /** A signed form POST: 403 with no body on a bad signature, 400 on a bad form, 500 when the callback throws. */
  function signedForm<T>(
    path: string,
    parse: (params: FormParams) => Result<T, FormProblem>,
    answer: (value: T) => Promise<string | undefined>,
  ): void {
    app.post(path, async (request: FastifyRequest, reply: FastifyReply) => {
      const params = formParamsSchema.safeParse(request.body ?? {});
      const signature = request.headers['x-twilio-signature'];
      const isSigned =
        params.success &&
        isValidWebhookSignature({
          authToken: deps.authToken,
          signature: typeof signature === 'string' ? signature : undefined,
          url: signedRequestUrl(deps.publicUrl, request.url),
          params: params.data,
        });
      if (!params.success || !isSigned) {
        log.warn({ path }, 'twilio.signature.invalid');
        return reply.code(403).send();
      }
      const parsed = parse(params.data);
      if (!parsed.ok) {
        log.warn({ path, fields: parsed.error.fields }, 'twilio.webhook.invalid_form');
        return reply.code(400).send();
      }
      try {
        const twiml = await answer(parsed.value);
        if (twiml === undefined) return reply.code(204).send();
        return reply.code(200).type(TWIML_CONTENT_TYPE).send(twiml);
      } catch (error) {
        log.error({ path, err: error }, 'twilio.webhook.failed');
        return reply.code(500).send();
      }
    });
  }

  signedForm(TWILIO_WEBHOOK_PATHS.voice, parseIncomingCall, async (call) => {
    log.info({ callSid: call.callSid, from: maskPhone(call.from), direction: call.direction }, 'twilio.call.incoming');
    const answer = await deps.onIncomingCall(call);
    switch (answer.kind) {
      case 'twiml':
        return answer.twiml;
      case 'stream': {
        if (STREAM_TOKEN_PARAMETER in answer.parameters) {
          throw new Error(`onIncomingCall: the "${STREAM_TOKEN_PARAMETER}" parameter is reserved for the stream token`);
        }
        const token = mintStreamToken({
          secret: deps.streamTokenSecret,
          callSid: call.callSid,
          nowMs: deps.clock.now(),
          ttlMs: deps.streamTokenTtlMs ?? DEFAULT_STREAM_TOKEN_TTL_MS,
        });
        return buildStreamTwiml({
          streamUrl,
          parameters: { ...answer.parameters, [STREAM_TOKEN_PARAMETER]: token },
          streamStatusCallbackUrl: urls.streamStatus,
          recording: answer.recording ? { statusCallbackUrl: urls.recording } : undefined,
          connectActionUrl: deps.onConnectEnded ? urls.connectEnded : undefined,
        });
      }
      default:
        return assertNever(answer, 'incoming call answer');
    }
  });

  signedForm(TWILIO_WEBHOOK_PATHS.status, parseCallStatusUpdate, async (status) => {
    const { callSid, callStatus, callDurationSeconds } = status;
    log.info({ callSid, callStatus, callDurationSeconds }, 'twilio.call.status');
    await deps.onCallStatus(status);
    return undefined;
  });

  signedForm(TWILIO_WEBHOOK_PATHS.recording, parseRecordingStatusUpdate, async (recording) => {
    const { callSid, recordingSid, recordingStatus } = recording;
    log.info({ callSid, recordingSid, recordingStatus }, 'twilio.recording.status');
    await deps.onRecordingStatus(recording);
    return undefined;
  });

  signedForm(TWILIO_WEBHOOK_PATHS.dialStatus, parseDialResult, async (result) => {
    log.info({ callSid: result.callSid, dialCallStatus: result.dialCallStatus }, 'twilio.dial.result');
    return deps.onDialResult(result);
  });

  signedForm(TWILIO_WEBHOOK_PATHS.streamStatus, parseStreamStatusUpdate, async (status) => {
    // stream-error is the only place a failed WebSocket handshake becomes visible (A1).
    if (status.streamEvent === 'stream-error') {
      log.warn({ callSid: status.callSid, streamSid: status.streamSid, streamError: status.streamError }, 'twilio.stream.error');
    } else {
      log.info({ callSid: status.callSid, streamSid: status.streamSid, streamEvent: status.streamEvent }, 'twilio.stream.status');
    }
    await deps.onStreamStatus?.(status);
    return undefined;
  });

  signedForm(TWILIO_WEBHOOK_PATHS.connectEnded, parseConnectEnded, async (ended) => {
    log.info({ callSid: ended.callSid, callStatus: ended.callStatus }, 'twilio.connect.ended');
    return deps.onConnectEnded ? deps.onConnectEnded(ended) : buildHangupTwiml();
  });

  signedForm(TWILIO_WEBHOOK_PATHS.voicemailDone, parseVoicemailDone, async (voicemail) => {
    log.info({ callSid: voicemail.callSid, recordingSid: voicemail.recordingSid }, 'twilio.voicemail.done');
    return deps.onVoicemailDone ? deps.onVoicemailDone(voicemail) : buildHangupTwiml();
  });
}
