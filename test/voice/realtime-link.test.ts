import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { Clock } from '../../src/shared/clock.ts';
import { encodeCommitAudio } from '../../src/voice/realtime-codec.ts';
import {
  connectRealtime,
  MALFORMED_LOG_INTERVAL_MS,
  type RealtimeLink,
  type RealtimeLinkCloseInfo,
} from '../../src/voice/realtime-link.ts';
import type { RealtimeServerEvent } from '../../src/voice/realtime-server-event.ts';
import { captureLog, type CapturedLog } from '../support/log-capture.ts';

// A stand-in for the Realtime endpoint, just enough for the adapter: the full twin lives in src/twins.
type Upgrade = { url: string; headers: IncomingHttpHeaders };

async function startEndpoint(options: { rejectWithStatus?: number } = {}) {
  const upgrades: Upgrade[] = [];
  const sockets: WebSocket[] = [];
  const accepted: WebSocket[] = [];
  const waiting: Array<(socket: WebSocket) => void> = [];
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer();
  server.on('upgrade', (request, socket, head) => {
    upgrades.push({ url: request.url ?? '', headers: request.headers });
    if (options.rejectWithStatus !== undefined) {
      socket.end(`HTTP/1.1 ${options.rejectWithStatus} Rejected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.push(ws);
      const next = waiting.shift();
      if (next) next(ws);
      else accepted.push(ws);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  onTestFinished(async () => {
    for (const socket of sockets) socket.terminate();
    wss.close();
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return {
    url: `ws://127.0.0.1:${port}/v1/realtime`,
    upgrades,
    /** The next accepted server-side socket, in order of arrival. */
    nextSocket(): Promise<WebSocket> {
      const socket = accepted.shift();
      if (socket) return Promise.resolve(socket);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

function manualClock(): Clock & { advance(ms: number): void } {
  let nowMs = 0;
  let timers: Array<{ dueMs: number; callback: () => void }> = [];
  return {
    now: () => nowMs,
    monotonicMs: () => nowMs,
    setTimeout(callback, delayMs) {
      const timer = { dueMs: nowMs + delayMs, callback };
      timers.push(timer);
      return { cancel: () => void (timers = timers.filter((t) => t !== timer)) };
    },
    setInterval() {
      throw new Error('not used by the link');
    },
    advance(ms) {
      nowMs += ms;
      const due = timers.filter((t) => t.dueMs <= nowMs);
      timers = timers.filter((t) => t.dueMs > nowMs);
      for (const timer of due) timer.callback();
    },
  };
}

const SESSION_CREATED = JSON.stringify({
  type: 'session.created',
  event_id: 'event_A1',
  session: { type: 'realtime', object: 'realtime.session', id: 'sess_1', model: 'gpt-realtime' },
});

function connect(url: string, log: CapturedLog, clock?: Clock) {
  return connectRealtime({ url, apiKey: 'sk-test-key', model: 'gpt-realtime', connectTimeoutMs: 5_000, log: log.log, clock });
}

async function openLink(log = captureLog(), clock?: Clock) {
  const endpoint = await startEndpoint();
  const pending = connect(endpoint.url, log, clock);
  const serverSocket = await endpoint.nextSocket();
  serverSocket.send(SESSION_CREATED);
  const result = await pending;
  if (!result.ok) throw new Error(`connect failed: ${result.error.code}`);
  onTestFinished(() => result.value.close());
  return { endpoint, serverSocket, link: result.value, log };
}

function recordInto(link: RealtimeLink) {
  const events: RealtimeServerEvent[] = [];
  const closes: RealtimeLinkCloseInfo[] = [];
  let onNext: (() => void) | null = null;
  link.setHandlers({
    onEvent: (event) => {
      events.push(event);
      onNext?.();
    },
    onClose: (info) => {
      closes.push(info);
      onNext?.();
    },
  });
  return {
    events,
    closes,
    /** Resolves once the predicate over what was recorded holds. */
    until(predicate: () => boolean): Promise<void> {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve) => {
        onNext = () => {
          if (predicate()) resolve();
        };
      });
    },
  };
}

describe('connectRealtime', () => {
  it('sends a bearer key, no beta header, the model in the query, and resolves only after session.created', async () => {
    const log = captureLog();
    const endpoint = await startEndpoint();
    let isSettled = false;
    const pending = connect(endpoint.url, log).then((result) => {
      isSettled = true;
      return result;
    });
    const serverSocket = await endpoint.nextSocket();
    const upgrade = endpoint.upgrades[0];
    expect(upgrade?.headers.authorization).toBe('Bearer sk-test-key');
    expect(upgrade?.headers).not.toHaveProperty('openai-beta');
    expect(upgrade?.url).toBe('/v1/realtime?model=gpt-realtime');
    expect(upgrade?.headers['sec-websocket-extensions']).toBeUndefined();
    expect(isSettled).toBe(false);

    serverSocket.send(SESSION_CREATED);
    const result = await pending;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    onTestFinished(() => result.value.close());
    expect(result.value.sessionId).toBe('sess_1');
    expect(result.value.isOpen).toBe(true);
    expect(log.events('realtime.link.opened')).toHaveLength(1);
    expect(log.text()).not.toContain('sk-test-key');
    expect(log.problems()).toEqual([]);
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [500, 'refused'],
  ])('turns an HTTP %d on the upgrade into %s', async (status, code) => {
    const log = captureLog();
    const endpoint = await startEndpoint({ rejectWithStatus: status });
    const result = await connect(endpoint.url, log);
    expect(result).toMatchObject({ ok: false, error: { code, httpStatus: status } });
    expect(log.problems()).toEqual([]);
  });

  it('reports refused when nothing listens, keeping the cause', async () => {
    const log = captureLog();
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const result = await connect(`ws://127.0.0.1:${closedPort}/v1/realtime`, log);
    expect(result).toMatchObject({ ok: false, error: { code: 'refused', httpStatus: null } });
    if (!result.ok) expect(result.error.cause).toBeInstanceOf(Error);
  });

  it('times out when no session.created arrives, and drops the socket', async () => {
    const log = captureLog();
    const clock = manualClock();
    const endpoint = await startEndpoint();
    let isSettled = false;
    const pending = connect(endpoint.url, log, clock).finally(() => (isSettled = true));
    const serverSocket = await endpoint.nextSocket();
    const serverClosed = once(serverSocket, 'close');
    clock.advance(4_999);
    await Promise.resolve();
    expect(isSettled).toBe(false);
    clock.advance(1);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'timeout' } });
    await serverClosed;
  });

  it('fails with protocol when the first frame is an error, such as the beta shape being disabled', async () => {
    const log = captureLog();
    const endpoint = await startEndpoint();
    const pending = connect(endpoint.url, log);
    const serverSocket = await endpoint.nextSocket();
    serverSocket.send(
      JSON.stringify({
        type: 'error',
        error: { type: 'invalid_request_error', code: 'beta_api_shape_disabled', message: 'The Realtime Beta API is no longer supported.' },
      }),
    );
    const result = await pending;
    expect(result).toMatchObject({ ok: false, error: { code: 'protocol' } });
    if (!result.ok) expect(result.error.cause).toMatchObject({ type: 'error', code: 'beta_api_shape_disabled' });
  });

  it('fails with closed when the server closes before session.created', async () => {
    const log = captureLog();
    const endpoint = await startEndpoint();
    const pending = connect(endpoint.url, log);
    (await endpoint.nextSocket()).close(1011, 'overloaded');
    expect(await pending).toMatchObject({ ok: false, error: { code: 'closed', cause: { code: 1011, reason: 'overloaded' } } });
  });
});

describe('RealtimeLink', () => {
  it('buffers events that arrive before handlers are set and then delivers all in order', async () => {
    const { serverSocket, link } = await openLink();
    serverSocket.send(JSON.stringify({ type: 'input_audio_buffer.speech_started', audio_start_ms: 100, item_id: 'item_1' }));
    serverSocket.send(JSON.stringify({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 900, item_id: 'item_1' }));
    // A round trip through the server proves both frames reached the client before the handlers exist.
    serverSocket.send(JSON.stringify({ type: 'input_audio_buffer.cleared' }));
    const pong = once(serverSocket, 'pong');
    serverSocket.ping();
    await pong;
    const recorder = recordInto(link);
    serverSocket.send(JSON.stringify({ type: 'response.created', response: { id: 'resp_1' } }));
    await recorder.until(() => recorder.events.length === 4);
    expect(recorder.events.map((event) => event.type)).toEqual(['speechStarted', 'speechStopped', 'inputCleared', 'responseCreated']);
  });

  it('sends encoded client events to the server', async () => {
    const { serverSocket, link } = await openLink();
    const received = once(serverSocket, 'message');
    expect(link.send(encodeCommitAudio('evt_1'))).toBe(true);
    const [data] = await received;
    expect(JSON.parse(String(data))).toEqual({ type: 'input_audio_buffer.commit', event_id: 'evt_1' });
  });

  it('passes error events through to the session untouched in meaning', async () => {
    const { serverSocket, link, log } = await openLink();
    const recorder = recordInto(link);
    serverSocket.send(
      JSON.stringify({
        type: 'error',
        error: {
          type: 'invalid_request_error',
          code: 'session_expired',
          message: 'Your session hit the maximum duration of 60 minutes.',
        },
      }),
    );
    await recorder.until(() => recorder.events.length === 1);
    expect(recorder.events[0]).toMatchObject({ type: 'error', code: 'session_expired', isBenign: false });
    expect(log.problems()).toEqual([]);
  });

  it('drops malformed frames with one rate-limited warning that never carries the payload', async () => {
    const clock = manualClock();
    const { serverSocket, link, log } = await openLink(captureLog(), clock);
    const recorder = recordInto(link);
    const audio = 'QUJDREVGR0g=';
    const badDelta = JSON.stringify({
      type: 'response.output_audio.delta',
      response_id: 'r',
      item_id: 'i',
      content_index: 'zero',
      delta: audio,
    });
    serverSocket.send(badDelta);
    serverSocket.send('not json');
    serverSocket.send(badDelta);
    serverSocket.send(JSON.stringify({ type: 'input_audio_buffer.cleared' }));
    await recorder.until(() => recorder.events.length === 1);
    expect(log.events('realtime.event.malformed')).toHaveLength(1);
    expect(log.events('realtime.event.malformed')[0]).toMatchObject({
      code: 'invalid_event',
      rawType: 'response.output_audio.delta',
      suppressedCount: 0,
    });

    clock.advance(MALFORMED_LOG_INTERVAL_MS);
    serverSocket.send(badDelta);
    serverSocket.send(JSON.stringify({ type: 'input_audio_buffer.cleared' }));
    await recorder.until(() => recorder.events.length === 2);
    expect(log.events('realtime.event.malformed')).toHaveLength(2);
    expect(log.events('realtime.event.malformed')[1]).toMatchObject({ suppressedCount: 2 });
    expect(recorder.events.map((event) => event.type)).toEqual(['inputCleared', 'inputCleared']);
    expect(log.text()).not.toContain(audio);
    expect(log.problems(['realtime.event.malformed'])).toEqual([]);
  });

  it('reports a server drop as an unexpected close and stops sending', async () => {
    const { serverSocket, link } = await openLink();
    const recorder = recordInto(link);
    serverSocket.terminate();
    await recorder.until(() => recorder.closes.length === 1);
    expect(recorder.closes[0]).toMatchObject({ isExpected: false, code: 1006 });
    expect(link.isOpen).toBe(false);
    expect(link.send(encodeCommitAudio())).toBe(false);
  });

  it('closes with 1000 once, reports it as expected, and ignores a second close', async () => {
    const { serverSocket, link } = await openLink();
    const recorder = recordInto(link);
    const serverClosed = once(serverSocket, 'close');
    link.close();
    link.close();
    expect(link.isOpen).toBe(false);
    const [code] = await serverClosed;
    expect(code).toBe(1000);
    await recorder.until(() => recorder.closes.length === 1);
    expect(recorder.closes).toEqual([{ code: 1000, reason: '', isExpected: true }]);
    link.close();
    expect(recorder.closes).toHaveLength(1);
  });

  it('delivers a close that happened before the handlers were set', async () => {
    const { serverSocket, link, log } = await openLink();
    serverSocket.close(1001, 'going away');
    await new Promise<void>((resolve) => {
      const check = () => (log.events('realtime.link.closed').length > 0 ? resolve() : setImmediate(check));
      check();
    });
    const recorder = recordInto(link);
    expect(recorder.closes).toEqual([{ code: 1001, reason: 'going away', isExpected: false }]);
  });

  it('keeps relaying when a handler throws, logging the failure', async () => {
    const { serverSocket, link, log } = await openLink();
    const types: string[] = [];
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    link.setHandlers({
      onEvent: (event) => {
        types.push(event.type);
        if (types.length === 1) throw new Error('session bug');
        done();
      },
      onClose: () => undefined,
    });
    serverSocket.send(JSON.stringify({ type: 'input_audio_buffer.cleared' }));
    serverSocket.send(JSON.stringify({ type: 'session.updated', session: {} }));
    await finished;
    expect(types).toEqual(['inputCleared', 'sessionUpdated']);
    expect(log.events('realtime.handler.failed')).toHaveLength(1);
  });
});
