import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sequentialIds } from '../../../src/shared/ids.ts';
import { startRealtimeTwin } from '../../../src/twins/openai-realtime/realtime-twin.ts';
import { at, connectClient, phoneSessionUpdate } from './realtime-test-client.ts';

async function connected() {
  const twin = await startRealtimeTwin({ ids: sequentialIds() });
  onTestFinished(() => twin.close());
  return { twin, client: await connectClient(twin) };
}

describe('realtime twin session.update', () => {
  it('rejects an update without session.type with the exact error shape', async () => {
    const { twin, client } = await connected();
    client.send({ type: 'session.update', event_id: 'evt_client_7', session: { instructions: 'Hello' } });
    const error = await client.waitFor('error');
    expect(error).toEqual({
      type: 'error',
      event_id: expect.stringMatching(/^event_/),
      error: {
        type: 'invalid_request_error',
        code: 'missing_required_parameter',
        message: "Missing required parameter: 'session.type'.",
        param: 'session.type',
        event_id: 'evt_client_7',
      },
    });
    expect(twin.errorsSent()).toMatchObject([{ code: 'missing_required_parameter', eventId: 'evt_client_7' }]);
    expect(twin.connections()[0]?.session().instructions).not.toBe('Hello');
  });

  it('rejects the whole frame when one field is beta-shaped', async () => {
    const { twin, client } = await connected();
    client.send({ type: 'session.update', event_id: 'e2', session: { type: 'realtime', instructions: 'New', input_audio_format: 'g711_ulaw' } });
    expect((await client.waitFor('error')).error).toMatchObject({ code: 'unknown_parameter', param: 'session.input_audio_format', event_id: 'e2' });
    expect(twin.connections()[0]?.session().instructions).not.toBe('New');
  });

  it('rejects {type:"g711_ulaw"} as invalid_value', async () => {
    const { client } = await connected();
    client.send({ type: 'session.update', event_id: 'e3', session: { type: 'realtime', audio: { input: { format: { type: 'g711_ulaw' } } } } });
    expect((await client.waitFor('error')).error).toMatchObject({ code: 'invalid_value', param: 'session.audio.input.format.type', event_id: 'e3' });
  });

  it('answers a valid GA update with session.updated carrying the full effective config', async () => {
    const { client } = await connected();
    const update: unknown = JSON.parse(readFileSync(new URL('./fixtures/session-update-recommended.json', import.meta.url), 'utf8'));
    client.send({ ...(typeof update === 'object' ? update : {}) });
    const updated = await client.waitFor('session.updated');
    expect(updated.session).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      id: 'sess_0001',
      model: 'gpt-realtime',
      instructions: 'You are a concise phone agent for ACME...',
      tools: [expect.objectContaining({ name: 'lookup_order' })],
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          noise_reduction: { type: 'near_field' },
          transcription: { model: 'gpt-4o-mini-transcribe', language: 'en' },
          turn_detection: { type: 'server_vad', silence_duration_ms: 500, idle_timeout_ms: null },
        },
        output: { format: { type: 'audio/pcmu' }, voice: 'marin', speed: 1 },
      },
      expires_at: expect.any(Number),
    });
  });

  it('changes only the fields sent', async () => {
    const { client } = await connected();
    client.send(phoneSessionUpdate());
    await client.waitFor('session.updated');
    const from = client.mark();
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Only this changes.', audio: { output: { speed: 1.2 } } } });
    const updated = await client.waitFor('session.updated', { from });
    expect(at(updated, 'session', 'instructions')).toBe('Only this changes.');
    expect(at(updated, 'session', 'audio', 'output')).toEqual({ format: { type: 'audio/pcmu' }, voice: 'marin', speed: 1.2 });
    expect(at(updated, 'session', 'audio', 'input', 'format')).toEqual({ type: 'audio/pcmu' });
  });

  it('turns turn detection off with null and fills defaults for a new one', async () => {
    const { client } = await connected();
    client.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
    expect(at(await client.waitFor('session.updated'), 'session', 'audio', 'input', 'turn_detection')).toBeNull();
    const from = client.mark();
    client.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: { type: 'semantic_vad' } } } } });
    expect(at(await client.waitFor('session.updated', { from }), 'session', 'audio', 'input', 'turn_detection')).toEqual({
      type: 'semantic_vad',
      eagerness: 'auto',
      create_response: true,
      interrupt_response: true,
    });
  });

  it('refuses a model change but accepts the same model again', async () => {
    const { client } = await connected();
    client.send({ type: 'session.update', event_id: 'e1', session: { type: 'realtime', model: 'gpt-realtime' } });
    await client.waitFor('session.updated');
    client.send({ type: 'session.update', event_id: 'e2', session: { type: 'realtime', model: 'gpt-realtime-mini' } });
    expect((await client.waitFor('error')).error).toMatchObject({ code: 'invalid_value', param: 'session.model', event_id: 'e2' });
  });

  it('refuses a voice change once audio was produced, and accepts the same voice', async () => {
    const { client } = await connected();
    client.send(phoneSessionUpdate());
    await client.waitFor('session.updated');
    client.send({ type: 'session.update', session: { type: 'realtime', audio: { output: { voice: 'cedar' } } } });
    await client.waitFor('session.updated', { where: (event) => at(event, 'session', 'audio', 'output', 'voice') === 'cedar' });
    client.send({ type: 'response.create' });
    await client.waitFor('response.done');
    const from = client.mark();
    client.send({ type: 'session.update', event_id: 'e9', session: { type: 'realtime', audio: { output: { voice: 'marin' } } } });
    expect((await client.waitFor('error', { from })).error).toEqual({
      type: 'invalid_request_error',
      code: 'cannot_update_voice',
      message: "Cannot update a conversation's voice if assistant audio is present.",
      param: null,
      event_id: 'e9',
    });
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'x', audio: { output: { voice: 'cedar' } } } });
    await client.waitFor('session.updated', { from });
  });

  it('answers an unknown client event type with invalid_value on type', async () => {
    const { client } = await connected();
    client.send({ type: 'output_audio_buffer.clear', event_id: 'e5' });
    expect((await client.waitFor('error')).error).toMatchObject({ code: 'invalid_value', param: 'type', event_id: 'e5' });
  });
});
