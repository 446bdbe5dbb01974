import { mkdtemp, rename, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openKnowledgeBase, type KnowledgeBase, type KnowledgeReload } from '../../src/knowledge/knowledge-base.ts';
import { captureLog } from '../support/log-capture.ts';

async function tempKnowledgeDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kb-live-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  for (const [name, markdown] of Object.entries(files)) await writeFile(path.join(dir, name), markdown);
  return dir;
}

/** Writes elsewhere, then renames into place, as editors save: the watcher never sees a half-written file. */
async function saveAtomically(dir: string, name: string, markdown: string): Promise<void> {
  const staging = await mkdtemp(path.join(tmpdir(), 'kb-staging-'));
  onTestFinished(() => rm(staging, { recursive: true, force: true }));
  await writeFile(path.join(staging, name), markdown);
  await rename(path.join(staging, name), path.join(dir, name));
}

function nextReload(knowledgeBase: KnowledgeBase): Promise<KnowledgeReload> {
  return new Promise((resolve) => {
    const stop = knowledgeBase.onReload((reload) => {
      stop();
      resolve(reload);
    });
  });
}

const RETURNS = '# Returns\n\n## Return window\n\nYou have 30 days from delivery to start a return.\n';
const WARRANTY = '# Warranty\n\n## Repairs\n\nWe repair broken zippers for free.\n';

describe('openKnowledgeBase', () => {
  it('answers searches from the files in its directory', async () => {
    const captured = captureLog();
    const dir = await tempKnowledgeDir({ 'returns.md': RETURNS });
    const knowledgeBase = await openKnowledgeBase({ dir, log: captured.log, isWatching: false });
    onTestFinished(() => knowledgeBase.close());

    expect(knowledgeBase.searchKnowledge('how long do I have to send it back')[0]?.source).toBe('returns.md#return-window');
    expect(knowledgeBase.passageCount()).toBe(1);
    expect(captured.events('knowledge.loaded')).toEqual([expect.objectContaining({ passageCount: 1, fileCount: 1 })]);
    expect(captured.problems()).toEqual([]);
  });

  it('reloads on its own after a file is added, and serves the new passage', async () => {
    const captured = captureLog();
    const dir = await tempKnowledgeDir({ 'returns.md': RETURNS });
    const knowledgeBase = await openKnowledgeBase({ dir, log: captured.log, debounceMs: 20 });
    onTestFinished(() => knowledgeBase.close());
    expect(knowledgeBase.searchKnowledge('my zipper broke')).toEqual([]);

    const reloaded = nextReload(knowledgeBase);
    await saveAtomically(dir, 'warranty.md', WARRANTY);

    expect(await reloaded).toEqual({ ok: true, passageCount: 2, fileCount: 2 });
    expect(knowledgeBase.searchKnowledge('my zipper broke')[0]?.source).toBe('warranty.md#repairs');
    expect(captured.events('knowledge.reloaded').length).toBeGreaterThan(0);
    expect(captured.problems()).toEqual([]);
  });

  it('reloads on its own after a file is edited, and serves the edited text', async () => {
    const captured = captureLog();
    const dir = await tempKnowledgeDir({ 'returns.md': RETURNS });
    const knowledgeBase = await openKnowledgeBase({ dir, log: captured.log, debounceMs: 20 });
    onTestFinished(() => knowledgeBase.close());

    const reloaded = nextReload(knowledgeBase);
    await saveAtomically(dir, 'returns.md', RETURNS.replace('30 days', '45 days'));

    expect(await reloaded).toMatchObject({ ok: true, passageCount: 1 });
    expect(knowledgeBase.searchKnowledge('return window')[0]?.text).toBe('You have 45 days from delivery to start a return.');
    expect(captured.problems()).toEqual([]);
  });

  it('drops the passages of a deleted file on reload', async () => {
    const captured = captureLog();
    const dir = await tempKnowledgeDir({ 'returns.md': RETURNS, 'warranty.md': WARRANTY });
    const knowledgeBase = await openKnowledgeBase({ dir, log: captured.log, isWatching: false });
    onTestFinished(() => knowledgeBase.close());

    await unlink(path.join(dir, 'warranty.md'));

    expect(await knowledgeBase.reload()).toEqual({ ok: true, passageCount: 1, fileCount: 1 });
    expect(knowledgeBase.searchKnowledge('broken zipper repair')).toEqual([]);
  });

  it('keeps serving the last good index when a reload fails', async () => {
    const captured = captureLog();
    const dir = await tempKnowledgeDir({ 'returns.md': RETURNS });
    const knowledgeBase = await openKnowledgeBase({ dir, log: captured.log, isWatching: false });
    onTestFinished(() => knowledgeBase.close());

    await rm(dir, { recursive: true, force: true });
    const reload = await knowledgeBase.reload();

    expect(reload.ok).toBe(false);
    expect(!reload.ok && reload.error.code).toBe('kb_dir_unreadable');
    expect(knowledgeBase.searchKnowledge('return window')[0]?.source).toBe('returns.md#return-window');
    expect(captured.problems().map((line) => line.msg)).toEqual(['knowledge.reload.failed']);
  });

  it('throws at start-up when the directory cannot be read', async () => {
    const captured = captureLog();
    const dir = path.join(tmpdir(), 'kb-live-missing-dir-does-not-exist');

    await expect(openKnowledgeBase({ dir, log: captured.log })).rejects.toThrow(/KB_DIR .*kb_dir_unreadable/);
  });

  it('can be closed twice', async () => {
    const captured = captureLog();
    const dir = await tempKnowledgeDir({ 'returns.md': RETURNS });
    const knowledgeBase = await openKnowledgeBase({ dir, log: captured.log });

    knowledgeBase.close();
    knowledgeBase.close();

    expect(knowledgeBase.searchKnowledge('return window')).toHaveLength(1);
  });
});
