// The benchmark's baseline: the thinnest Twilio Media Streams ⇄ OpenAI Realtime relay, run as its own process so the
// bridge's overhead can be stated as a ratio. No signatures, store, logs, barge-in or tools: audio in, audio out
// (plus a static TwiML answer, so the same caller twin can place calls to it).
// Run: RELAY_PORT=… RELAY_REALTIME_URL=ws://… RELAY_API_KEY=… node_modules/.bin/node test/bench/pass-through-relay.ts
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

const MEDIA_PATH = '/twilio/media';
const VOICE_PATH = '/twilio/voice';
const EVENT_LOOP_RESOLUTION_MS = 10;

const realtimeUrl = process.env.RELAY_REALTIME_URL;
const apiKey = process.env.RELAY_API_KEY;
const model = process.env.RELAY_MODEL ?? 'gpt-realtime';
const port = Number(process.env.RELAY_PORT);
if (!realtimeUrl || !apiKey || !Number.isInteger(port) || port <= 0) throw new Error('RELAY_PORT, RELAY_REALTIME_URL and RELAY_API_KEY are required');

// The GA session shape (openai-realtime.md, 2): µ-law both ways. Server VAD stays on because the Realtime twin's echo
// answers speech segments, but it never creates or interrupts a response, so nothing else happens on the model side.
const SESSION_UPDATE = JSON.stringify({
  type: 'session.update',
  session: {
    type: 'realtime',
    model,
    output_modalities: ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcmu' },
        transcription: null,
        turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500, create_response: false, interrupt_response: false },
      },
      output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
    },
  },
});

type TwilioMessage = { event?: string; streamSid?: string; start?: { streamSid?: string }; media?: { payload?: string } };
type RealtimeMessage = { type?: string; delta?: string };

function text(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function relayCall(caller: WebSocket): void {
  const url = new URL(realtimeUrl ?? '');
  url.searchParams.set('model', model);
  const upstream = new WebSocket(url, { headers: { Authorization: `Bearer ${apiKey}` }, perMessageDeflate: false });
  const early: string[] = [];
  let streamSid = '';
  let markCount = 0;

  upstream.on('open', () => {
    upstream.send(SESSION_UPDATE);
    for (const append of early.splice(0)) upstream.send(append);
  });
  upstream.on('message', (data) => {
    const event = JSON.parse(text(data)) as RealtimeMessage;
    if (event.type !== 'response.output_audio.delta' || !event.delta || caller.readyState !== WebSocket.OPEN) return;
    caller.send(JSON.stringify({ event: 'media', streamSid, media: { payload: event.delta } }));
    caller.send(JSON.stringify({ event: 'mark', streamSid, mark: { name: `m${++markCount}` } }));
  });
  upstream.on('close', () => caller.close());
  upstream.on('error', () => caller.close());

  caller.on('message', (data) => {
    const message = JSON.parse(text(data)) as TwilioMessage;
    if (message.event === 'start') streamSid = message.start?.streamSid ?? message.streamSid ?? '';
    if (message.event === 'stop') return caller.close();
    if (message.event !== 'media' || !message.media?.payload) return;
    const append = JSON.stringify({ type: 'input_audio_buffer.append', audio: message.media.payload });
    if (upstream.readyState === WebSocket.OPEN) upstream.send(append);
    else if (upstream.readyState === WebSocket.CONNECTING) early.push(append);
  });
  caller.on('close', () => upstream.close());
  caller.on('error', () => upstream.close());
}

const eventLoop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
eventLoop.enable();

/** The same names and meaning as the bridge's /metrics, so the benchmark reads both alike (reset per scrape). */
function metricsText(): string {
  const delayMs = (ns: number) => (eventLoop.count > 0 ? Math.max(0, ns / 1e6 - EVENT_LOOP_RESOLUTION_MS) : 0);
  const lines = [
    `bridge_event_loop_delay_ms{quantile="0.5"} ${delayMs(eventLoop.percentile(50))}`,
    `bridge_event_loop_delay_ms{quantile="0.99"} ${delayMs(eventLoop.percentile(99))}`,
    `bridge_event_loop_delay_max_ms ${delayMs(eventLoop.max)}`,
    `bridge_event_loop_samples ${eventLoop.count}`,
    `bridge_live_calls ${wss.clients.size}`,
  ];
  eventLoop.reset();
  return `${lines.join('\n')}\n`;
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
wss.on('connection', relayCall);
const server = createServer((request, response) => {
  request.resume();
  if (request.url === '/metrics') return void response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metricsText());
  // The caller twin places every call through the voice webhook; the relay answers with a bare stream, unsigned.
  if (request.method === 'POST' && request.url === VOICE_PATH) {
    const twiml = `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="ws://${request.headers.host ?? ''}${MEDIA_PATH}"/></Connect></Response>`;
    return void response.writeHead(200, { 'content-type': 'text/xml' }).end(twiml);
  }
  response.writeHead(404).end();
});
server.on('upgrade', (request, socket, head) => {
  if (request.url !== MEDIA_PATH) return socket.destroy();
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

server.listen(port, '127.0.0.1');

process.on('SIGTERM', () => {
  eventLoop.disable();
  for (const client of wss.clients) client.terminate();
  wss.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
