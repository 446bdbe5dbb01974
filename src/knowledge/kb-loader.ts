// Reads the markdown knowledge base and cuts it into passages by heading, each citing its file and anchor.
// It never indexes, searches or watches; reading files is its only I/O.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { err, ok, type Result } from '../shared/result.ts';

export type KbPassage = {
  /** The citation, `<file>#<anchor>`; unique within a knowledge base. */
  source: string;
  /** Path relative to the knowledge base directory, with forward slashes (`returns.md`). */
  file: string;
  /** GitHub-style heading slug (`final-sale`); a passage before any heading has the anchor `top`. */
  anchor: string;
  /** Heading path joined with ` › ` (`Returns › Final sale`). */
  title: string;
  headings: readonly string[];
  /** The passage body as plain, speakable text: one paragraph or list item per line. */
  text: string;
};

export type KbLoadError = { code: 'kb_dir_unreadable' | 'kb_file_unreadable'; path: string; cause: unknown };

export const TITLE_SEPARATOR = ' › ';

const HEADING = /^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^[ \t]{0,3}(```|~~~)/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+/;
const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;

/** Cuts one markdown document into passages, one per heading that has body text under it. */
export function chunkMarkdown(file: string, markdown: string): KbPassage[] {
  const lines = markdown.replace(FRONT_MATTER, '').replace(HTML_COMMENT, '').split(/\r?\n/);
  const passages: KbPassage[] = [];
  const slugCounts = new Map<string, number>();
  let stack: Array<{ level: number; text: string }> = [];
  let anchor = 'top';
  let body: string[] = [];
  let isInFence = false;

  const flush = (): void => {
    const text = toSpeakableText(body);
    body = [];
    if (text === '') return;
    // Text before the first heading takes the anchor `top`, so a later heading of that name becomes `top-1`.
    if (stack.length === 0) slugCounts.set('top', 1);
    const headings = stack.length > 0 ? stack.map((entry) => entry.text) : [titleFromFileName(file)];
    passages.push({ source: `${file}#${anchor}`, file, anchor, title: headings.join(TITLE_SEPARATOR), headings, text });
  };

  for (const line of lines) {
    if (FENCE.test(line)) isInFence = !isInFence;
    const heading = isInFence ? null : HEADING.exec(line);
    if (!heading) {
      body.push(line);
      continue;
    }
    flush();
    const level = heading[1]?.length ?? 1;
    const text = stripInlineMarkdown(heading[2] ?? '');
    stack = [...stack.filter((entry) => entry.level < level), { level, text }];
    anchor = uniqueSlug(slugify(text), slugCounts);
  }
  flush();
  return passages;
}

/** Reads every `.md` file under `dir` (recursively, in path order) and chunks it. */
export async function loadKnowledgeDir(dir: string): Promise<Result<KbPassage[], KbLoadError>> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (cause) {
    return err({ code: 'kb_dir_unreadable', path: dir, cause });
  }
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.name.startsWith('.'))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  const passages: KbPassage[] = [];
  for (const file of files) {
    let markdown: string;
    try {
      markdown = await readFile(path.join(dir, file), 'utf8');
    } catch (cause) {
      // An editor's atomic save can remove a file between listing and reading; a vanished file is simply gone.
      if (isMissingFile(cause)) continue;
      return err({ code: 'kb_file_unreadable', path: file, cause });
    }
    passages.push(...chunkMarkdown(file, markdown));
  }
  return ok(passages);
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

function uniqueSlug(slug: string, counts: Map<string, number>): string {
  const base = slug === '' ? 'section' : slug;
  const seen = counts.get(base) ?? 0;
  counts.set(base, seen + 1);
  return seen === 0 ? base : `${base}-${seen}`;
}

function titleFromFileName(file: string): string {
  const name = path.posix.basename(file, '.md').replace(/[-_]+/g, ' ').trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Joins hard-wrapped lines into one line per paragraph or list item and drops markdown syntax. */
function toSpeakableText(lines: readonly string[]): string {
  const blocks: string[] = [];
  let current: string | null = null;
  for (const raw of lines) {
    if (FENCE.test(raw)) continue;
    const line = raw.replace(/^[ \t]*>[ \t]?/, '');
    if (line.trim() === '') {
      if (current !== null) blocks.push(current);
      current = null;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      if (current !== null) blocks.push(current);
      current = stripInlineMarkdown(line.replace(LIST_ITEM, ''));
      continue;
    }
    const text = stripInlineMarkdown(line);
    current = current === null ? text : `${current} ${text}`;
  }
  if (current !== null) blocks.push(current);
  return blocks.filter((block) => block !== '').join('\n');
}

function stripInlineMarkdown(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?!\s)([^*]+?)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function isMissingFile(cause: unknown): boolean {
  return cause instanceof Error && 'code' in cause && cause.code === 'ENOENT';
}
