// Conversation item operations that need no response machinery: build stored items from client items, and
// truncate / delete / retrieve (§3, §4.3). Pure over the conversation it is given; returns the reply to send.
import { assertNever } from '../../shared/assert-never.ts';
import type { IdSource } from '../../shared/ids.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { bytesPerMs, type WireAudioFormat } from './audio-formats.ts';
import type { ClientItem, WireContent, WireItem } from './conversation-items.ts';
import type { Conversation, StoredItem } from './conversation.ts';
import type { AssistantAudioRecord } from './response-stream.ts';
import { realtimeErrors, type RealtimeErrorBody } from './wire-errors.ts';

export type ItemOperationEvent =
  | { type: 'conversation.item.truncate'; itemId: string; contentIndex: number; audioEndMs: number }
  | { type: 'conversation.item.delete' | 'conversation.item.retrieve'; itemId: string };

export type Truncation = { itemId: string; audioEndMs: number; audioDurationMs: number; transcriptBefore: string; transcriptAfter: string };

export type ItemOperationOutcome = { reply: Record<string, unknown> & { type: string }; truncation?: Truncation };

/** A client-created item as the conversation stores it; input audio is measured in the session's input format. */
export function storedItemFrom(clientItem: ClientItem, ids: IdSource, inputFormat: WireAudioFormat): StoredItem {
  const head = { id: clientItem.id ?? ids.next('item'), object: 'realtime.item' as const, status: clientItem.status ?? ('completed' as const) };
  switch (clientItem.type) {
    case 'function_call':
      return { item: { ...head, type: 'function_call', call_id: clientItem.call_id, name: clientItem.name, arguments: clientItem.arguments }, audioChunks: [], audioDurationMs: 0 };
    case 'function_call_output':
      return { item: { ...head, type: 'function_call_output', call_id: clientItem.call_id, output: clientItem.output }, audioChunks: [], audioDurationMs: 0 };
    case 'message': {
      const audioChunks: Buffer[] = [];
      const content: WireContent[] = clientItem.content.map((part) => {
        if (part.type !== 'input_audio') return part;
        if (part.audio) audioChunks.push(Buffer.from(part.audio, 'base64'));
        return { type: 'input_audio', transcript: part.transcript ?? null };
      });
      const audioBytes = audioChunks.reduce((sum, chunk) => sum + chunk.length, 0);
      return { item: { ...head, type: 'message', role: clientItem.role, content }, audioChunks, audioDurationMs: audioBytes / bytesPerMs(inputFormat) };
    }
    default:
      return assertNever(clientItem, 'client item');
  }
}

/** The retrieved item carries its audio, unlike added/done (§3, §4.3). */
function withAudio(entry: StoredItem): WireItem {
  const item = structuredClone(entry.item);
  if (item.type !== 'message' || entry.audioChunks.length === 0) return item;
  const audio = Buffer.concat(entry.audioChunks).toString('base64');
  item.content = item.content.map((part) => (part.type === 'input_audio' || part.type === 'output_audio' ? { ...part, audio } : part));
  return item;
}

export function applyItemOperation(
  conversation: Conversation,
  assistantItems: readonly AssistantAudioRecord[],
  event: ItemOperationEvent,
): Result<ItemOperationOutcome, RealtimeErrorBody> {
  const entry = conversation.get(event.itemId);
  switch (event.type) {
    case 'conversation.item.retrieve':
      if (!entry) return err(realtimeErrors.itemNotFound(event.itemId, 'item_retrieve_invalid_item_id', 'item_id'));
      return ok({ reply: { type: 'conversation.item.retrieved', item: withAudio(entry) } });
    case 'conversation.item.delete':
      if (!entry || !conversation.delete(event.itemId)) return err(realtimeErrors.itemNotFound(event.itemId, 'item_delete_invalid_item_id', 'item_id'));
      return ok({ reply: { type: 'conversation.item.deleted', item_id: event.itemId } });
    case 'conversation.item.truncate': {
      // The field reports `item_truncate_invalid_item_id` with "Item with item_id not found" [F].
      if (!entry) return err(realtimeErrors.itemNotFound(event.itemId, 'item_truncate_invalid_item_id', 'item_id'));
      const record = assistantItems.find((candidate) => candidate.itemId === event.itemId);
      // Only assistant message items with audio can be truncated; content_index is normally 0 [C] (§3).
      const isAssistantAudio = entry.item.type === 'message' && entry.item.role === 'assistant' && !entry.item.content.some((part) => part.type === 'output_text');
      if (!record || !isAssistantAudio) return err(realtimeErrors.notTruncatable(event.itemId));
      if (event.contentIndex !== 0) return err(realtimeErrors.invalidValue('content_index', `Invalid 'content_index': item ${event.itemId} has no content part ${event.contentIndex}.`));
      return truncate(entry, record, event.audioEndMs);
    }
    default:
      return assertNever(event, 'item operation');
  }
}

/** Cuts audio at audio_end_ms and the transcript in proportion; past the end is the benign `invalid_value` [F] (§4.9). */
function truncate(entry: StoredItem, record: AssistantAudioRecord, audioEndMs: number): Result<ItemOperationOutcome, RealtimeErrorBody> {
  const durationMs = entry.audioDurationMs;
  if (audioEndMs > durationMs) return err(realtimeErrors.audioShorterThan(durationMs, audioEndMs));
  const audio = Buffer.concat(entry.audioChunks);
  const keptBytes = durationMs === 0 ? 0 : Math.round((audio.length * audioEndMs) / durationMs);
  entry.audioChunks = [audio.subarray(0, keptBytes)];
  entry.audioDurationMs = audioEndMs;
  let transcriptBefore = '';
  let transcriptAfter = '';
  if (entry.item.type === 'message') {
    entry.item.content = entry.item.content.map((part) => {
      if (part.type !== 'output_audio') return part;
      transcriptBefore = part.transcript;
      // Truncation also deletes the server-side transcript past that point [C] (§3).
      transcriptAfter = durationMs === 0 ? '' : part.transcript.slice(0, Math.floor((part.transcript.length * audioEndMs) / durationMs));
      return { ...part, transcript: transcriptAfter };
    });
  }
  record.truncatedAtMs = audioEndMs;
  return ok({
    reply: { type: 'conversation.item.truncated', item_id: record.itemId, content_index: 0, audio_end_ms: audioEndMs },
    truncation: { itemId: record.itemId, audioEndMs, audioDurationMs: durationMs, transcriptBefore, transcriptAfter },
  });
}
