// The asynchronous input-transcription events for one committed user item (openai-realtime.md, §4.4).
// Pure: returns the events; the connection schedules and sends them.
import { transcriptionUsage } from './usage.ts';

/** Delta events come with the gpt-4o-*-transcribe family; whisper-1 sends `completed` only [I] (§4.4). */
export function transcriptionEvents(input: { itemId: string; model: string; transcript: string; audioMs: number }): Array<Record<string, unknown> & { type: string }> {
  const where = { item_id: input.itemId, content_index: 0 };
  const events: Array<Record<string, unknown> & { type: string }> = [];
  if (input.model !== 'whisper-1') {
    const words = input.transcript.match(/\S+\s*/g) ?? [];
    const pieceSize = Math.max(1, Math.ceil(words.length / 3));
    for (let index = 0; index < words.length; index += pieceSize) {
      events.push({ type: 'conversation.item.input_audio_transcription.delta', ...where, delta: words.slice(index, index + pieceSize).join('') });
    }
  }
  events.push({
    type: 'conversation.item.input_audio_transcription.completed',
    ...where,
    transcript: input.transcript,
    usage: transcriptionUsage(input.model, input.audioMs, input.transcript),
  });
  return events;
}
