import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { sequentialIds } from '../../../src/shared/ids.ts';
import { startRealtimeTwin, type RealtimeTwinOptions } from '../../../src/twins/openai-realtime/realtime-twin.ts';
import { createManualClock } from './manual-clock.ts';
import { connectClient, handshakeOutcome, RealtimeTestClient } from './realtime-test-client.ts';

async function twinFor(options: RealtimeTwinOptions = {}) {
  const twin = await startRealtimeTwin({ ids: sequentialIds(), ...options });
  onTestFinished(() => twin.close());
  return twin;
}

describe('realtime twin handshake', () => {
  it('refuses an upgrade without a bearer token with HTTP 401', async () => {
    const twin = await twinFor();
    expect(await handshakeOutcome(`${twin.url}?model=gpt-realtime`, {})).toBe(401);
    expect(await handshakeOutcome(`${twin.url}?model=gpt-realtime`, { Authorization: 'Bearer sk-wrong-key-123' })).toBe(401);
    expect(twin.connections()).toHaveLength(0);
  });

  it.each([
    ['a path other than /v1/realtime', '/v1/chat?model=gpt-realtime', 404],
    ['a missing model', '?', 400],
    ['an unknown model', '?model=gpt-4o', 404],
  ])('refuses %s', async (_name, suffix, status) => {
    const twin = await twinFor();
    const url = suffix.startsWith('/') ? twin.url.replace('/v1/realtime', suffix) : `${twin.url}${suffix}`;
    expect(await handshakeOutcome(url, { Authorization: `Bearer ${twin.apiKey}` })).toBe(status);
  });

  it('answers the beta header with beta_api_shape_disabled and closes', async () => {
    const twin = await twinFor();
    const socket = new WebSocket(`${twin.url}?model=gpt-realtime`, { headers: { Authorization: `Bearer ${twin.apiKey}`, 'OpenAI-Beta': 'realtime=v1' } });
    const client = new RealtimeTestClient(socket);
    const error = await client.waitFor('error');
    expect(error.error).toEqual({
      type: 'invalid_request_error',
      code: 'beta_api_shape_disabled',
      message: 'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
      param: null,
      event_id: null,
    });
    await client.closed;
    expect(client.typesFrom()).toEqual(['error']);
  });

  it('sends session.created with the full default session first, and nothing else until the client acts', async () => {
    const twin = await twinFor();
    const client = await connectClient(twin);
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Hi.' } });
    await client.waitFor('session.updated');
    expect(client.typesFrom()).toEqual(['session.created', 'session.updated']);
    expect(client.events[0]?.session).toEqual({
      type: 'realtime',
      object: 'realtime.session',
      id: 'sess_0001',
      model: 'gpt-realtime',
      output_modalities: ['audio'],
      instructions: expect.any(String),
      tools: [],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
      tracing: null,
      truncation: 'auto',
      prompt: null,
      expires_at: expect.any(Number),
      include: null,
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: null,
          noise_reduction: null,
          turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200, idle_timeout_ms: null, create_response: true, interrupt_response: true },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy', speed: 1 },
      },
    });
  });

  it('refuses the next upgrades with HTTP 503 or a TCP close, then accepts again', async () => {
    const twin = await twinFor();
    const headers = { Authorization: `Bearer ${twin.apiKey}` };
    const url = `${twin.url}?model=gpt-realtime`;
    twin.refuseUpgrades(2, 'http_503');
    expect([await handshakeOutcome(url, headers), await handshakeOutcome(url, headers)]).toEqual([503, 503]);
    twin.refuseUpgrades(1, 'tcp_close');
    expect(await handshakeOutcome(url, headers)).toBe('closed');
    expect(await handshakeOutcome(url, headers)).toBe('open');
  });

  it('expires the session at the configured cap with session_expired, then closes', async () => {
    const clock = createManualClock();
    const twin = await twinFor({ clock, sessionMaxMs: 60 * 60 * 1000 });
    const client = await connectClient(twin);
    clock.advance(60 * 60 * 1000 - 1);
    clock.advance(1);
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({ code: 'session_expired', message: 'Your session hit the maximum duration of 60 minutes.' });
    expect((await client.closed).code).toBe(1000);
  });

  it('drops a live socket abruptly and sends server_error on demand', async () => {
    const twin = await twinFor();
    const connected = twin.nextConnection();
    const client = await connectClient(twin);
    const connection = await connected;
    connection.sendServerError();
    expect((await client.waitFor('error')).error).toMatchObject({ type: 'server_error', code: null });
    connection.drop();
    expect((await client.closed).code).toBe(1006);
  });

  it('closes the session on session.close', async () => {
    const twin = await twinFor();
    const client = await connectClient(twin);
    client.send({ type: 'session.close' });
    expect((await client.closed).code).toBe(1000);
  });
});
