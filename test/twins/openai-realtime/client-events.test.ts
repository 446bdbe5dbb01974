import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClientEvent } from '../../../src/twins/openai-realtime/client-events.ts';
import { at } from './realtime-test-client.ts';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

function fixtureList(name: string): unknown[] {
  const value = fixture(name);
  if (!Array.isArray(value)) throw new Error(`${name} is not a list`);
  return value;
}

function rejectionOf(event: unknown) {
  const { result } = parseClientEvent(JSON.stringify(event));
  if (result.ok) throw new Error(`expected a rejection of ${JSON.stringify(event)}`);
  return result.error;
}

const gaUpdate = (session: Record<string, unknown>) => ({ type: 'session.update', event_id: 'evt_client_1', session: { type: 'realtime', ...session } });
const inputAudio = (input: Record<string, unknown>) => gaUpdate({ audio: { input } });

describe('parseClientEvent', () => {
  it.each(fixtureList('client-events-valid.json').map((event) => [JSON.stringify(event).slice(0, 70), event]))(
    'accepts the contract example %s',
    (_name, event) => {
      expect(parseClientEvent(JSON.stringify(event)).result.ok).toBe(true);
    },
  );

  it('accepts the recommended phone-bridge session.update', () => {
    expect(parseClientEvent(JSON.stringify(fixture('session-update-recommended.json'))).result).toMatchObject({ ok: true, value: { type: 'session.update', eventId: 'evt_client_1' } });
  });

  it('accepts the semantic VAD variant', () => {
    expect(parseClientEvent(JSON.stringify(inputAudio({ turn_detection: fixture('semantic-vad-turn-detection.json') }))).result.ok).toBe(true);
  });

  it('rejects a beta-shaped field with the field-observed error body', () => {
    const expected = fixture('error-unknown-parameter.json');
    const rejection = rejectionOf(gaUpdate({ input_audio_format: 'g711_ulaw' }));
    expect({ ...rejection.error, event_id: rejection.eventId }).toEqual(at(expected, 'error'));
  });

  it('rejects a whole beta session.update for its missing session.type first', () => {
    expect(rejectionOf(fixture('session-update-beta-shape.json')).error).toEqual({
      type: 'invalid_request_error',
      code: 'missing_required_parameter',
      message: "Missing required parameter: 'session.type'.",
      param: 'session.type',
    });
  });

  it.each([
    ['modalities', ['audio']],
    ['voice', 'ash'],
    ['input_audio_format', 'g711_ulaw'],
    ['output_audio_format', 'g711_ulaw'],
    ['input_audio_transcription', { model: 'whisper-1' }],
    ['input_audio_noise_reduction', { type: 'near_field' }],
    ['turn_detection', { type: 'server_vad' }],
    ['temperature', 0.8],
    ['max_response_output_tokens', 'inf'],
    ['speed', 1],
  ])('rejects the beta key %s as unknown_parameter session.%s', (key, value) => {
    expect(rejectionOf(gaUpdate({ [key]: value }))).toEqual({
      eventId: 'evt_client_1',
      error: { type: 'invalid_request_error', code: 'unknown_parameter', message: `Unknown parameter: 'session.${key}'.`, param: `session.${key}` },
    });
  });

  it.each([
    ['a legacy format object', inputAudio({ format: { type: 'g711_ulaw' } }), 'invalid_value', 'session.audio.input.format.type'],
    ['a legacy format string', inputAudio({ format: 'g711_ulaw' }), 'invalid_type', 'session.audio.input.format'],
    ['PCM at another rate', inputAudio({ format: { type: 'audio/pcm', rate: 16000 } }), 'invalid_value', 'session.audio.input.format.rate'],
    ['an unknown voice', gaUpdate({ audio: { output: { voice: 'nova' } } }), 'invalid_value', 'session.audio.output.voice'],
    ['a speed above 1.5', gaUpdate({ audio: { output: { speed: 2 } } }), 'invalid_value', 'session.audio.output.speed'],
    ['both output modalities', gaUpdate({ output_modalities: ['audio', 'text'] }), 'invalid_value', 'session.output_modalities'],
    ['a threshold above 1', inputAudio({ turn_detection: { type: 'server_vad', threshold: 1.5 } }), 'invalid_value', 'session.audio.input.turn_detection.threshold'],
    ['eagerness on server_vad', inputAudio({ turn_detection: { type: 'server_vad', eagerness: 'low' } }), 'unknown_parameter', 'session.audio.input.turn_detection.eagerness'],
    ['an unknown transcription model', inputAudio({ transcription: { model: 'whisper-2' } }), 'invalid_value', 'session.audio.input.transcription.model'],
    ['a Chat Completions tool', gaUpdate({ tools: [{ type: 'function', function: { name: 'lookup_order' } }] }), 'unknown_parameter', 'session.tools[0].function'],
    ['max_output_tokens above 4096', gaUpdate({ max_output_tokens: 5000 }), 'invalid_value', 'session.max_output_tokens'],
    ['a bad tool_choice', gaUpdate({ tool_choice: 'sometimes' }), 'invalid_value', 'session.tool_choice'],
    ['a function tool_choice without name', gaUpdate({ tool_choice: { type: 'function' } }), 'missing_required_parameter', 'session.tool_choice.name'],
    ['a misspelled tracing field', gaUpdate({ tracing: { workflow: 'calls' } }), 'unknown_parameter', 'session.tracing.workflow'],
    ['an unknown session type', gaUpdate({ type: 'conversation' }), 'invalid_value', 'session.type'],
  ])('rejects %s', (_name, event, code, param) => {
    expect(rejectionOf(event)).toMatchObject({ eventId: 'evt_client_1', error: { type: 'invalid_request_error', code, param } });
  });

  it('names the supported values of a bad enum', () => {
    expect(rejectionOf(inputAudio({ format: { type: 'g711_ulaw' } })).error.message).toBe(
      "Invalid value: 'g711_ulaw'. Supported values are: 'audio/pcm', 'audio/pcmu', and 'audio/pcma'.",
    );
  });

  it.each([
    ['an unknown event type', { type: 'output_audio_buffer.clear', event_id: 'e1' }, 'invalid_value', 'type'],
    ['an event without type', { event_id: 'e1' }, 'missing_required_parameter', 'type'],
    ['a non-integer audio_end_ms', { type: 'conversation.item.truncate', event_id: 'e1', item_id: 'item_1', content_index: 0, audio_end_ms: 1740.5 }, 'invalid_type', 'audio_end_ms'],
    ['a negative audio_end_ms', { type: 'conversation.item.truncate', event_id: 'e1', item_id: 'item_1', content_index: 0, audio_end_ms: -1 }, 'invalid_value', 'audio_end_ms'],
    ['audio that is not base64', { type: 'input_audio_buffer.append', event_id: 'e1', audio: 'not base64!' }, 'invalid_value', 'audio'],
    ['an unknown key on append', { type: 'input_audio_buffer.append', event_id: 'e1', audio: '', format: 'pcmu' }, 'unknown_parameter', 'format'],
    [
      'injected assistant audio',
      { type: 'conversation.item.create', event_id: 'e1', item: { type: 'message', role: 'assistant', content: [{ type: 'output_audio', audio: '' }] } },
      'invalid_value',
      'item.content[0].type',
    ],
    [
      'the beta assistant content type',
      { type: 'conversation.item.create', event_id: 'e1', item: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hi' }] } },
      'invalid_value',
      'item.content[0].type',
    ],
    [
      'output_text in a system message',
      { type: 'conversation.item.create', event_id: 'e1', item: { type: 'message', role: 'system', content: [{ type: 'output_text', text: 'hi' }] } },
      'invalid_value',
      'item.content[0].type',
    ],
    ['a function output without call_id', { type: 'conversation.item.create', event_id: 'e1', item: { type: 'function_call_output', output: '{}' } }, 'missing_required_parameter', 'item.call_id'],
    ['a beta response field', { type: 'response.create', event_id: 'e1', response: { modalities: ['audio'] } }, 'unknown_parameter', 'response.modalities'],
    ['an unknown conversation', { type: 'response.create', event_id: 'e1', response: { conversation: 'conv_1' } }, 'invalid_value', 'response.conversation'],
    ['a bad input item', { type: 'response.create', event_id: 'e1', response: { input: [{ type: 'message', role: 'robot' }] } }, 'invalid_value', 'response.input[0].role'],
  ])('rejects %s', (_name, event, code, param) => {
    expect(rejectionOf(event)).toMatchObject({ eventId: 'e1', error: { code, param } });
  });

  it('rejects a frame that is not a JSON object', () => {
    expect(parseClientEvent('[1,2]').result).toMatchObject({ ok: false, error: { eventId: undefined, error: { code: 'invalid_json' } } });
    expect(parseClientEvent('{oops').result).toMatchObject({ ok: false, error: { error: { code: 'invalid_json' } } });
  });

  it('decodes appended audio and maps truncate fields to camelCase', () => {
    expect(parseClientEvent('{"type":"input_audio_buffer.append","audio":"/////w=="}').result).toEqual({
      ok: true,
      value: { type: 'input_audio_buffer.append', eventId: undefined, audio: Buffer.from([255, 255, 255, 255]) },
    });
    expect(parseClientEvent('{"type":"conversation.item.truncate","item_id":"item_asst_42","content_index":0,"audio_end_ms":1740}').result).toEqual({
      ok: true,
      value: { type: 'conversation.item.truncate', eventId: undefined, itemId: 'item_asst_42', contentIndex: 0, audioEndMs: 1740 },
    });
  });
});
