import { describe, expect, it, onTestFinished } from 'vitest';
import { sequentialIds } from '../../../src/shared/ids.ts';
import { startRealtimeTwin, type RealtimeTwinOptions } from '../../../src/twins/openai-realtime/realtime-twin.ts';
import { defineScenario, type Scenario } from '../../../src/twins/openai-realtime/scenario.ts';
import { createManualClock } from './manual-clock.ts';
import { at, connectClient, phoneSessionUpdate, silenceMulaw, toneMulaw, type RealtimeTestClient } from './realtime-test-client.ts';

const LOOKUP_TOOL = { type: 'function', name: 'lookup_order', description: 'Look up an order.', parameters: { type: 'object', properties: { order_number: { type: 'string' } } } };

async function phoneCall(scenario: Scenario, options: RealtimeTwinOptions = {}) {
  const twin = await startRealtimeTwin({ ids: sequentialIds(), ...options });
  onTestFinished(() => twin.close());
  twin.setDefaultScenario(() => scenario);
  const client = await connectClient(twin);
  client.send(phoneSessionUpdate({ tools: [LOOKUP_TOOL] }));
  await client.waitFor('session.updated');
  return { twin, client, connection: twin.connections()[0] };
}

/** Event types with runs of the same delta type collapsed, to compare orders without counting chunks. */
function collapsed(types: readonly string[]): string[] {
  return types.filter((type, index) => !(type.endsWith('.delta') && types[index - 1] === type));
}

async function respond(client: RealtimeTestClient, response: Record<string, unknown> = {}) {
  const from = client.mark();
  client.send({ type: 'response.create', response });
  const done = await client.waitFor('response.done', { from });
  await client.waitFor('rate_limits.updated', { from });
  return { from, done };
}

