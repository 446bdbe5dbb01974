import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  encodeAppendAudio,
  encodeCommitAudio,
  encodeConversationMessage,
  encodeFunctionCallOutput,
  encodeItemDelete,
  encodeItemRetrieve,
  encodeResponseCancel,
  encodeResponseCreate,
  encodeTruncate,
  parseRealtimeEvent,
} from '../../src/voice/realtime-codec.ts';
import type { RealtimeServerEvent } from '../../src/voice/realtime-server-event.ts';

function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/openai-realtime/${name}.json`, import.meta.url), 'utf8');
}

function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

function parseOk(text: string): RealtimeServerEvent {
  const result = parseRealtimeEvent(text);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

const serverTable: ReadonlyArray<[string, RealtimeServerEvent]> = [
  ['session-created', { type: 'sessionCreated', sessionId: 'sess_C9x…', model: 'gpt-realtime' }],
  ['session-updated', { type: 'sessionUpdated' }],
  ['speech-started', { type: 'speechStarted', audioStartMs: 12340, itemId: 'item_usr_7' }],
  ['speech-stopped', { type: 'speechStopped', audioEndMs: 15020, itemId: 'item_usr_7' }],
  ['input-committed', { type: 'inputCommitted', itemId: 'item_usr_7', previousItemId: 'item_asst_6' }],
  ['input-cleared', { type: 'inputCleared' }],
  [
    'input-timeout-triggered',
    { type: 'inputIdleTimeout', audioStartMs: 40000, audioEndMs: 46000, itemId: 'item_usr_8' },
  ],
  [
    'item-added-user',
    {
      type: 'itemAdded',
      itemId: 'item_usr_7',
      previousItemId: 'item_asst_6',
      itemType: 'message',
      role: 'user',
      status: 'completed',
    },
  ],
  [
    'item-done-user',
    {
      type: 'itemDone',
      itemId: 'item_usr_7',
      previousItemId: 'item_asst_6',
      itemType: 'message',
      role: 'user',
      status: 'completed',
    },
  ],
  ['item-truncated', { type: 'itemTruncated', itemId: 'item_asst_42', contentIndex: 0, audioEndMs: 1740 }],
  ['item-deleted', { type: 'itemDeleted', itemId: 'item_x' }],
  [
    'item-retrieved-assistant',
    {
      type: 'itemRetrieved',
      itemId: 'item_asst_42',
      itemType: 'message',
      role: 'assistant',
      text: 'Sure, let me check that order for you.',
    },
  ],
  ['input-transcription-delta', { type: 'inputTranscriptDelta', itemId: 'item_usr_7', delta: "I'd like to" }],
  [
    'input-transcription-completed',
    {
      type: 'inputTranscriptCompleted',
      itemId: 'item_usr_7',
      transcript: "I'd like to check my order.",
      usage: { type: 'tokens', inputTokens: 13, outputTokens: 9, inputAudioTokens: 13, inputTextTokens: 0 },
    },
  ],
  [
    'input-transcription-completed-duration',
    {
      type: 'inputTranscriptCompleted',
      itemId: 'item_usr_9',
      transcript: 'Yes.',
      usage: { type: 'duration', durationSeconds: 1.4 },
    },
  ],
  ['input-transcription-failed', { type: 'inputTranscriptFailed', itemId: 'item_usr_7', message: '…' }],
  ['response-created', { type: 'responseCreated', responseId: 'resp_123' }],
  [
    'output-item-added-message',
    { type: 'outputItemAdded', responseId: 'resp_123', itemId: 'item_asst_42', itemType: 'message' },
  ],
  ['content-part-added', { type: 'ignored', rawType: 'response.content_part.added' }],
  [
    'audio-delta',
    {
      type: 'audioDelta',
      responseId: 'resp_123',
      itemId: 'item_asst_42',
      contentIndex: 0,
      audioBase64: '<base64 µ-law>',
    },
  ],
  [
    'audio-transcript-delta',
    { type: 'transcriptDelta', responseId: 'resp_123', itemId: 'item_asst_42', delta: 'Sure, ' },
  ],
  ['audio-done', { type: 'audioDone', responseId: 'resp_123', itemId: 'item_asst_42', contentIndex: 0 }],
  [
    'audio-transcript-done',
    {
      type: 'transcriptDone',
      responseId: 'resp_123',
      itemId: 'item_asst_42',
      transcript: 'Sure, let me check that order for you.',
    },
  ],
  ['content-part-done', { type: 'ignored', rawType: 'response.content_part.done' }],
  [
    'output-item-done-message',
    { type: 'outputItemDone', responseId: 'resp_123', itemId: 'item_asst_42', itemType: 'message', status: 'completed' },
  ],
  [
    'response-done-completed',
    {
      type: 'responseDone',
      responseId: 'resp_123',
      status: 'completed',
      reason: null,
      usage: {
        inputTextTokens: 119,
        inputAudioTokens: 13,
        cachedTextTokens: 64,
        cachedAudioTokens: 0,
        outputTextTokens: 30,
        outputAudioTokens: 91,
      },
      outputItemIds: ['item_asst_42'],
    },
  ],
  [
    'response-done-cancelled-turn-detected',
    {
      type: 'responseDone',
      responseId: 'resp_125',
      status: 'cancelled',
      reason: 'turn_detected',
      usage: {
        inputTextTokens: 120,
        inputAudioTokens: 30,
        cachedTextTokens: 90,
        cachedAudioTokens: 10,
        outputTextTokens: 6,
        outputAudioTokens: 24,
      },
      outputItemIds: ['item_asst_43'],
    },
  ],
  [
    'response-done-failed',
    { type: 'responseDone', responseId: 'resp_126', status: 'failed', reason: 'internal_error', usage: null, outputItemIds: [] },
  ],
  [
    'rate-limits-updated',
    {
      type: 'rateLimits',
      limits: [
        { name: 'requests', limit: 5000, remaining: 4999, resetSeconds: 0.012 },
        { name: 'tokens', limit: 400000, remaining: 394000, resetSeconds: 0.9 },
      ],
    },
  ],
  [
    'output-item-added-function-call',
    { type: 'outputItemAdded', responseId: 'resp_124', itemId: 'item_fc_1', itemType: 'function_call' },
  ],
  ['function-call-arguments-delta', { type: 'ignored', rawType: 'response.function_call_arguments.delta' }],
  ['function-call-arguments-done', { type: 'ignored', rawType: 'response.function_call_arguments.done' }],
  [
    'output-item-done-function-call',
    {
      type: 'functionCallRequested',
      responseId: 'resp_124',
      itemId: 'item_fc_1',
      callId: 'call_8xYz',
      name: 'lookup_order',
      argumentsJson: '{"order_number":"A1234"}',
    },
  ],
];

type ExpectedError = {
  code: string | null;
  errorType: string;
  clientEventId: string | null;
  param: string | null;
  isBenign: boolean;
};

const errorTable: ReadonlyArray<[string, ExpectedError]> = [
  [
    'error-active-response',
    {
      code: 'conversation_already_has_active_response',
      errorType: 'invalid_request_error',
      clientEventId: 'evt_client_17',
      param: null,
      isBenign: false,
    },
  ],
  [
    'error-unknown-parameter',
    {
      code: 'unknown_parameter',
      errorType: 'invalid_request_error',
      clientEventId: 'evt_client_1',
      param: 'session.input_audio_format',
      isBenign: false,
    },
  ],
  [
    'error-beta-api-shape-disabled',
    { code: 'beta_api_shape_disabled', errorType: 'invalid_request_error', clientEventId: null, param: null, isBenign: false },
  ],
  [
    'error-cancel-not-active',
    { code: 'response_cancel_not_active', errorType: 'invalid_request_error', clientEventId: null, param: null, isBenign: true },
  ],
  [
    'error-truncate-overshoot',
    { code: 'invalid_value', errorType: 'invalid_request_error', clientEventId: 'evt_client_20', param: null, isBenign: true },
  ],
  [
    'error-commit-empty',
    { code: 'input_audio_buffer_commit_empty', errorType: 'invalid_request_error', clientEventId: null, param: null, isBenign: false },
  ],
  [
    'error-missing-session-type',
    {
      code: 'missing_required_parameter',
      errorType: 'invalid_request_error',
      clientEventId: 'evt_client_1',
      param: 'session.type',
      isBenign: false,
    },
  ],
  [
    'error-session-expired',
    { code: 'session_expired', errorType: 'invalid_request_error', clientEventId: null, param: null, isBenign: false },
  ],
  ['error-server-error', { code: null, errorType: 'server_error', clientEventId: null, param: null, isBenign: false }],
];

describe('parseRealtimeEvent', () => {
  it.each(serverTable)('maps the contract example %s', (name, expected) => {
    expect(parseOk(fixtureText(name))).toEqual(expected);
  });

  it.each(errorTable)('maps the error %s and classifies it', (name, expected) => {
    const wire = fixtureJson(name);
    const event = parseOk(fixtureText(name));
    expect(event).toMatchObject({ type: 'error', ...expected });
    expect(event).toHaveProperty('message', (wire as { error: { message: string } }).error.message);
  });

  it('treats an invalid_value that is not a truncate overshoot as a real error', () => {
    const text = JSON.stringify({
      type: 'error',
      error: { type: 'invalid_request_error', code: 'invalid_value', message: "Invalid value: 'x'. Supported values are: 'y'.", param: 'type' },
    });
    expect(parseOk(text)).toMatchObject({ type: 'error', code: 'invalid_value', param: 'type', isBenign: false });
  });

  it('keeps an error frame whose details are missing', () => {
    expect(parseOk('{"type":"error","error":{}}')).toEqual({
      type: 'error',
      code: null,
      message: '',
      errorType: 'unknown',
      param: null,
      clientEventId: null,
      isBenign: false,
    });
  });

  it('returns a well-formed event of an unknown type as unknown with its raw payload', () => {
    const raw = { type: 'response.audio.delta', response_id: 'resp_1', delta: 'AAAA' };
    expect(parseOk(JSON.stringify(raw))).toEqual({ type: 'unknown', rawType: 'response.audio.delta', raw });
  });

  it.each([
    'conversation.created',
    'conversation.item.created',
    'response.output_text.delta',
    'output_audio_buffer.started',
    'mcp_list_tools.completed',
    'input_audio_buffer.dtmf_event_received',
  ])('ignores the known but unused event %s', (rawType) => {
    expect(parseOk(JSON.stringify({ type: rawType, event_id: 'event_1' }))).toEqual({ type: 'ignored', rawType });
  });

  it.each([
    ['not JSON', '{"type":', 'invalid_json', null],
    ['an array', '[{"type":"session.created"}]', 'not_an_event', null],
    ['null', 'null', 'not_an_event', null],
    ['an object without type', '{"event_id":"e"}', 'not_an_event', null],
    ['a numeric type', '{"type":7}', 'not_an_event', null],
    [
      'a speech_started without item_id',
      '{"type":"input_audio_buffer.speech_started","audio_start_ms":10}',
      'invalid_event',
      'input_audio_buffer.speech_started',
    ],
    [
      'an audio delta whose delta is not a string',
      '{"type":"response.output_audio.delta","response_id":"r","item_id":"i","content_index":0,"delta":5}',
      'invalid_event',
      'response.output_audio.delta',
    ],
  ])('rejects %s', (_label, text, code, rawType) => {
    const result = parseRealtimeEvent(text);
    expect(result).toMatchObject({ ok: false, error: { code, rawType } });
  });

  it('rejects a finished function_call item without a name instead of guessing one', () => {
    const wire = fixtureJson('output-item-done-function-call') as { item: Record<string, unknown> };
    delete wire.item['name'];
    expect(parseRealtimeEvent(JSON.stringify(wire))).toMatchObject({
      ok: false,
      error: { code: 'invalid_event', rawType: 'response.output_item.done' },
    });
  });

  it('names the failing fields but never echoes their values', () => {
    const secret = 'c2VjcmV0IGF1ZGlv';
    const result = parseRealtimeEvent(
      JSON.stringify({ type: 'response.output_audio.delta', response_id: 'r', item_id: 5, content_index: 0, delta: secret }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toContain('item_id');
      expect(JSON.stringify(result.error)).not.toContain(secret);
    }
  });

  it('ends a response with an unforeseen status as failed and says which status', () => {
    const text = JSON.stringify({ type: 'response.done', response: { id: 'resp_9', status: 'paused', output: [] } });
    expect(parseOk(text)).toEqual({
      type: 'responseDone',
      responseId: 'resp_9',
      status: 'failed',
      reason: 'unexpected_status:paused',
      usage: null,
      outputItemIds: [],
    });
  });

  it('attributes a cached total without a split to text first', () => {
    const text = JSON.stringify({
      type: 'response.done',
      response: {
        id: 'resp_8',
        status: 'completed',
        output: [],
        usage: {
          input_tokens: 50,
          output_tokens: 10,
          input_token_details: { text_tokens: 20, audio_tokens: 30, cached_tokens: 25 },
          output_token_details: { text_tokens: 2, audio_tokens: 8 },
        },
      },
    });
    expect(parseOk(text)).toMatchObject({ usage: { inputTextTokens: 20, inputAudioTokens: 30, cachedTextTokens: 20, cachedAudioTokens: 5 } });
  });

  it('keeps the transcript when the transcription usage has an unforeseen shape', () => {
    const text = JSON.stringify({
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: 'item_1',
      transcript: 'hello',
      usage: { type: 'credits', amount: 3 },
    });
    expect(parseOk(text)).toEqual({ type: 'inputTranscriptCompleted', itemId: 'item_1', transcript: 'hello', usage: null });
  });

  it('never throws on mutated contract examples', () => {
    const replacements: unknown[] = [null, 0, -1, 'x', [], {}, true];
    for (const [name] of [...serverTable, ...errorTable]) {
      const wire = fixtureJson(name) as Record<string, unknown>;
      for (const key of Object.keys(wire)) {
        for (const replacement of [...replacements, undefined]) {
          const mutated = { ...wire, [key]: replacement };
          expect(() => parseRealtimeEvent(JSON.stringify(mutated))).not.toThrow();
        }
      }
    }
  });
});

describe('client event encoders', () => {
  it.each<[string, () => string]>([
    ['client-append-audio', () => encodeAppendAudio('<base64 µ-law bytes>')],
    ['client-commit-audio', () => encodeCommitAudio()],
    ['client-user-message', () => encodeConversationMessage({ role: 'user', text: 'The caller pressed 1', previousItemId: 'item_abc' })],
    [
      'client-function-call-output',
      () => encodeFunctionCallOutput({ callId: 'call_8xYz', output: '{"status":"shipped","eta":"2025-09-20"}' }),
    ],
    ['client-truncate', () => encodeTruncate({ itemId: 'item_asst_42', contentIndex: 0, audioEndMs: 1740 })],
    ['client-response-create', () => encodeResponseCreate()],
    ['client-response-cancel', () => encodeResponseCancel()],
    ['client-response-cancel-by-id', () => encodeResponseCancel('resp_123')],
    ['client-item-delete', () => encodeItemDelete('item_x')],
    ['client-item-retrieve', () => encodeItemRetrieve('item_x')],
  ])('encodes the contract example %s', (name, encode) => {
    expect(JSON.parse(encode())).toEqual(fixtureJson(name));
  });

  it('encodes a response.create with per-response overrides as in the contract', () => {
    const expected = fixtureJson('client-response-create-greeting') as { response: Record<string, unknown> };
    // The session already pins audio output, so this client never overrides output_modalities per response.
    delete expected.response['output_modalities'];
    const encoded = encodeResponseCreate({
      instructions: 'Greet the caller and ask how you can help.',
      toolChoice: 'none',
      conversation: 'auto',
      metadata: { purpose: 'greeting' },
    });
    expect(JSON.parse(encoded)).toEqual(expected);
  });

  it.each<[string, () => string]>([
    ['commit', () => encodeCommitAudio('evt_1')],
    ['response.create', () => encodeResponseCreate({ eventId: 'evt_1' })],
    ['response.cancel', () => encodeResponseCancel(undefined, 'evt_1')],
    ['truncate', () => encodeTruncate({ itemId: 'i', contentIndex: 0, audioEndMs: 1, eventId: 'evt_1' })],
    ['function_call_output', () => encodeFunctionCallOutput({ callId: 'c', output: '{}', eventId: 'evt_1' })],
    ['message', () => encodeConversationMessage({ role: 'system', text: 't', eventId: 'evt_1' })],
    ['retrieve', () => encodeItemRetrieve('i', 'evt_1')],
    ['delete', () => encodeItemDelete('i', 'evt_1')],
  ])('carries an optional event_id on %s so a failure can be correlated', (_label, encode) => {
    expect(JSON.parse(encode())).toHaveProperty('event_id', 'evt_1');
  });

  it.each([
    ['user', 'input_text'],
    ['system', 'input_text'],
    ['assistant', 'output_text'],
  ] as const)('replays a %s message as %s content', (role, contentType) => {
    expect(JSON.parse(encodeConversationMessage({ role, text: 'Order A1234 shipped.' }))).toEqual({
      type: 'conversation.item.create',
      item: { type: 'message', role, content: [{ type: contentType, text: 'Order A1234 shipped.' }] },
    });
  });

  it.each([
    [1740.9, 1740],
    [0.4, 0],
    [-12, 0],
  ])('truncates at whole milliseconds never past what was heard (%d → %d)', (audioEndMs, expected) => {
    expect(JSON.parse(encodeTruncate({ itemId: 'i', contentIndex: 0, audioEndMs }))).toHaveProperty('audio_end_ms', expected);
  });

  it('refuses a non-finite truncation point as a programming error', () => {
    expect(() => encodeTruncate({ itemId: 'i', contentIndex: 0, audioEndMs: Number.NaN })).toThrow(RangeError);
  });

  it('keeps the append frame valid JSON whatever the payload string holds', () => {
    const payload = 'ab"c\\d';
    expect(JSON.parse(encodeAppendAudio(payload))).toEqual({ type: 'input_audio_buffer.append', audio: payload });
  });
});

describe('round trips through the server echo', () => {
  it('reads back the truncation the server confirms with the same item, index and ms', () => {
    const sent = JSON.parse(encodeTruncate({ itemId: 'item_asst_42', contentIndex: 0, audioEndMs: 1740 })) as Record<string, unknown>;
    const echoed = parseOk(JSON.stringify({ ...sent, type: 'conversation.item.truncated', event_id: 'event_C3' }));
    expect(echoed).toEqual({ type: 'itemTruncated', itemId: 'item_asst_42', contentIndex: 0, audioEndMs: 1740 });
  });

  it.each([
    ['user', () => encodeConversationMessage({ role: 'user', text: 'hi' }), 'message', 'user'],
    ['assistant', () => encodeConversationMessage({ role: 'assistant', text: 'hello' }), 'message', 'assistant'],
    ['function output', () => encodeFunctionCallOutput({ callId: 'call_1', output: '{}' }), 'function_call_output', null],
  ] as const)('reads back a created %s item when the server adds it', (_label, encode, itemType, role) => {
    const sent = JSON.parse(encode()) as { item: Record<string, unknown> };
    const added = { type: 'conversation.item.added', previous_item_id: null, item: { ...sent.item, id: 'item_new', status: 'completed' } };
    expect(parseOk(JSON.stringify(added))).toEqual({
      type: 'itemAdded',
      itemId: 'item_new',
      previousItemId: null,
      itemType,
      role,
      status: 'completed',
    });
  });

  it('forwards the audio base64 of a delta untouched, ready for Twilio', () => {
    const audioBase64 = Buffer.from([0xff, 0x7f, 0x00, 0x80]).toString('base64');
    const wire = { ...(fixtureJson('audio-delta') as object), delta: audioBase64 };
    expect(parseOk(JSON.stringify(wire))).toMatchObject({ type: 'audioDelta', audioBase64 });
  });
});
