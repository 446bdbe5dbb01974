import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import twilio from 'twilio';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { encodeTwilioInbound, type TwilioInbound } from '../../src/telephony/media-stream-codec.ts';
import { MAX_BUFFERED_AUDIO_FRAMES, type TwilioMediaStream, type TwilioMediaStreamHandlers } from '../../src/telephony/media-stream.ts';
import { DEFAULT_STREAM_START_TIMEOUT_MS, MEDIA_STREAM_PATH, registerMediaStreamRoute } from '../../src/telephony/media-stream-routes.ts';
import { deriveStreamTokenSecret, mintStreamToken } from '../../src/telephony/stream-token.ts';
import { captureLog } from '../support/log-capture.ts';
import { ACCOUNT_SID, AUTH_TOKEN, CALL_SID, manualClock, START_MS, STREAM_SID } from './telephony-test-kit.ts';

const PUBLIC_URL = 'https://voice.example.com';
const STREAM_URL = 'wss://voice.example.com/twilio/media';
const SECRET = deriveStreamTokenSecret(AUTH_TOKEN);

type Recorded =
  | { kind: 'audio'; payloadBase64: string; timestampMs: number; chunk: number }
  | { kind: 'mark'; name: string }
  | { kind: 'dtmf'; digit: string }
  | { kind: 'stop' }
  | { kind: 'close'; code: number };