describe('realtime twin responses', () => {
  it('streams a spoken answer in the GA lifecycle order with µ-law audio of known duration', async () => {
    const { client, connection } = await phoneCall(defineScenario({ greeting: { say: 'Hello there, how can I help?' }, turns: [] }));
    const { from, done } = await respond(client);
    const types = client.typesFrom(from).filter((type) => type !== 'response.output_audio_transcript.delta');
    expect(collapsed(types)).toEqual([
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_audio.delta',
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const audio = Buffer.concat(client.ofType('response.output_audio.delta', from).map((event) => Buffer.from(String(event.delta), 'base64')));
    expect(audio).toHaveLength(28 * 60 * 8);
    expect(client.ofType('response.output_audio.delta', from)[0]?.delta).toHaveLength(Math.ceil((40 * 8) / 3) * 4);
    expect(client.ofType('response.output_audio_transcript.delta', from).map((event) => event.delta).join('')).toBe('Hello there, how can I help?');
    expect(client.ofType('response.content_part.added', from)[0]?.part).toEqual({ type: 'audio', transcript: '' });
    expect(at(done, 'response')).toMatchObject({
      object: 'realtime.response',
      status: 'completed',
      status_details: null,
      output_modalities: ['audio'],
      audio: { output: { format: { type: 'audio/pcmu' }, voice: 'marin' } },
      output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_audio', transcript: 'Hello there, how can I help?' }] }],
    });
    expect(connection?.assistantItems()).toMatchObject([{ text: 'Hello there, how can I help?', audioDurationMs: 1680, sentAudioMs: 1680, status: 'completed' }]);
  });

  it('bills 1 token per 50 ms of output audio, 1 per 100 ms of user audio and text at 4 characters a token', async () => {
    const { client } = await phoneCall(defineScenario({ greeting: [{ say: 'Hello there.' }, { say: 'Still here.' }, { say: 'Bye.' }], turns: [] }));
    const first = await respond(client);
    // Instructions 'You are a concise phone agent.' (30) + tools JSON; output 720 ms audio and 12 characters.
    const toolsChars = JSON.stringify([LOOKUP_TOOL]).length;
    const inputText = Math.ceil((30 + toolsChars) / 4);
    expect(at(first.done, 'response', 'usage')).toEqual({
      total_tokens: inputText + 15 + 3,
      input_tokens: inputText,
      output_tokens: 18,
      input_token_details: { text_tokens: inputText, audio_tokens: 0, image_tokens: 0, cached_tokens: 0, cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 } },
      output_token_details: { text_tokens: 3, audio_tokens: 15 },
    });
    const second = await respond(client);
    expect(at(second.done, 'response', 'usage', 'input_token_details', 'audio_tokens')).toBe(15);
    // The first answer truncated to 300 ms plus the second (660 ms) re-read as ⌈960 / 50⌉ = 20 audio tokens.
    client.send({ type: 'conversation.item.truncate', item_id: at(first.done, 'response', 'output', 0, 'id'), content_index: 0, audio_end_ms: 300 });
    await client.waitFor('conversation.item.truncated');
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_audio', audio: toneMulaw(1000).toString('base64') }] } });
    await client.waitFor('conversation.item.done', { where: (event) => at(event, 'item', 'role') === 'user' });
    const third = await respond(client);
    // Plus 1000 ms of user audio at 1 token per 100 ms.
    expect(at(third.done, 'response', 'usage', 'input_token_details', 'audio_tokens')).toBe(20 + 10);
  });

  it('allows one active response and cancels only what is active', async () => {
    const clock = createManualClock();
    const { client } = await phoneCall(defineScenario({ greeting: { say: 'A long greeting that takes a while to say.' }, turns: [] }), { clock, audioPace: { speedFactor: 1 } });
    client.send({ type: 'response.cancel', event_id: 'evt_cancel_0' });
    expect((await client.waitFor('error')).error).toEqual({
      type: 'invalid_request_error',
      code: 'response_cancel_not_active',
      message: 'Cancellation failed: no active response found',
      param: null,
      event_id: 'evt_cancel_0',
    });
    client.send({ type: 'response.create' });
    const created = await client.waitFor('response.created');
    const from = client.mark();
    client.send({ type: 'response.create', event_id: 'evt_client_17' });
    expect((await client.waitFor('error', { from })).error).toMatchObject({
      code: 'conversation_already_has_active_response',
      message: `Conversation already has an active response in progress: ${String(at(created, 'response', 'id'))}. Wait until the response is finished before creating a new one.`,
      event_id: 'evt_client_17',
    });
    clock.advance(0);
    await client.waitFor('response.output_audio.delta');
    client.send({ type: 'response.cancel' });
    const done = await client.waitFor('response.done');
    expect(at(done, 'response', 'status')).toBe('cancelled');
    expect(at(done, 'response', 'status_details')).toEqual({ type: 'cancelled', reason: 'client_cancelled' });
    expect(at(done, 'response', 'output', 0, 'status')).toBe('incomplete');
  });

  it('cancels the active response on barge-in with turn_detected, then answers the new turn', async () => {
    const clock = createManualClock();
    const scenario = defineScenario({ greeting: { say: 'Welcome to ACME support, I can help with orders and returns.' }, turns: [{ caller: 'Stop.', steps: [{ say: 'Okay.' }] }] });
    const { twin, client } = await phoneCall(scenario, { clock, audioPace: { speedFactor: 1, chunkMs: 40 } });
    client.send({ type: 'response.create' });
    await client.waitFor('response.created');
    clock.advance(0);
    clock.advance(40);
    await client.waitFor('response.output_audio.delta', { where: () => client.ofType('response.output_audio.delta').length === 2 });
    const from = client.mark();
    client.appendAudio(toneMulaw(300));
    const done = await client.waitFor('response.done', { from });
    expect(client.typesFrom(from)).toEqual([
      'input_audio_buffer.speech_started',
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    expect(at(done, 'response', 'status_details')).toEqual({ type: 'cancelled', reason: 'turn_detected' });
    expect(at(client.ofType('response.output_item.done', from)[0], 'item', 'status')).toBe('incomplete');
    const itemId = at(done, 'response', 'output', 0, 'id');
    expect(twin.connections()[0]?.itemAudioDurationMs(String(itemId))).toBe(80);
    client.appendAudio(silenceMulaw(600));
    clock.advance(0);
    await client.waitFor('response.created', { from });
    client.send({ type: 'conversation.item.truncate', event_id: 'evt_t1', item_id: itemId, content_index: 0, audio_end_ms: 81 });
    expect((await client.waitFor('error', { from })).error).toMatchObject({ code: 'invalid_value', message: 'Audio content of 80ms is already shorter than 81ms', event_id: 'evt_t1' });
  });

  it('truncates an assistant item within its audio and cuts the stored transcript in proportion', async () => {
    const { twin, client } = await phoneCall(defineScenario({ greeting: { say: 'Sure, let me check that order for you.' }, turns: [] }));
    const { done } = await respond(client);
    const itemId = String(at(done, 'response', 'output', 0, 'id'));
    client.send({ type: 'conversation.item.truncate', event_id: 'evt_t0', item_id: itemId, content_index: 0, audio_end_ms: 5000 });
    expect((await client.waitFor('error')).error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_value',
      message: 'Audio content of 2280ms is already shorter than 5000ms',
      param: 'audio_end_ms',
      event_id: 'evt_t0',
    });
    client.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 1140 });
    expect(await client.waitFor('conversation.item.truncated')).toMatchObject({ item_id: itemId, content_index: 0, audio_end_ms: 1140 });
    client.send({ type: 'conversation.item.retrieve', item_id: itemId });
    const retrieved = await client.waitFor('conversation.item.retrieved');
    expect(at(retrieved, 'item', 'content', 0, 'transcript')).toBe('Sure, let me check ');
    expect(Buffer.from(String(at(retrieved, 'item', 'content', 0, 'audio')), 'base64')).toHaveLength(1140 * 8);
    expect(twin.truncations()).toMatchObject([{ itemId, audioEndMs: 1140, audioDurationMs: 2280, transcriptAfter: 'Sure, let me check ' }]);
  });

  it('refuses to truncate unknown and non-assistant items', async () => {
    const { client } = await phoneCall(defineScenario({ turns: [] }));
    client.send({ type: 'conversation.item.truncate', event_id: 'e1', item_id: 'item_nope', content_index: 0, audio_end_ms: 0 });
    expect((await client.waitFor('error')).error).toMatchObject({ code: 'item_truncate_invalid_item_id', message: 'Item with item_id not found: item_nope' });
    client.send({ type: 'conversation.item.create', item: { id: 'item_user_1', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } });
    await client.waitFor('conversation.item.done');
    const from = client.mark();
    client.send({ type: 'conversation.item.truncate', event_id: 'e2', item_id: 'item_user_1', content_index: 0, audio_end_ms: 0 });
    expect((await client.waitFor('error', { from })).error).toMatchObject({ code: 'invalid_value', param: 'item_id', event_id: 'e2' });
  });

  it('runs a function call, checks the output call_id, and never answers an output by itself', async () => {
    const scenario = defineScenario({
      greeting: { say: 'Hi.' },
      turns: [],
    });
    const { twin, client } = await phoneCall(scenario);
    twin.useScenario('CA1', defineScenario({
      greeting: [
        { say: 'Let me check.', callTool: { name: 'lookup_order', arguments: { order_number: 'A1234' } } },
        { say: (context) => `Your order is ${String(at(context.lastToolOutput, 'status'))}.` },
      ],
      turns: [],
    }));
    const seen: string[] = [];
    twin.onToolCall('lookup_order', (call) => seen.push(call.callId));
    const first = await respond(client, { metadata: { call_sid: 'CA1' } });
    const collapsedTypes = collapsed(client.typesFrom(first.from).filter((type) => !type.startsWith('response.output_audio') && type !== 'response.content_part.added' && type !== 'response.content_part.done'));
    expect(collapsedTypes).toEqual([
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.output_item.done',
      'conversation.item.done',
      'response.output_item.added',
      'conversation.item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const call = at(first.done, 'response', 'output', 1);
    expect(call).toMatchObject({ type: 'function_call', status: 'completed', name: 'lookup_order', arguments: '{"order_number":"A1234"}', call_id: expect.stringMatching(/^call_/) });
    expect(client.ofType('response.function_call_arguments.done', first.from)[0]).toMatchObject({ output_index: 1, call_id: at(call, 'call_id'), arguments: '{"order_number":"A1234"}' });
    expect(seen).toEqual([at(call, 'call_id')]);
    const from = client.mark();
    client.send({ type: 'conversation.item.create', event_id: 'evt_out_0', item: { type: 'function_call_output', call_id: 'call_unknown', output: '{}' } });
    expect((await client.waitFor('error', { from })).error).toMatchObject({ code: 'invalid_value', param: 'item.call_id', event_id: 'evt_out_0' });
    client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: at(call, 'call_id'), output: '{"status":"shipped"}' } });
    await client.waitFor('conversation.item.done', { from });
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared', { from });
    expect(client.ofType('response.created', from)).toHaveLength(0);
    const second = await respond(client);
    expect(at(second.done, 'response', 'output', 0, 'content', 0, 'transcript')).toBe('Your order is shipped.');
    expect(twin.toolCalls()).toMatchObject([{ name: 'lookup_order', arguments: { order_number: 'A1234' }, output: '{"status":"shipped"}', callSid: 'CA1' }]);
    twin.assertNoLeftovers();
  });

  it('accepts replayed message items, retrieves and deletes them', async () => {
    const { client } = await phoneCall(defineScenario({ turns: [] }));
    const items = [
      { id: 'item_sys', type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Summary of the call so far.' }] },
      { id: 'item_usr', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Where is my order?' }] },
      { id: 'item_ast', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'It shipped yesterday.' }] },
    ];
    for (const item of items) client.send({ type: 'conversation.item.create', item });
    await client.waitFor('conversation.item.done', { where: (event) => at(event, 'item', 'id') === 'item_ast' });
    expect(client.ofType('conversation.item.added').map((event) => [at(event, 'item', 'id'), event.previous_item_id])).toEqual([
      ['item_sys', null],
      ['item_usr', 'item_sys'],
      ['item_ast', 'item_usr'],
    ]);
    client.send({ type: 'conversation.item.retrieve', item_id: 'item_usr' });
    expect(at(await client.waitFor('conversation.item.retrieved'), 'item')).toEqual({ ...items[1], object: 'realtime.item', status: 'completed' });
    client.send({ type: 'conversation.item.delete', item_id: 'item_usr' });
    expect(await client.waitFor('conversation.item.deleted')).toMatchObject({ item_id: 'item_usr' });
    client.send({ type: 'conversation.item.retrieve', event_id: 'e4', item_id: 'item_usr' });
    expect((await client.waitFor('error')).error).toMatchObject({ message: 'Item with item_id not found: item_usr', event_id: 'e4' });
  });

  it('fails a response on demand and delays the first audio delta', async () => {
    const clock = createManualClock();
    const { client, connection } = await phoneCall(defineScenario({ greeting: [{ say: 'First.' }, { say: 'Second.' }], turns: [] }), { clock, faults: { firstAudioDelayMs: 700 } });
    connection?.failNextResponse();
    client.send({ type: 'response.create' });
    await client.waitFor('response.created');
    clock.advance(699);
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    expect(client.ofType('response.output_audio.delta')).toHaveLength(0);
    clock.advance(1);
    const done = await client.waitFor('response.done');
    expect(at(done, 'response', 'status')).toBe('failed');
    expect(at(done, 'response', 'status_details')).toEqual({ type: 'failed', error: { type: 'server_error', code: 'server_error' } });
    expect(client.ofType('response.output_audio.delta')).toHaveLength(1);
  });

  it('answers in text when output_modalities is text', async () => {
    const { client } = await phoneCall(defineScenario({ greeting: { say: 'Plain text answer.' }, turns: [] }));
    const { from, done } = await respond(client, { output_modalities: ['text'] });
    expect(client.ofType('response.output_audio.delta', from)).toHaveLength(0);
    expect(client.ofType('response.output_text.delta', from).map((event) => event.delta).join('')).toBe('Plain text answer.');
    expect(client.ofType('response.output_text.done', from)[0]?.text).toBe('Plain text answer.');
    expect(at(done, 'response', 'output', 0, 'content')).toEqual([{ type: 'output_text', text: 'Plain text answer.' }]);
  });
});
