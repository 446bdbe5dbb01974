// The live knowledge base: loads KB_DIR, answers searches from the current index, and swaps in a fresh index
// when the files change. It never calls the network; a failed reload keeps the last good index.
import type { Clock } from '../shared/clock.ts';
import { systemClock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { buildKnowledgeIndex, type KnowledgeIndex } from './kb-index.ts';
import { loadKnowledgeDir, type KbLoadError } from './kb-loader.ts';
import { searchKnowledge, type KnowledgeHit, type KnowledgeSearch, type KnowledgeSearchOptions } from './kb-search.ts';
import { watchKnowledgeDir, type DirectoryWatch } from './kb-watcher.ts';

export type KnowledgeReload =
  | { ok: true; passageCount: number; fileCount: number }
  | { ok: false; error: KbLoadError };

export interface KnowledgeBase extends KnowledgeSearch {
  readonly dir: string;
  passageCount(): number;
  /** Loads the directory again now; the watcher calls this after a burst of file changes. */
  reload(): Promise<KnowledgeReload>;
  /** Runs after every reload, successful or not; returns the unsubscribe function. */
  onReload(listener: (reload: KnowledgeReload) => void): () => void;
  /** Stops watching; safe to call twice. Searches keep answering from the last index. */
  close(): void;
}

export type OpenKnowledgeBaseOptions = {
  dir: string;
  log: Logger;
  clock?: Clock;
  /** Default true; tests and one-off scripts may load without watching. */
  isWatching?: boolean;
  /** Default 250 ms: long enough to cover one editor save, short enough to feel immediate. */
  debounceMs?: number;
};

const DEFAULT_DEBOUNCE_MS = 250;

/** Loads the knowledge base; an unreadable KB_DIR is bad configuration, so it throws at start-up. */
export async function openKnowledgeBase(options: OpenKnowledgeBaseOptions): Promise<KnowledgeBase> {
  const loaded = await loadKnowledgeDir(options.dir);
  if (!loaded.ok) {
    throw new Error(`KB_DIR ${options.dir}: ${loaded.error.code} at ${loaded.error.path}`, { cause: loaded.error.cause });
  }
  const knowledgeBase = new WatchedKnowledgeBase(options, buildKnowledgeIndex(loaded.value));
  options.log.info({ dir: options.dir, passageCount: loaded.value.length, fileCount: countFiles(loaded.value) }, 'knowledge.loaded');
  if (loaded.value.length === 0) options.log.warn({ dir: options.dir }, 'knowledge.empty');
  if (options.isWatching ?? true) knowledgeBase.startWatching(options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  return knowledgeBase;
}

class WatchedKnowledgeBase implements KnowledgeBase {
  readonly dir: string;
  #index: KnowledgeIndex;
  #log: Logger;
  #clock: Clock;
  #watch: DirectoryWatch | null = null;
  #listeners = new Set<(reload: KnowledgeReload) => void>();
  #queue: Promise<unknown> = Promise.resolve();
  #isClosed = false;

  constructor(options: OpenKnowledgeBaseOptions, index: KnowledgeIndex) {
    this.dir = options.dir;
    this.#index = index;
    this.#log = options.log;
    this.#clock = options.clock ?? systemClock;
  }

  searchKnowledge(query: string, options?: KnowledgeSearchOptions): KnowledgeHit[] {
    return searchKnowledge(this.#index, query, options);
  }

  passageCount(): number {
    return this.#index.passages.length;
  }

  reload(): Promise<KnowledgeReload> {
    // Reloads run one at a time, in order, so the newest files always win.
    const next = this.#queue.then(() => this.#reloadNow());
    this.#queue = next.catch(() => undefined);
    return next;
  }

  onReload(listener: (reload: KnowledgeReload) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#watch?.close();
    this.#watch = null;
    this.#listeners.clear();
  }

  startWatching(debounceMs: number): void {
    this.#watch = watchKnowledgeDir({
      dir: this.dir,
      debounceMs,
      clock: this.#clock,
      onChange: () => {
        this.reload().catch((error: unknown) => this.#log.error({ dir: this.dir, err: error }, 'knowledge.reload.crashed'));
      },
      onError: (error) => this.#log.warn({ dir: this.dir, err: error }, 'knowledge.watch.failed'),
    });
  }

  async #reloadNow(): Promise<KnowledgeReload> {
    const startedMs = this.#clock.monotonicMs();
    const loaded = await loadKnowledgeDir(this.dir);
    let reload: KnowledgeReload;
    if (loaded.ok) {
      this.#index = buildKnowledgeIndex(loaded.value);
      reload = { ok: true, passageCount: loaded.value.length, fileCount: countFiles(loaded.value) };
      const durationMs = Math.round(this.#clock.monotonicMs() - startedMs);
      this.#log.info({ dir: this.dir, passageCount: reload.passageCount, fileCount: reload.fileCount, durationMs }, 'knowledge.reloaded');
    } else {
      reload = { ok: false, error: loaded.error };
      this.#log.warn({ dir: this.dir, code: loaded.error.code, path: loaded.error.path, err: loaded.error.cause }, 'knowledge.reload.failed');
    }
    for (const listener of [...this.#listeners]) listener(reload);
    return reload;
  }
}

function countFiles(passages: ReadonlyArray<{ file: string }>): number {
  return new Set(passages.map((passage) => passage.file)).size;
}