/** Handlers that record every event and let a test await the n-th one. */
function recorder() {
  const events: Recorded[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  function push(event: Recorded): void {
    events.push(event);
    for (const waiter of waiters.filter((item) => events.length >= item.count)) waiter.resolve();
  }
  const handlers: TwilioMediaStreamHandlers = {
    onAudio: (frame) => push({ kind: 'audio', payloadBase64: frame.payloadBase64, timestampMs: frame.timestampMs, chunk: frame.chunk }),
    onMark: (name) => push({ kind: 'mark', name }),
    onDtmf: (digit) => push({ kind: 'dtmf', digit }),
    onStop: () => push({ kind: 'stop' }),
    onClose: (info) => push({ kind: 'close', code: info.code }),
  };
  return {
    events,
    handlers,
    until: (count: number) => new Promise<void>((resolve) => (events.length >= count ? resolve() : waiters.push({ count, resolve }))),
  };
}

async function startServer(options: { onStream?: (stream: TwilioMediaStream) => void } = {}) {
  const capture = captureLog();
  const clock = manualClock();
  const streams: TwilioMediaStream[] = [];
  let announce: (stream: TwilioMediaStream) => void = () => {};
  const streamOpened = new Promise<TwilioMediaStream>((resolve) => (announce = resolve));
  const app = Fastify();
  onTestFinished(() => app.close());
  await app.register(websocket);
  registerMediaStreamRoute(app, {
    publicUrl: PUBLIC_URL,
    authToken: AUTH_TOKEN,
    streamTokenSecret: SECRET,
    clock,
    log: capture.log,
    onStream: (stream) => {
      streams.push(stream);
      options.onStream?.(stream);
      announce(stream);
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return { url: `ws://127.0.0.1:${address.port}${MEDIA_STREAM_PATH}`, capture, clock, streams, streamOpened };
}

/** A hand-driven Twilio: signs the upgrade like Twilio, sends typed frames, and records what we send back. */
async function connectTwilio(url: string, signature: string | null = twilio.getExpectedTwilioSignature(AUTH_TOKEN, STREAM_URL, {})) {
  const socket = new WebSocket(url, { headers: signature === null ? {} : { 'x-twilio-signature': signature } });
  onTestFinished(() => socket.terminate());
  const received: string[] = [];
  socket.on('message', (data) => received.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const outcome = await new Promise<{ opened: true } | { opened: false; statusCode: number }>((resolve, reject) => {
    socket.on('open', () => resolve({ opened: true }));
    socket.on('unexpected-response', (_request, response) => resolve({ opened: false, statusCode: response.statusCode ?? 0 }));
    socket.on('error', reject);
  });
  return {
    socket,
    outcome,
    received,
    closed,
    send: (message: TwilioInbound) => socket.send(encodeTwilioInbound(message)),
    sendRaw: (text: string) => socket.send(text),
    /** Resolves once the server has handled every frame sent before it (pongs follow earlier frames in order). */
    flush: () => new Promise<void>((resolve) => socket.once('pong', () => resolve()) && socket.ping()),
    receivedCount: (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (received.length >= count ? resolve() : socket.once('message', () => setImmediate(check)));
        check();
      }),
  };
}

function startFrame(token: string | undefined, overrides: Partial<Extract<TwilioInbound, { type: 'start' }>> = {}): TwilioInbound {
  return {
    type: 'start',
    sequenceNumber: 1,
    streamSid: STREAM_SID,
    accountSid: ACCOUNT_SID,
    callSid: CALL_SID,
    tracks: ['inbound'],
    mediaFormat: { encoding: 'audio/x-mulaw', sampleRateHz: 8000, channels: 1 },
    customParameters: token === undefined ? { brand: 'pine' } : { brand: 'pine', token },
    ...overrides,
  };
}

const validToken = () => mintStreamToken({ secret: SECRET, callSid: CALL_SID, nowMs: START_MS, ttlMs: 60_000 });

function media(chunk: number, streamSid = STREAM_SID): TwilioInbound {
  return { type: 'media', sequenceNumber: chunk + 1, streamSid, track: 'inbound', chunk, timestampMs: (chunk - 1) * 20, payloadBase64: `AUDIO${chunk}` };
}

describe('GET /twilio/media upgrade', () => {
  it('accepts a signed upgrade and hands app.ts a typed stream once the token checks out', async () => {
    const server = await startServer();
    const twilioSide = await connectTwilio(server.url);
    expect(twilioSide.outcome).toEqual({ opened: true });
    twilioSide.send({ type: 'connected', protocol: 'Call', version: '1.0.0' });
    twilioSide.send(startFrame(validToken()));
    const stream = await server.streamOpened;
    expect(stream).toMatchObject({ callSid: CALL_SID, streamSid: STREAM_SID, accountSid: ACCOUNT_SID, isOpen: true });
    expect(stream.customParameters).toEqual({ brand: 'pine' });
    expect(server.capture.problems()).toEqual([]);
    expect(server.capture.text()).not.toContain(validToken().split('.')[3]);
  });

  it.each([
    ['no signature', null],
    ['a signature over the https URL', twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'https://voice.example.com/twilio/media', {})],
    ['a signature over the address the server listens on', twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'ws://127.0.0.1/twilio/media', {})],
    ['a signature made with another token', twilio.getExpectedTwilioSignature('ffffffffffffffffffffffffffffffff', STREAM_URL, {})],
  ])('refuses the upgrade with HTTP 403 for %s; no socket opens', async (_name, signature) => {
    const server = await startServer();
    const twilioSide = await connectTwilio(server.url, signature);
    expect(twilioSide.outcome).toEqual({ opened: false, statusCode: 403 });
    expect(server.streams).toEqual([]);
    expect(server.capture.events('twilio.signature.invalid')).toHaveLength(1);
  });

  it.each([
    ['malformed', () => undefined],
    ['malformed', () => 'not-a-token'],
    ['expired', () => mintStreamToken({ secret: SECRET, callSid: CALL_SID, nowMs: START_MS - 120_000, ttlMs: 60_000 })],
    ['bad_signature', () => mintStreamToken({ secret: 'another-secret', callSid: CALL_SID, nowMs: START_MS, ttlMs: 60_000 })],
    ['wrong_call', () => mintStreamToken({ secret: SECRET, callSid: 'CA00000000000000000000000000000000', nowMs: START_MS, ttlMs: 60_000 })],
  ])('closes with 1008 on a %s token and never calls onStream', async (reason, token) => {
    const server = await startServer();
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send({ type: 'connected', protocol: 'Call', version: '1.0.0' });
    twilioSide.send(startFrame(token()));
    twilioSide.send(media(1));
    expect((await twilioSide.closed).code).toBe(1008);
    expect(server.streams).toEqual([]);
    expect(server.capture.events('twilio.stream.rejected')).toMatchObject([{ reason, callSid: CALL_SID }]);
  });

  it('closes with 1008 when no start arrives in time', async () => {
    const server = await startServer();
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send({ type: 'connected', protocol: 'Call', version: '1.0.0' });
    await twilioSide.flush();
    server.clock.advance(DEFAULT_STREAM_START_TIMEOUT_MS);
    expect((await twilioSide.closed).code).toBe(1008);
    expect(server.capture.events('twilio.stream.rejected')).toMatchObject([{ reason: 'no_start' }]);
    expect(server.clock.pendingTimers()).toBe(0);
  });
});

describe('a live media stream', () => {
  it('delivers caller audio, marks, DTMF, stop and close to the handlers in order', async () => {
    const events = recorder();
    const server = await startServer({ onStream: (stream) => stream.setHandlers(events.handlers) });
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send({ type: 'connected', protocol: 'Call', version: '1.0.0' });
    twilioSide.send(startFrame(validToken()));
    twilioSide.send(media(1));
    twilioSide.send({ type: 'mark', sequenceNumber: 3, streamSid: STREAM_SID, name: 'turn-1' });
    twilioSide.send({ type: 'dtmf', sequenceNumber: 4, streamSid: STREAM_SID, track: 'inbound_track', digit: '#' });
    twilioSide.send({ type: 'stop', sequenceNumber: 5, streamSid: STREAM_SID, accountSid: ACCOUNT_SID, callSid: CALL_SID });
    await events.until(4);
    twilioSide.socket.close(1000, 'call ended');
    await events.until(5);
    expect(events.events).toEqual([
      { kind: 'audio', payloadBase64: 'AUDIO1', timestampMs: 0, chunk: 1 },
      { kind: 'mark', name: 'turn-1' },
      { kind: 'dtmf', digit: '#' },
      { kind: 'stop' },
      { kind: 'close', code: 1000 },
    ]);
    expect(server.capture.problems()).toEqual([]);
  });

  it('buffers events that arrive before handlers are set and delivers them in order', async () => {
    const server = await startServer();
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send(startFrame(validToken()));
    twilioSide.send(media(1));
    twilioSide.send(media(2));
    twilioSide.send({ type: 'mark', sequenceNumber: 4, streamSid: STREAM_SID, name: 'greeting' });
    await twilioSide.flush();
    const stream = await server.streamOpened;
    const events = recorder();
    stream.setHandlers(events.handlers);
    expect(events.events.map((event) => event.kind)).toEqual(['audio', 'audio', 'mark']);
    twilioSide.send(media(3));
    await events.until(4);
    expect(events.events[3]).toMatchObject({ kind: 'audio', chunk: 3 });
  });

  it('caps buffered audio while no handlers are set and counts what it drops', async () => {
    const server = await startServer();
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send(startFrame(validToken()));
    for (let chunk = 1; chunk <= MAX_BUFFERED_AUDIO_FRAMES + 5; chunk++) twilioSide.send(media(chunk));
    await twilioSide.flush();
    const stream = await server.streamOpened;
    const events = recorder();
    stream.setHandlers(events.handlers);
    expect(events.events).toHaveLength(MAX_BUFFERED_AUDIO_FRAMES);
    expect(server.capture.events('twilio.stream.buffer_full')).toHaveLength(1);
    twilioSide.socket.close(1000);
    await events.until(MAX_BUFFERED_AUDIO_FRAMES + 1);
    expect(server.capture.events('twilio.stream.closed')).toMatchObject([{ droppedAudioFrames: 5 }]);
  });

  it('drops malformed frames, warns once, and keeps the call going', async () => {
    const events = recorder();
    const server = await startServer({ onStream: (stream) => stream.setHandlers(events.handlers) });
    const twilioSide = await connectTwilio(server.url);
    twilioSide.sendRaw('not json');
    twilioSide.send(startFrame(validToken()));
    twilioSide.sendRaw('{"event":"media","streamSid":"MZ1"}');
    twilioSide.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    twilioSide.sendRaw('{"event":"transcription","streamSid":"MZ1"}');
    twilioSide.send(media(1));
    await events.until(1);
    expect(events.events).toEqual([{ kind: 'audio', payloadBase64: 'AUDIO1', timestampMs: 0, chunk: 1 }]);
    expect(server.capture.problems(['twilio.frame.malformed'])).toEqual([]);
    expect(server.capture.events('twilio.frame.malformed')).toHaveLength(1);
    expect(server.capture.text()).not.toContain('AUDIO1');
    twilioSide.socket.close(1000);
    await events.until(2);
    expect(server.capture.events('twilio.stream.closed')).toMatchObject([{ malformedFrames: 3 }]);
  });

  it('drops frames that carry another stream SID', async () => {
    const events = recorder();
    const server = await startServer({ onStream: (stream) => stream.setHandlers(events.handlers) });
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send(startFrame(validToken()));
    twilioSide.send(media(1, 'MZ99999999999999999999999999999999'));
    twilioSide.send({ type: 'mark', sequenceNumber: 3, streamSid: 'MZ99999999999999999999999999999999', name: 'x' });
    twilioSide.send(media(2));
    await events.until(1);
    expect(events.events).toEqual([{ kind: 'audio', payloadBase64: 'AUDIO2', timestampMs: 20, chunk: 2 }]);
    expect(server.capture.events('twilio.frame.wrong_stream')).toHaveLength(1);
  });

  it('survives a handler that throws and keeps delivering', async () => {
    const events = recorder();
    const server = await startServer({
      onStream: (stream) =>
        stream.setHandlers({
          ...events.handlers,
          onAudio: () => {
            throw new Error('bug in the session');
          },
        }),
    });
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send(startFrame(validToken()));
    twilioSide.send(media(1));
    twilioSide.send(media(2));
    twilioSide.send({ type: 'mark', sequenceNumber: 4, streamSid: STREAM_SID, name: 'after' });
    await events.until(1);
    expect(events.events).toEqual([{ kind: 'mark', name: 'after' }]);
    expect(server.capture.events('twilio.stream.handler_failed')).toHaveLength(1);
  });

  it('sends media, mark and clear in Twilio\'s exact wire shape', async () => {
    const server = await startServer();
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send(startFrame(validToken()));
    const stream = await server.streamOpened;
    stream.sendAudio('//8A');
    stream.sendMark('turn-1');
    stream.clearAudio();
    await twilioSide.receivedCount(3);
    expect(twilioSide.received).toEqual([
      `{"event":"media","streamSid":"${STREAM_SID}","media":{"payload":"//8A"}}`,
      `{"event":"mark","streamSid":"${STREAM_SID}","mark":{"name":"turn-1"}}`,
      `{"event":"clear","streamSid":"${STREAM_SID}"}`,
    ]);
  });

  it('closes the socket on close(), reports it once, and ignores later sends', async () => {
    const events = recorder();
    const server = await startServer({ onStream: (stream) => stream.setHandlers(events.handlers) });
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send(startFrame(validToken()));
    const stream = await server.streamOpened;
    stream.close();
    expect((await twilioSide.closed).code).toBe(1000);
    await events.until(1);
    expect(stream.isOpen).toBe(false);
    stream.sendAudio('//8A');
    stream.sendMark('late');
    stream.clearAudio();
    stream.close();
    expect(events.events).toEqual([{ kind: 'close', code: 1000 }]);
    expect(twilioSide.received).toEqual([]);
  });

  it('closes with 1011 when onStream throws', async () => {
    const server = await startServer({
      onStream: () => {
        throw new Error('no session');
      },
    });
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send(startFrame(validToken()));
    expect((await twilioSide.closed).code).toBe(1011);
    expect(server.capture.events('twilio.stream.on_stream_failed')).toHaveLength(1);
  });

  it('warns about a media format other than 8 kHz mono µ-law but keeps the stream', async () => {
    const server = await startServer();
    const twilioSide = await connectTwilio(server.url);
    twilioSide.send(startFrame(validToken(), { mediaFormat: { encoding: 'audio/l16', sampleRateHz: 16000, channels: 1 } }));
    const stream = await server.streamOpened;
    expect(stream.isOpen).toBe(true);
    expect(server.capture.events('twilio.stream.unexpected_format')).toMatchObject([{ encoding: 'audio/l16', sampleRateHz: 16000 }]);
  });
});

describe('registerMediaStreamRoute', () => {
  it('refuses to register without @fastify/websocket', () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    expect(() =>
      registerMediaStreamRoute(app, {
        publicUrl: PUBLIC_URL,
        authToken: AUTH_TOKEN,
        streamTokenSecret: SECRET,
        clock: manualClock(),
        log: captureLog().log,
        onStream: () => {},
      }),
    ).toThrow(/websocket/);
  });
});
