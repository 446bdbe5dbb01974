// The Media Streams WebSocket route: refuses an unsigned upgrade with 403 before any socket exists, then hands the
// socket to the adapter (twilio-and-shopify.md, A3). Never learns what a call is for: app.ts supplies onStream.
import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { acceptTwilioMediaStream, type TwilioMediaStream } from './media-stream.ts';
import { streamUrlFor } from './public-urls.ts';
import { isValidUpgradeSignature } from './twilio-signature.ts';

export const MEDIA_STREAM_PATH = '/twilio/media';

/** Twilio sends `connected` and `start` right after the handshake; a socket silent this long is not Twilio. */
export const DEFAULT_STREAM_START_TIMEOUT_MS = 10_000;

export interface MediaStreamRouteDeps {
  /** PUBLIC_URL: the stream URL Twilio signs is derived from it, never from the Host header (A3). */
  readonly publicUrl: string;
  readonly authToken: string;
  /** The same secret the voice webhook mints tokens with; see deriveStreamTokenSecret. */
  readonly streamTokenSecret: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly startTimeoutMs?: number;
  /** Called synchronously once a stream's token checks out; set its handlers inside. */
  onStream(stream: TwilioMediaStream): void;
}

/** Registers `GET /twilio/media`; @fastify/websocket must already be registered on `app`. */
export function registerMediaStreamRoute(app: FastifyInstance, deps: MediaStreamRouteDeps): void {
  if (!app.hasDecorator('websocketServer')) throw new Error('registerMediaStreamRoute: register @fastify/websocket first');
  const streamUrl = streamUrlFor(deps.publicUrl, MEDIA_STREAM_PATH);
  const startTimeoutMs = deps.startTimeoutMs ?? DEFAULT_STREAM_START_TIMEOUT_MS;

  // preValidation runs before @fastify/websocket upgrades, so a 403 here is a plain HTTP answer and no socket opens.
  function checkUpgradeSignature(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const signature = request.headers['x-twilio-signature'];
    const isSigned = isValidUpgradeSignature({
      authToken: deps.authToken,
      signature: typeof signature === 'string' ? signature : undefined,
      streamUrl,
    });
    if (!isSigned) {
      deps.log.warn({ path: MEDIA_STREAM_PATH }, 'twilio.signature.invalid');
      void reply.code(403).send();
      return;
    }
    done();
  }

  app.get(MEDIA_STREAM_PATH, { websocket: true, preValidation: checkUpgradeSignature }, (socket: WebSocket) => {
    acceptTwilioMediaStream(socket, {
      streamTokenSecret: deps.streamTokenSecret,
      clock: deps.clock,
      log: deps.log,
      startTimeoutMs,
      onStream: (stream) => deps.onStream(stream),
    });
  });
}
