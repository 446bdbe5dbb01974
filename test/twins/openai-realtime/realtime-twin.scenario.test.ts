import { describe, expect, it, onTestFinished } from 'vitest';
import { sequentialIds } from '../../../src/shared/ids.ts';
import { startRealtimeTwin } from '../../../src/twins/openai-realtime/realtime-twin.ts';
import { DEFAULT_FALLBACK_LINE, defineScenario, echoScenario } from '../../../src/twins/openai-realtime/scenario.ts';
import { at, connectClient, phoneSessionUpdate, silenceMulaw, toneMulaw, type RealtimeTestClient } from './realtime-test-client.ts';

const LOOKUP_TOOL = { type: 'function', name: 'lookup_order', parameters: { type: 'object', properties: {} } };

async function startTwin() {
  const twin = await startRealtimeTwin({ ids: sequentialIds() });
  onTestFinished(() => twin.close());
  return twin;
}

async function phoneClient(twin: Awaited<ReturnType<typeof startTwin>>, tools: unknown[] = [LOOKUP_TOOL]) {
  const client = await connectClient(twin);
  client.send(phoneSessionUpdate({ tools }));
  await client.waitFor('session.updated');
  return client;
}

async function spoken(client: RealtimeTestClient, response: Record<string, unknown> = {}): Promise<unknown> {
  const from = client.mark();
  client.send({ type: 'response.create', response });
  return at(await client.waitFor('response.done', { from }), 'response', 'output', 0, 'content', 0, 'transcript');
}

describe('realtime twin scenarios', () => {
  it('binds the scenario registered for the CallSid in response.metadata', async () => {
    const twin = await startTwin();
    twin.setDefaultScenario(() => defineScenario({ greeting: { say: 'Default hello.' }, turns: [] }));
    twin.useScenario('CA123', defineScenario({ greeting: { say: 'Thanks for calling ACME.' }, turns: [] }));
    const client = await phoneClient(twin);
    expect(await spoken(client, { metadata: { call_sid: 'CA123' } })).toBe('Thanks for calling ACME.');
    expect(twin.connections()[0]?.callSid).toBe('CA123');
    const other = await phoneClient(twin);
    expect(await spoken(other)).toBe('Default hello.');
    twin.assertNoLeftovers();
  });

  it('hears the n-th speech segment as turn n and answers with its steps, then falls back', async () => {
    const twin = await startTwin();
    twin.useScenario('CA1', defineScenario({
      greeting: { say: 'Hello.' },
      turns: [{ caller: 'Where is my order?', steps: [{ say: (context) => `You said: ${context.callerTranscript}` }] }],
    }));
    const client = await phoneClient(twin);
    await spoken(client, { metadata: { call_sid: 'CA1' } });
    const from = client.mark();
    client.appendAudio(Buffer.concat([toneMulaw(400), silenceMulaw(600)]));
    const done = await client.waitFor('response.done', { from });
    expect(at(done, 'response', 'output', 0, 'content', 0, 'transcript')).toBe('You said: Where is my order?');
    expect(await spoken(client)).toBe(DEFAULT_FALLBACK_LINE);
    twin.assertNoLeftovers();
  });

  it('fails assertNoLeftovers for unused steps, unanswered function calls and undeclared tools', async () => {
    const twin = await startTwin();
    twin.useScenario('CA9', defineScenario({
      greeting: { say: 'One moment.', callTool: [{ name: 'lookup_order', arguments: {} }, { name: 'refund_everything', arguments: {} }] },
      turns: [{ caller: 'Thanks.', steps: [{ say: 'Bye.' }] }],
    }));
    const client = await phoneClient(twin);
    await spoken(client, { metadata: { call_sid: 'CA9' } });
    expect(() => twin.assertNoLeftovers()).toThrowError(
      /turns\[0\]\.steps\[0\] \("Thanks\."\) was never used[\s\S]*function call lookup_order \(call_\d+\) never got its output[\s\S]*calls tool "refund_everything", which the session does not declare/,
    );
  });

  it('resumes the same script when the CallSid reconnects', async () => {
    const twin = await startTwin();
    twin.useScenario('CA7', defineScenario({ greeting: [{ say: 'First connection.' }, { say: 'After reconnect.' }], turns: [] }));
    const first = await phoneClient(twin);
    expect(await spoken(first, { metadata: { call_sid: 'CA7' } })).toBe('First connection.');
    first.close();
    const second = await phoneClient(twin);
    second.send({ type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'First connection.' }] } });
    expect(await spoken(second, { metadata: { call_sid: 'CA7' } })).toBe('After reconnect.');
    twin.assertNoLeftovers();
  });

  it('keeps out-of-band responses out of the conversation and the script', async () => {
    const twin = await startTwin();
    twin.setDefaultScenario(() => defineScenario({ greeting: { say: 'Hello.' }, turns: [], outOfBandLine: 'Still checking.' }));
    const client = await phoneClient(twin);
    const from = client.mark();
    client.send({ type: 'response.create', response: { conversation: 'none' } });
    const done = await client.waitFor('response.done', { from });
    expect(at(done, 'response', 'conversation_id')).toBeNull();
    expect(at(done, 'response', 'output', 0, 'content', 0, 'transcript')).toBe('Still checking.');
    expect(client.ofType('conversation.item.added', from)).toHaveLength(0);
    expect(await spoken(client)).toBe('Hello.');
  });

  it('echoes every appended chunk back, chunk for chunk, during a speech segment', async () => {
    const twin = await startTwin();
    twin.setDefaultScenario(() => echoScenario());
    const client = await phoneClient(twin, []);
    const speech = toneMulaw(300);
    const from = client.mark();
    client.appendAudio(Buffer.concat([speech, silenceMulaw(600)]));
    const done = await client.waitFor('response.done', { from });
    const echoed = client.ofType('response.output_audio.delta', from).map((event) => Buffer.from(String(event.delta), 'base64'));
    // Every 20 ms frame from the first voiced one to the one that ends the turn comes back unchanged.
    expect(echoed).toHaveLength(15 + 25);
    expect(Buffer.concat(echoed.slice(0, 15))).toEqual(speech);
    expect(at(done, 'response', 'status')).toBe('completed');
    expect(client.typesFrom(from).indexOf('response.done')).toBeGreaterThan(client.typesFrom(from).indexOf('input_audio_buffer.speech_stopped'));
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared', { from });
    expect(client.ofType('response.created', from)).toHaveLength(1);
  });
});
