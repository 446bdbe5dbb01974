import { describe, expect, it, onTestFinished } from 'vitest';
import { sequentialIds } from '../../../src/shared/ids.ts';
import { startRealtimeTwin } from '../../../src/twins/openai-realtime/realtime-twin.ts';
import { defineScenario } from '../../../src/twins/openai-realtime/scenario.ts';
import { at, connectClient, phoneSessionUpdate, silenceMulaw, toneMulaw } from './realtime-test-client.ts';

async function phoneCall(update = phoneSessionUpdate()) {
  const twin = await startRealtimeTwin({ ids: sequentialIds() });
  onTestFinished(() => twin.close());
  twin.setDefaultScenario(() => defineScenario({ turns: [{ caller: 'Where is my order?', steps: [{ say: 'Let me check.' }] }] }));
  const client = await connectClient(twin);
  client.send(update);
  await client.waitFor('session.updated');
  return { twin, client };
}

describe('realtime twin input audio', () => {
  it('detects µ-law speech on the input timeline, commits it and transcribes it', async () => {
    const { client } = await phoneCall();
    const from = client.mark();
    client.appendAudio(Buffer.concat([silenceMulaw(1000), toneMulaw(800), silenceMulaw(700)]));
    const completed = await client.waitFor('conversation.item.input_audio_transcription.completed', { from });
    const started = client.ofType('input_audio_buffer.speech_started', from)[0];
    // Start includes the 300 ms prefix padding; end includes the 500 ms silence (§4.2).
    expect(started).toMatchObject({ audio_start_ms: 700, item_id: expect.stringMatching(/^item_/) });
    const itemId = started?.item_id;
    expect(client.ofType('input_audio_buffer.speech_stopped', from)[0]).toMatchObject({ audio_end_ms: 2300, item_id: itemId });
    expect(client.typesFrom(from).slice(0, 5)).toEqual([
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
    ]);
    expect(client.ofType('input_audio_buffer.committed', from)[0]).toMatchObject({ item_id: itemId, previous_item_id: null });
    expect(client.ofType('conversation.item.added', from)[0]?.item).toEqual({
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    });
    const deltas = client.ofType('conversation.item.input_audio_transcription.delta', from).map((event) => event.delta);
    expect(deltas.join('')).toBe('Where is my order?');
    expect(completed).toMatchObject({
      item_id: itemId,
      content_index: 0,
      transcript: 'Where is my order?',
      // 1600 ms of committed audio at 1 token per 100 ms; 18 characters of text.
      usage: { type: 'tokens', input_tokens: 16, output_tokens: 5, total_tokens: 21, input_token_details: { text_tokens: 0, audio_tokens: 16 } },
    });
  });

  it('auto-creates a response on speech_stopped with create_response', async () => {
    const { client } = await phoneCall();
    client.appendAudio(Buffer.concat([toneMulaw(400), silenceMulaw(600)]));
    const done = await client.waitFor('response.done');
    expect(at(done, 'response', 'output', 0, 'content', 0, 'transcript')).toBe('Let me check.');
  });

  it('emits VAD events but never responds when create_response and interrupt_response are false', async () => {
    const { client } = await phoneCall(
      phoneSessionUpdate({ turnDetection: { type: 'server_vad', create_response: false, interrupt_response: false, silence_duration_ms: 500 } }),
    );
    client.appendAudio(Buffer.concat([toneMulaw(400), silenceMulaw(600)]));
    await client.waitFor('conversation.item.input_audio_transcription.completed');
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    expect(client.ofType('response.created')).toHaveLength(0);
  });

  it('rejects a manual commit under 100 ms and commits the whole buffer otherwise', async () => {
    const { client } = await phoneCall(phoneSessionUpdate({ turnDetection: null, transcription: null }));
    client.appendAudio(silenceMulaw(60));
    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_commit_1' });
    expect((await client.waitFor('error')).error).toEqual({
      type: 'invalid_request_error',
      code: 'input_audio_buffer_commit_empty',
      message: 'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 60.00ms of audio.',
      param: null,
      event_id: 'evt_commit_1',
    });
    client.appendAudio(toneMulaw(100));
    const from = client.mark();
    client.send({ type: 'input_audio_buffer.commit' });
    const committed = await client.waitFor('input_audio_buffer.committed', { from });
    client.send({ type: 'conversation.item.retrieve', item_id: committed.item_id });
    const retrieved = await client.waitFor('conversation.item.retrieved', { from });
    expect(Buffer.from(String(at(retrieved, 'item', 'content', 0, 'audio')), 'base64')).toHaveLength(160 * 8);
    expect(client.ofType('response.created')).toHaveLength(0);
  });

  it('clears the buffer, so a later commit finds it empty', async () => {
    const { client } = await phoneCall(phoneSessionUpdate({ turnDetection: null }));
    client.appendAudio(toneMulaw(300));
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    client.send({ type: 'input_audio_buffer.commit' });
    expect((await client.waitFor('error')).error).toMatchObject({ code: 'input_audio_buffer_commit_empty' });
  });

  it('counts the input timeline across segments and speaks whisper-1 transcripts without deltas', async () => {
    const { twin, client } = await phoneCall(
      phoneSessionUpdate({ transcription: { model: 'whisper-1' }, turnDetection: { type: 'server_vad', create_response: false, silence_duration_ms: 300, prefix_padding_ms: 100 } }),
    );
    client.appendAudio(Buffer.concat([toneMulaw(200), silenceMulaw(400), toneMulaw(200), silenceMulaw(400)]));
    await client.waitFor('conversation.item.input_audio_transcription.completed', { where: (event) => event.transcript === '' });
    expect(client.ofType('input_audio_buffer.speech_started').map((event) => event.audio_start_ms)).toEqual([0, 500]);
    expect(client.ofType('input_audio_buffer.speech_stopped').map((event) => event.audio_end_ms)).toEqual([500, 1100]);
    expect(client.ofType('conversation.item.input_audio_transcription.delta')).toHaveLength(0);
    expect(client.ofType('conversation.item.input_audio_transcription.completed')[0]?.usage).toEqual({ type: 'duration', seconds: 0.5 });
    expect(twin.connections()[0]?.inputTimelineMs()).toBe(1200);
  });
});
