import { watch } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { watchKnowledgeDir } from '../../src/knowledge/kb-watcher.ts';
import type { Clock, TimerHandle } from '../../src/shared/clock.ts';

/** A clock whose timers run only when the test advances it, and which reports each newly scheduled timer. */
function manualClock() {
  let nowMs = 0;
  const timers = new Map<number, { dueMs: number; callback: () => void }>();
  const scheduledWaiters: Array<() => void> = [];
  let nextId = 0;
  const clock: Clock = {
    now: () => nowMs,
    monotonicMs: () => nowMs,
    setTimeout(callback, delayMs): TimerHandle {
      const id = ++nextId;
      timers.set(id, { dueMs: nowMs + delayMs, callback });
      scheduledWaiters.splice(0).forEach((resolve) => resolve());
      return { cancel: () => timers.delete(id) };
    },
    setInterval() {
      throw new Error('setInterval is not used by the watcher');
    },
  };
  return {
    clock,
    pendingTimers: () => timers.size,
    nextScheduled: () => new Promise<void>((resolve) => scheduledWaiters.push(resolve)),
    advance(ms: number) {
      nowMs += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].dueMs - b[1].dueMs)) {
        if (timer.dueMs > nowMs) continue;
        timers.delete(id);
        timer.callback();
      }
    },
  };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kb-watch-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Resolves once an independent watcher on `dir` has seen an event, so any other watcher has seen it too. */
function sentinelEvent(dir: string): Promise<void> {
  return new Promise((resolve) => {
    const sentinel = watch(dir, { recursive: true }, () => {
      sentinel.close();
      resolve();
    });
  });
}

describe('watchKnowledgeDir', () => {
  it('calls back once for a burst of file events, after the quiet period', async () => {
    const dir = await tempDir();
    const manual = manualClock();
    let changes = 0;
    const watcher = watchKnowledgeDir({ dir, debounceMs: 100, clock: manual.clock, onChange: () => changes++, onError: (error) => { throw error; } });
    onTestFinished(() => watcher.close());

    const scheduled = manual.nextScheduled();
    await writeFile(path.join(dir, 'returns.md'), '# Returns\n');
    await writeFile(path.join(dir, 'shipping.md'), '# Shipping\n');
    await scheduled;
    manual.advance(99);
    expect(changes).toBe(0);
    manual.advance(1);

    expect(changes).toBe(1);
  });

  it('stops calling back once closed, even with a change pending', async () => {
    const dir = await tempDir();
    const manual = manualClock();
    let changes = 0;
    const watcher = watchKnowledgeDir({ dir, debounceMs: 100, clock: manual.clock, onChange: () => changes++, onError: (error) => { throw error; } });

    const scheduled = manual.nextScheduled();
    await writeFile(path.join(dir, 'returns.md'), '# Returns\n');
    await scheduled;
    watcher.close();
    watcher.close();
    const seen = sentinelEvent(dir);
    await writeFile(path.join(dir, 'warranty.md'), '# Warranty\n');
    await seen;
    manual.advance(1000);

    expect(manual.pendingTimers()).toBe(0);
    expect(changes).toBe(0);
  });
});
