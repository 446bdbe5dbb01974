// Watches the knowledge base directory and calls back once per burst of changes, since one editor save makes
// several file events. Owns one fs.watch handle and one debounce timer; close() releases both.
import { watch } from 'node:fs';
import type { Clock, TimerHandle } from '../shared/clock.ts';

export type DirectoryWatch = { close(): void };

export type WatchKnowledgeDirOptions = {
  dir: string;
  /** Quiet time after the last file event before `onChange` runs. */
  debounceMs: number;
  clock: Clock;
  onChange: () => void;
  onError: (error: Error) => void;
};

export function watchKnowledgeDir(options: WatchKnowledgeDirOptions): DirectoryWatch {
  const { dir, debounceMs, clock, onChange, onError } = options;
  let pending: TimerHandle | null = null;
  let isClosed = false;
  // Not persistent: a watch on the knowledge base must never be what keeps the process alive.
  const watcher = watch(dir, { recursive: true, persistent: false }, () => {
    if (isClosed) return;
    pending?.cancel();
    pending = clock.setTimeout(() => {
      pending = null;
      if (!isClosed) onChange();
    }, debounceMs);
  });
  watcher.on('error', (error) => {
    if (!isClosed) onError(error);
  });
  return {
    close() {
      if (isClosed) return;
      isClosed = true;
      pending?.cancel();
      pending = null;
      watcher.close();
    },
  };
}
