// A bare `ws` client for the twin's own tests: sends JSON events, records every server event, awaits by type.
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { encodeMulaw, MULAW_BYTES_PER_MS, mulawSilence } from '../../../src/shared/mulaw.ts';
import type { RealtimeTwin } from '../../../src/twins/openai-realtime/realtime-twin.ts';

export type ServerEvent = { type: string } & Record<string, unknown>;

/** Reads a nested field of an event without casts: `at(event, 'response', 'usage', 'total_tokens')`. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

function isServerEvent(value: unknown): value is ServerEvent {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'type') === 'string';
}

export class RealtimeTestClient {
  readonly events: ServerEvent[] = [];
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  #listeners = new Set<() => void>();

  constructor(socket: WebSocket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data) => {
      const parsed: unknown = JSON.parse(data.toString());
      if (isServerEvent(parsed)) this.events.push(parsed);
      for (const listener of this.#listeners) listener();
    });
    socket.on('close', () => {
      for (const listener of this.#listeners) listener();
    });
  }

  send(event: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(event));
  }

  /** Index to pass as `from`, so a wait only sees events that arrive after this point. */
  mark(): number {
    return this.events.length;
  }

  ofType(type: string, from = 0): ServerEvent[] {
    return this.events.slice(from).filter((event) => event.type === type);
  }

  typesFrom(from = 0): string[] {
    return this.events.slice(from).map((event) => event.type);
  }

  waitFor(type: string, options: { from?: number; where?: (event: ServerEvent) => boolean } = {}): Promise<ServerEvent> {
    const find = () => this.events.slice(options.from ?? 0).find((event) => event.type === type && (options.where?.(event) ?? true));
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found) {
          cleanup();
          resolve(found);
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          cleanup();
          reject(new Error(`socket closed before ${type}; got ${this.typesFrom(options.from).join(', ')}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${type}; got ${this.typesFrom(options.from).join(', ')}`));
      }, 5000);
      const cleanup = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Sends audio as appends of `chunkMs` (Twilio frames are 20 ms of µ-law). */
  appendAudio(bytes: Buffer, chunkMs = 20): void {
    const chunkBytes = chunkMs * MULAW_BYTES_PER_MS;
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      this.send({ type: 'input_audio_buffer.append', audio: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
    }
  }

  close(): void {
    this.socket.terminate();
  }
}

export async function connectClient(
  twin: RealtimeTwin,
  options: { model?: string; headers?: Record<string, string> } = {},
): Promise<RealtimeTestClient> {
  const socket = new WebSocket(`${twin.url}?model=${options.model ?? 'gpt-realtime'}`, {
    headers: options.headers ?? { Authorization: `Bearer ${twin.apiKey}` },
  });
  const client = new RealtimeTestClient(socket);
  onTestFinished(() => client.close());
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await client.waitFor('session.created');
  return client;
}

/** Expected HTTP status of a refused handshake (or 'closed' when the TCP connection just ends). */
export function handshakeOutcome(url: string, headers: Record<string, string>): Promise<number | 'closed' | 'open'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve('open');
      socket.terminate();
    });
    socket.once('error', () => resolve('closed'));
  });
}

/** A caller "speaking": a 220 Hz tone at about −15 dBFS, clearly above the default threshold. */
export function toneMulaw(durationMs: number, amplitude = 0.25): Buffer {
  const samples = new Float64Array(durationMs * 8);
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * 32767 * Math.sin((2 * Math.PI * 220 * i) / 8000);
  return encodeMulaw(samples);
}

export function silenceMulaw(durationMs: number): Buffer {
  return mulawSilence(durationMs);
}

/** The GA session update a Twilio bridge sends (openai-realtime.md, §2), with knobs for tests. */
export function phoneSessionUpdate(overrides: { turnDetection?: Record<string, unknown> | null; transcription?: Record<string, unknown> | null; tools?: unknown[] } = {}) {
  return {
    type: 'session.update',
    event_id: 'evt_client_1',
    session: {
      type: 'realtime',
      model: 'gpt-realtime',
      instructions: 'You are a concise phone agent.',
      output_modalities: ['audio'],
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          transcription: overrides.transcription === undefined ? { model: 'gpt-4o-mini-transcribe', language: 'en' } : overrides.transcription,
          turn_detection:
            overrides.turnDetection === undefined
              ? { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500, create_response: true, interrupt_response: true }
              : overrides.turnDetection,
        },
        output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
      },
      tools: overrides.tools ?? [],
    },
  };
}
