// One connection's default conversation: ordered items, their audio, and lookups for truncate/delete/retrieve.
// Holds data only; it never sends events (the connection announces every change).
import type { WireItem } from './conversation-items.ts';

export type StoredItem = {
  item: WireItem;
  /** Audio bytes of an `input_audio` or `output_audio` part; never sent in added/done, only in retrieved (§4.3). */
  audioChunks: Buffer[];
  audioDurationMs: number;
};

export type InsertPosition = { afterItemId: string | null | undefined } | { atRoot: true };

export class Conversation {
  readonly id: string;
  #entries: StoredItem[] = [];

  constructor(id: string) {
    this.id = id;
  }

  entries(): readonly StoredItem[] {
    return this.#entries;
  }

  get(itemId: string): StoredItem | undefined {
    return this.#entries.find((entry) => entry.item.id === itemId);
  }

  lastItemId(): string | null {
    return this.#entries.at(-1)?.item.id ?? null;
  }

  /** Appends by default; `previous_item_id: "root"` puts the item first (§3). Returns the id before it, or null. */
  insert(entry: StoredItem, afterItemId: string | null | undefined = undefined): string | null {
    if (afterItemId === 'root') {
      this.#entries.unshift(entry);
      return null;
    }
    if (afterItemId === null || afterItemId === undefined) {
      const previous = this.lastItemId();
      this.#entries.push(entry);
      return previous;
    }
    const index = this.#entries.findIndex((candidate) => candidate.item.id === afterItemId);
    this.#entries.splice(index + 1, 0, entry);
    return afterItemId;
  }

  previousItemIdOf(itemId: string): string | null {
    const index = this.#entries.findIndex((entry) => entry.item.id === itemId);
    return index > 0 ? (this.#entries[index - 1]?.item.id ?? null) : null;
  }

  delete(itemId: string): boolean {
    const index = this.#entries.findIndex((entry) => entry.item.id === itemId);
    if (index < 0) return false;
    this.#entries.splice(index, 1);
    return true;
  }

  findFunctionCall(callId: string): Extract<WireItem, { type: 'function_call' }> | undefined {
    for (const { item } of this.#entries) if (item.type === 'function_call' && item.call_id === callId) return item;
    return undefined;
  }
}
