import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeSessionUpdate } from '../../src/voice/realtime-codec.ts';
import { buildSessionConfig, type SessionConfigOptions } from '../../src/voice/session-config.ts';

function fixtureJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/openai-realtime/${name}.json`, import.meta.url), 'utf8'));
}

const lookupOrder = {
  name: 'lookup_order',
  description: 'Look up an order by its number. Tell the caller you are checking first.',
  parameters: {
    type: 'object',
    properties: { order_number: { type: 'string' } },
    required: ['order_number'],
    additionalProperties: false,
  },
};

const phoneOptions: SessionConfigOptions = {
  model: 'gpt-realtime',
  instructions: 'You are a concise phone agent for ACME...',
  voice: 'marin',
  turnDetection: 'server_vad',
  vadSilenceMs: 500,
  transcriptionModel: 'gpt-4o-mini-transcribe',
  transcriptionLanguage: 'en',
  tools: [lookupOrder],
  noiseReduction: 'near_field',
};

type WireSession = { session: Record<string, unknown> & { audio: { input: Record<string, unknown>; output: Record<string, unknown> } } };

function encodedSession(options: SessionConfigOptions): WireSession {
  return JSON.parse(encodeSessionUpdate(buildSessionConfig(options))) as WireSession;
}

// Beta-era names that the GA server rejects with unknown_parameter (openai-realtime.md, 2).
const BETA_SESSION_FIELDS = [
  'modalities',
  'voice',
  'speed',
  'input_audio_format',
  'output_audio_format',
  'input_audio_transcription',
  'input_audio_noise_reduction',
  'turn_detection',
  'temperature',
  'max_response_output_tokens',
];

describe('buildSessionConfig with encodeSessionUpdate', () => {
  it('produces exactly the recommended GA phone update of the contract', () => {
    expect(JSON.parse(encodeSessionUpdate(buildSessionConfig(phoneOptions), 'evt_client_1'))).toEqual(
      fixtureJson('client-session-update-phone'),
    );
  });

  it('sends no beta-era session field', () => {
    const { session } = encodedSession(phoneOptions);
    for (const field of BETA_SESSION_FIELDS) expect(session).not.toHaveProperty(field);
    expect(session).toHaveProperty('type', 'realtime');
  });

  it('pins µ-law both ways so audio passes through untouched', () => {
    const { session } = encodedSession({ ...phoneOptions, turnDetection: 'semantic_vad' });
    expect(session.audio.input['format']).toEqual({ type: 'audio/pcmu' });
    expect(session.audio.output['format']).toEqual({ type: 'audio/pcmu' });
    expect(session['output_modalities']).toEqual(['audio']);
  });

  it('uses the configured VAD silence with explicit threshold and padding', () => {
    const { session } = encodedSession({ ...phoneOptions, vadSilenceMs: 700 });
    expect(session.audio.input['turn_detection']).toEqual({
      type: 'server_vad',
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: 700,
      idle_timeout_ms: null,
      create_response: true,
      interrupt_response: true,
    });
  });

  it('builds the semantic VAD variant of the contract', () => {
    const { session } = encodedSession({ ...phoneOptions, turnDetection: 'semantic_vad' });
    expect(session.audio.input['turn_detection']).toEqual(fixtureJson('client-semantic-vad'));
  });

  it('passes the chosen eagerness to semantic VAD', () => {
    const { session } = encodedSession({ ...phoneOptions, turnDetection: 'semantic_vad', semanticEagerness: 'low' });
    expect(session.audio.input['turn_detection']).toMatchObject({ eagerness: 'low' });
  });

  it('turns transcription off with null and leaves the language out when none is set', () => {
    expect(encodedSession({ ...phoneOptions, transcriptionModel: null }).session.audio.input['transcription']).toBeNull();
    const { session } = encodedSession({ ...phoneOptions, transcriptionLanguage: undefined });
    expect(session.audio.input['transcription']).toEqual({ model: 'gpt-4o-mini-transcribe' });
  });

  it.each([
    [undefined, { type: 'near_field' }],
    ['far_field', { type: 'far_field' }],
    [null, null],
  ] as const)('encodes noise reduction %s as %j', (noiseReduction, expected) => {
    const { session } = encodedSession({ ...phoneOptions, noiseReduction });
    expect(session.audio.input['noise_reduction']).toEqual(expected);
  });

  it('declares tools in the flat GA shape with tool_choice auto', () => {
    const { session } = encodedSession(phoneOptions);
    expect(session['tools']).toEqual([{ type: 'function', ...lookupOrder }]);
    expect(session['tool_choice']).toBe('auto');
  });

  it.each([
    ['a duplicate tool name', { tools: [lookupOrder, lookupOrder] }],
    ['a tool name with spaces', { tools: [{ ...lookupOrder, name: 'lookup order' }] }],
    ['a non-integer VAD silence', { vadSilenceMs: 12.5 }],
    ['a zero VAD silence', { vadSilenceMs: 0 }],
  ])('throws on %s as a programming error', (_label, override) => {
    expect(() => buildSessionConfig({ ...phoneOptions, ...override })).toThrow();
  });
});
