// The OpenAI Realtime twin: an HTTP server on 127.0.0.1 that upgrades `/v1/realtime?model=…` (§1), plus the
// scripting, inspection and fault hooks tests use. Built from openai-realtime.md, never from our client code.
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { randomIds, type IdSource } from '../../shared/ids.ts';
import type { Logger } from '../../shared/logger.ts';
import { RealtimeConnection, type ConnectionFaults, type SentError } from './realtime-connection.ts';
import type { Truncation } from './item-operations.ts';
import type { AudioPace, FunctionCallEmitted } from './response-stream.ts';
import { ScenarioRun, type Scenario } from './scenario.ts';
import type { WireUsage } from './usage.ts';
import { realtimeErrors } from './wire-errors.ts';

export type RealtimeTwinOptions = {
  /** The key clients must send as `Authorization: Bearer <key>`. */
  apiKey?: string;
  clock?: Clock;
  ids?: IdSource;
  log?: Logger;
  /** Session cap; the real one is 60 minutes (§7). */
  sessionMaxMs?: number;
  /** Output audio pacing; default 40 ms chunks in a burst. */
  audioPace?: Partial<AudioPace>;
  /** Delay of the asynchronous input transcription after a commit. */
  transcriptionDelayMs?: number;
  /** Faults applied to every connection. */
  faults?: ConnectionFaults;
};

export type ToolCallRecord = {
  connectionId: string;
  callSid: string | undefined;
  responseId: string;
  itemId: string;
  callId: string;
  name: string;
  arguments: unknown;
  argumentsJson: string;
  output: string | undefined;
};

export type TruncationRecord = Truncation & { connectionId: string };
export type SentErrorRecord = SentError & { connectionId: string | null };
export type UpgradeRefusal = 'http_503' | 'tcp_close';
export type ToolCallHandler = (call: ToolCallRecord) => void;

export const DEFAULT_TWIN_API_KEY = 'sk-twin-realtime-test-key';
const DEFAULT_SESSION_MAX_MS = 60 * 60 * 1000;
/** GA model ids and their families (§1 timeline) [C]; anything else is refused at the handshake [I]. */
const KNOWN_MODEL = /^(gpt-realtime(-[\w.-]+)?|gpt-4o(-mini)?-realtime-preview(-[\w.-]+)?|gpt-audio(-[\w.-]+)?)$/;
const RATE_LIMITS = { requests: 5000, tokens: 400_000 };

