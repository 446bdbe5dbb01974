import type { RealtimeServerEvent as GaServerEvent } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { parseRealtimeEvent } from '../../src/voice/realtime-codec.ts';
import { IGNORED_SERVER_EVENT_TYPES, SERVER_EVENT_SCHEMAS } from '../../src/voice/realtime-server-schemas.ts';

describe('coverage of the GA server events', () => {
  // Every GA server event type of the openai types; a new one fails to compile here until it is placed.
  const GA_SERVER_EVENT_TYPES: Record<GaServerEvent['type'], true> = {
    'conversation.created': true,
    'conversation.item.created': true,
    'conversation.item.deleted': true,
    'conversation.item.input_audio_transcription.completed': true,
    'conversation.item.input_audio_transcription.delta': true,
    'conversation.item.input_audio_transcription.failed': true,
    'conversation.item.retrieved': true,
    'conversation.item.truncated': true,
    error: true,
    'input_audio_buffer.cleared': true,
    'input_audio_buffer.committed': true,
    'input_audio_buffer.dtmf_event_received': true,
    'input_audio_buffer.speech_started': true,
    'input_audio_buffer.speech_stopped': true,
    'rate_limits.updated': true,
    'response.output_audio.delta': true,
    'response.output_audio.done': true,
    'response.output_audio_transcript.delta': true,
    'response.output_audio_transcript.done': true,
    'response.content_part.added': true,
    'response.content_part.done': true,
    'response.created': true,
    'response.done': true,
    'response.function_call_arguments.delta': true,
    'response.function_call_arguments.done': true,
    'response.output_item.added': true,
    'response.output_item.done': true,
    'response.output_text.delta': true,
    'response.output_text.done': true,
    'session.created': true,
    'session.updated': true,
    'output_audio_buffer.started': true,
    'output_audio_buffer.stopped': true,
    'output_audio_buffer.cleared': true,
    'conversation.item.added': true,
    'conversation.item.done': true,
    'input_audio_buffer.timeout_triggered': true,
    'conversation.item.input_audio_transcription.segment': true,
    'mcp_list_tools.in_progress': true,
    'mcp_list_tools.completed': true,
    'mcp_list_tools.failed': true,
    'response.mcp_call_arguments.delta': true,
    'response.mcp_call_arguments.done': true,
    'response.mcp_call.in_progress': true,
    'response.mcp_call.completed': true,
    'response.mcp_call.failed': true,
  };
  const gaTypes = Object.keys(GA_SERVER_EVENT_TYPES);

  it('either maps or deliberately ignores every GA server event type', () => {
    const handled = [...SERVER_EVENT_SCHEMAS.keys(), ...IGNORED_SERVER_EVENT_TYPES];
    expect(new Set(handled).size).toBe(handled.length);
    expect([...handled].sort()).toEqual([...gaTypes].sort());
  });

  it('never reports a GA event type as unknown', () => {
    for (const rawType of gaTypes) {
      const result = parseRealtimeEvent(JSON.stringify({ type: rawType }));
      if (result.ok) expect(result.value.type).not.toBe('unknown');
    }
  });
});
