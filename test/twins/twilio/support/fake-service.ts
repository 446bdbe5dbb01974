// A tiny stand-in for our service, only for the Twilio twin's strictness tests: it answers webhooks with scripted
// TwiML, checks every signature with the official `twilio.validateRequest`, and exposes each media WebSocket.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { WebSocketServer, type WebSocket } from 'ws';

export const TEST_AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const TEST_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const PUBLIC_URL = 'https://bridge.example.test';
export const STREAM_URL = 'wss://bridge.example.test/twilio/media';

export type Answer = { status?: number; contentType?: string; body: string };

export type ReceivedHttp = {
  path: string;
  method: string;
  params: Record<string, string>;
  signature: string | undefined;
  isSignatureValid: boolean;
};

export type WireMessage = Record<string, unknown> & { event?: string; streamSid?: string; sequenceNumber?: string };

export type FakeStream = {
  readonly signature: string | undefined;
  readonly isSignatureValid: boolean;
  readonly messages: WireMessage[];
  readonly closed: Promise<number>;
  send(message: unknown): void;
  sendRaw(text: string | Buffer): void;
  close(): void;
  /** Resolves once `predicate(messages)` holds. */
  waitFor(predicate: (messages: WireMessage[]) => boolean): Promise<void>;
  streamSid(): string;
};

export type FakeService = {
  readonly baseUrl: string;
  answer(path: string, answer: Answer | ((params: Record<string, string>) => Answer)): void;
  received(path?: string): ReceivedHttp[];
  waitForHttp(path: string, count?: number): Promise<ReceivedHttp[]>;
  nextStream(): Promise<FakeStream>;
  /** Upgrades fail with this HTTP status instead of 101. */
  refuseUpgrades(status: number): void;
  /** How many WebSocket upgrades were attempted. */
  stats(): { upgrades: number };
  close(): Promise<void>;
};

export function streamTwiml(options: { action?: string; url?: string; parameters?: Record<string, string>; after?: string; before?: string } = {}): string {
  const response = new twilio.twiml.VoiceResponse();
  const connect = response.connect(options.action === undefined ? {} : { action: options.action });
  const stream = connect.stream({ url: options.url ?? STREAM_URL });
  for (const [name, value] of Object.entries(options.parameters ?? { token: 'abc123', callerNumber: '+14155550100' })) stream.parameter({ name, value });
  let xml = response.toString();
  if (options.before) xml = xml.replace('<Response>', `<Response>${options.before}`);
  if (options.after) xml = xml.replace('</Response>', `${options.after}</Response>`);
  return xml;
}

export const xml = (body: string): Answer => ({ body, contentType: 'text/xml' });

export async function startFakeService(): Promise<FakeService> {
  const answers = new Map<string, Answer | ((params: Record<string, string>) => Answer)>();
  const received: ReceivedHttp[] = [];
  const httpListeners: (() => void)[] = [];
  const pendingStreams: FakeStream[] = [];
  const streamWaiters: ((stream: FakeStream) => void)[] = [];
  const sockets = new Set<WebSocket>();
  let refusedStatus: number | undefined;
  let upgrades = 0;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const signature = header(request, 'x-twilio-signature');
      const isSignatureValid = signature !== undefined && twilio.validateRequest(TEST_AUTH_TOKEN, signature, PUBLIC_URL + path, params);
      received.push({ path, method: request.method ?? 'GET', params, signature, isSignatureValid });
      for (const listener of httpListeners.splice(0)) listener();
      const scripted = answers.get(path.split('?')[0] ?? path);
      const answer = typeof scripted === 'function' ? scripted(params) : (scripted ?? { status: 204, body: '' });
      response.writeHead(answer.status ?? 200, answer.contentType ? { 'content-type': answer.contentType } : {});
      response.end(answer.body);
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    upgrades++;
    if (refusedStatus !== undefined) {
      socket.end(`HTTP/1.1 ${refusedStatus} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      const stream = wrapSocket(ws, request);
      const waiter = streamWaiters.shift();
      if (waiter) waiter(stream);
      else pendingStreams.push(stream);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    answer: (path, answer) => answers.set(path, answer),
    received: (path) => (path === undefined ? received : received.filter((request) => request.path === path)),
    waitForHttp(path, count = 1) {
      return new Promise((resolve) => {
        const check = (): void => {
          const matching = received.filter((request) => request.path === path);
          if (matching.length >= count) resolve(matching);
          else httpListeners.push(check);
        };
        check();
      });
    },
    nextStream() {
      const ready = pendingStreams.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => streamWaiters.push(resolve));
    },
    refuseUpgrades(status) {
      refusedStatus = status;
    },
    stats: () => ({ upgrades }),
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function wrapSocket(ws: WebSocket, request: IncomingMessage): FakeStream {
  const signature = header(request, 'x-twilio-signature');
  const messages: WireMessage[] = [];
  const listeners: (() => void)[] = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as WireMessage);
    for (const listener of [...listeners]) listener();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return {
    signature,
    isSignatureValid: signature !== undefined && twilio.validateRequest(TEST_AUTH_TOKEN, signature, STREAM_URL, {}),
    messages,
    closed,
    send: (message) => ws.send(JSON.stringify(message)),
    sendRaw: (text) => ws.send(text),
    close: () => ws.close(1000),
    streamSid() {
      const start = messages.find((message) => message.event === 'start');
      return typeof start?.streamSid === 'string' ? start.streamSid : '';
    },
    waitFor(predicate) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (predicate(messages)) {
            listeners.splice(listeners.indexOf(check), 1);
            resolve();
          }
        };
        listeners.push(check);
        if (predicate(messages)) {
          listeners.splice(listeners.indexOf(check), 1);
          resolve();
        }
      });
    },
  };
}
