// Plain fetch calls against the Gorgias twin, so strictness tests see exactly what a client would see.
import { onTestFinished } from 'vitest';
import { startGorgiasTwin, type GorgiasTwin, type GorgiasTwinOptions } from '../../../src/twins/gorgias/gorgias-twin.ts';
import { ManualClock } from './manual-clock.ts';

export type TwinAnswer = { status: number; headers: Headers; body: unknown; text: string };
export type TwinAuth = { basic: { email: string; apiKey: string } } | { bearer: string } | { header: string } | 'none';

/** Starts a twin on a manual clock and closes it when the test ends. */
export async function startTestTwin(options: GorgiasTwinOptions = {}): Promise<{ twin: GorgiasTwin; clock: ManualClock; api: TwinApi }> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
  const twin = await startGorgiasTwin({ ...options, clock });
  onTestFinished(() => twin.close());
  return { twin, clock, api: new TwinApi(twin.apiUrl, { basic: twin.credentials }) };
}

export class TwinApi {
  #apiUrl: string;
  #auth: TwinAuth;

  constructor(apiUrl: string, auth: TwinAuth) {
    this.#apiUrl = apiUrl;
    this.#auth = auth;
  }

  as(auth: TwinAuth): TwinApi {
    return new TwinApi(this.#apiUrl, auth);
  }

  get(path: string): Promise<TwinAnswer> {
    return this.send('GET', path);
  }

  post(path: string, body: unknown): Promise<TwinAnswer> {
    return this.send('POST', path, body);
  }

  put(path: string, body: unknown): Promise<TwinAnswer> {
    return this.send('PUT', path, body);
  }

  delete(path: string, body?: unknown): Promise<TwinAnswer> {
    return this.send('DELETE', path, body);
  }

  async send(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<TwinAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', ...authHeader(this.#auth), ...extraHeaders };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.#apiUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text.length > 0 && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed, text };
  }
}

function authHeader(auth: TwinAuth): Record<string, string> {
  if (auth === 'none') return {};
  if ('basic' in auth) return { authorization: `Basic ${Buffer.from(`${auth.basic.email}:${auth.basic.apiKey}`).toString('base64')}` };
  if ('bearer' in auth) return { authorization: `Bearer ${auth.bearer}` };
  return { authorization: auth.header };
}

/** Reads a JSON path from an answer body without casting outside data in each test. */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    current = typeof current === 'object' && current !== null ? Reflect.get(current, key) : undefined;
  }
  return current;
}

export function dataOf(answer: TwinAnswer): unknown[] {
  const data = field(answer.body, 'data');
  return Array.isArray(data) ? data : [];
}