function writeHttpError(socket: Duplex, status: number, error: { message: string; type: string; code: string | null; param?: string | null }): void {
  const body = JSON.stringify({ error: { param: null, ...error } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function maskKey(key: string): string {
  return key.length <= 8 ? '***' : `${key.slice(0, 3)}***${key.slice(-4)}`;
}

/**
 * Starts the twin on 127.0.0.1 with a free port.
 *
 * @example
 * const twin = await startRealtimeTwin({ audioPace: { speedFactor: 4 } });
 * twin.useScenario('CA123', defineScenario({
 *   greeting: { say: 'Thanks for calling. How can I help?' },
 *   turns: [{ caller: 'Where is my order A1234?', steps: [
 *     { say: 'Let me check.', callTool: { name: 'lookup_order', arguments: { order_number: 'A1234' } } },
 *     { say: (context) => `It is ${String(Reflect.get(Object(context.lastToolOutput), 'status'))}.` },
 *   ] }],
 * }));
 * // Client: connect to `${twin.url}?model=gpt-realtime` with `Authorization: Bearer ${twin.apiKey}` and send
 * // response.create with response.metadata.call_sid = 'CA123' for the greeting.
 * twin.assertNoLeftovers();
 * await twin.close();
 */
export async function startRealtimeTwin(options: RealtimeTwinOptions = {}): Promise<RealtimeTwin> {
  const twin = new RealtimeTwin(options);
  await twin.listen();
  return twin;
}

export class RealtimeTwin {
  readonly apiKey: string;
  #options: RealtimeTwinOptions;
  #clock: Clock;
  #ids: IdSource;
  #server: Server;
  #wss = new WebSocketServer({ noServer: true });
  #url = '';
  #connections: RealtimeConnection[] = [];
  #waiters: Array<(connection: RealtimeConnection) => void> = [];
  #registeredRuns = new Map<string, ScenarioRun>();
  #defaultRuns: ScenarioRun[] = [];
  #defaultScenario: () => Scenario = () => ({ kind: 'scripted', turns: [] });
  #toolCalls: ToolCallRecord[] = [];
  #toolHandlers = new Map<string, ToolCallHandler[]>();
  #truncations: TruncationRecord[] = [];
  #errors: SentErrorRecord[] = [];
  #problems: string[] = [];
  #refusals: { count: number; how: UpgradeRefusal } = { count: 0, how: 'http_503' };
  #nextFaults: ConnectionFaults | null = null;
  #usage = { requests: 0, tokens: 0 };

  constructor(options: RealtimeTwinOptions) {
    this.#options = options;
    this.apiKey = options.apiKey ?? DEFAULT_TWIN_API_KEY;
    this.#clock = options.clock ?? systemClock;
    this.#ids = options.ids ?? randomIds;
    this.#server = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Not found', type: 'invalid_request_error', code: null, param: null } }));
    });
    this.#server.on('upgrade', (request, socket, head) => this.#onUpgrade(request, socket, head));
  }

  /** `ws://127.0.0.1:<port>/v1/realtime`; clients add `?model=…`. */
  get url(): string {
    return this.#url;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address: AddressInfo | string | null = this.#server.address();
    if (!address || typeof address === 'string') throw new Error('realtime twin: no TCP address');
    this.#url = `ws://127.0.0.1:${address.port}/v1/realtime`;
  }

  // Scripting.

  /** The scenario for the connection whose first `response.create` carries `response.metadata.call_sid`. */
  useScenario(callSid: string, scenario: Scenario): void {
    this.#registeredRuns.set(callSid, new ScenarioRun(scenario, callSid));
  }

  /** Called once per connection that binds without a registered CallSid. */
  setDefaultScenario(factory: () => Scenario): void {
    this.#defaultScenario = factory;
  }

  onToolCall(name: string, handler: ToolCallHandler): () => void {
    const handlers = this.#toolHandlers.get(name) ?? [];
    handlers.push(handler);
    this.#toolHandlers.set(name, handlers);
    return () => this.#toolHandlers.set(name, (this.#toolHandlers.get(name) ?? []).filter((candidate) => candidate !== handler));
  }

  // Faults.

  /** The next `count` upgrades fail: HTTP 503, or the TCP connection is closed without a response. */
  refuseUpgrades(count: number, how: UpgradeRefusal = 'http_503'): void {
    this.#refusals = { count, how };
  }

  /** Faults for the next accepted connection only, on top of the twin-wide ones. */
  setNextConnectionFaults(faults: ConnectionFaults): void {
    this.#nextFaults = faults;
  }

  // Inspection.

  connections(): readonly RealtimeConnection[] {
    return [...this.#connections];
  }

  /** Resolves with the next connection to be accepted (after its `session.created` was sent). */
  nextConnection(): Promise<RealtimeConnection> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  toolCalls(): readonly ToolCallRecord[] {
    return this.#toolCalls.map((call) => ({ ...call }));
  }

  truncations(): readonly TruncationRecord[] {
    return [...this.#truncations];
  }

  errorsSent(): readonly SentErrorRecord[] {
    return [...this.#errors];
  }

  /** Scenario problems: steps that threw, tools called that the session did not declare. */
  problems(): readonly string[] {
    return [...this.#problems];
  }

  /** Fails when a scripted step was never used, a function call never got its output, or a problem was recorded. */
  assertNoLeftovers(): void {
    const leftovers = [
      ...[...this.#registeredRuns.values(), ...this.#defaultRuns].flatMap((run) =>
        run.unusedSteps().map((step) => `scenario ${run.callSid ?? '(default)'}: ${step} was never used`),
      ),
      ...this.#toolCalls.filter((call) => call.output === undefined).map((call) => `function call ${call.name} (${call.callId}) never got its output`),
      ...this.#problems,
    ];
    if (leftovers.length > 0) throw new Error(`realtime twin leftovers:\n- ${leftovers.join('\n- ')}`);
  }

  async close(): Promise<void> {
    for (const connection of this.#connections) connection.close();
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const log = this.#options.log;
    if (this.#refusals.count > 0) {
      this.#refusals.count -= 1;
      log?.debug({ how: this.#refusals.how }, 'realtime_twin.upgrade.refused');
      if (this.#refusals.how === 'tcp_close') return void socket.destroy();
      return writeHttpError(socket, 503, { message: 'The server is overloaded or not ready yet.', type: 'server_error', code: null });
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/v1/realtime') {
      return writeHttpError(socket, 404, { message: `Invalid URL (GET ${url.pathname})`, type: 'invalid_request_error', code: null });
    }
    // Missing or wrong Authorization fails at the HTTP layer with 401 and no frame [F] (§1).
    const authorization = request.headers.authorization;
    if (!authorization?.startsWith('Bearer ')) {
      return writeHttpError(socket, 401, {
        message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        type: 'invalid_request_error',
        code: null,
      });
    }
    const key = authorization.slice('Bearer '.length);
    if (key !== this.apiKey) {
      return writeHttpError(socket, 401, { message: `Incorrect API key provided: ${maskKey(key)}.`, type: 'invalid_request_error', code: 'invalid_api_key' });
    }
    // `intent=transcription` and `call_id=` sessions exist (§1) but are not emulated [I].
    const model = url.searchParams.get('model');
    if (!model) {
      return writeHttpError(socket, 400, { message: "Missing required parameter: 'model'.", type: 'invalid_request_error', code: 'missing_required_parameter', param: 'model' });
    }
    if (!KNOWN_MODEL.test(model)) {
      return writeHttpError(socket, 404, { message: `The model '${model}' does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' });
    }
    const isBeta = /realtime=v1/.test(String(request.headers['openai-beta'] ?? ''));
    this.#wss.handleUpgrade(request, socket, head, (ws) => (isBeta ? this.#rejectBeta(ws) : this.#accept(ws, model)));
  }

  /** The beta interface is retired: an `error` frame, then close [F] (§1 "Beta (historical)"). */
  #rejectBeta(ws: WebSocket): void {
    const error = realtimeErrors.betaShapeDisabled();
    ws.send(JSON.stringify({ type: 'error', event_id: this.#ids.next('event'), error: { ...error, event_id: null } }));
    this.#errors.push({ ...error, eventId: null, connectionId: null });
    ws.close(1000, 'beta_api_shape_disabled');
  }

  #accept(ws: WebSocket, model: string): void {
    const faults = { ...this.#options.faults, ...this.#nextFaults };
    this.#nextFaults = null;
    const connection = new RealtimeConnection({
      socket: ws,
      clock: this.#clock,
      ids: this.#ids,
      log: this.#options.log,
      model,
      sessionMaxMs: this.#options.sessionMaxMs ?? DEFAULT_SESSION_MAX_MS,
      pace: { chunkMs: 40, speedFactor: 'burst', ...this.#options.audioPace },
      transcriptionDelayMs: this.#options.transcriptionDelayMs ?? 0,
      faults,
      hooks: {
        resolveScenario: (callSid) => this.#resolveScenario(callSid),
        onErrorSent: (from, error) => this.#errors.push({ ...error, connectionId: from.id }),
        onFunctionCall: (from, call) => this.#recordFunctionCall(from, call),
        onFunctionCallOutput: (_from, callId, output) => {
          const record = this.#toolCalls.find((call) => call.callId === callId);
          if (record) record.output = output;
        },
        onTruncation: (from, truncation) => this.#truncations.push({ ...truncation, connectionId: from.id }),
        onProblem: (from, problem) => this.#problems.push(`${from.id}: ${problem}`),
        onResponseDone: (usage) => this.#rateLimitsAfter(usage),
      },
    });
    this.#connections.push(connection);
    this.#options.log?.debug({ connectionId: connection.id, model }, 'realtime_twin.connection.opened');
    for (const waiter of this.#waiters.splice(0)) waiter(connection);
  }

  #resolveScenario(callSid: string | undefined): ScenarioRun {
    const registered = callSid === undefined ? undefined : this.#registeredRuns.get(callSid);
    if (registered) return registered;
    const run = new ScenarioRun(this.#defaultScenario(), callSid);
    this.#defaultRuns.push(run);
    return run;
  }

  #recordFunctionCall(connection: RealtimeConnection, call: FunctionCallEmitted): void {
    const record: ToolCallRecord = { ...call, connectionId: connection.id, callSid: connection.callSid, arguments: JSON.parse(call.argumentsJson), output: undefined };
    this.#toolCalls.push(record);
    for (const handler of this.#toolHandlers.get(call.name) ?? []) handler({ ...record });
  }

  /** `rate_limits.updated` after each response; the numbers only ever go down [I]. */
  #rateLimitsAfter(usage: WireUsage): readonly Record<string, unknown>[] {
    this.#usage.requests += 1;
    this.#usage.tokens += usage.total_tokens;
    return [
      { name: 'requests', limit: RATE_LIMITS.requests, remaining: Math.max(0, RATE_LIMITS.requests - this.#usage.requests), reset_seconds: 0.012 },
      { name: 'tokens', limit: RATE_LIMITS.tokens, remaining: Math.max(0, RATE_LIMITS.tokens - this.#usage.tokens), reset_seconds: 0.9 },
    ];
  }
}
