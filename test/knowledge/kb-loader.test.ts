import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { chunkMarkdown, loadKnowledgeDir, slugify } from '../../src/knowledge/kb-loader.ts';

const RETURNS = `<!-- Sample returns page. -->
# Returns

We want you to **love** your gear.

## Return window

You have 30 days from delivery
to start a return.

## Final sale

Final sale items can't be returned. See [the list](https://example.com/final-sale).

### Gift cards

- Gift cards never expire.
- Gift cards can't be returned
  for cash.

## Exchanges

## Final sale

Duplicate heading, second section.

\`\`\`text
# Not a heading inside a fence
\`\`\`
`;

describe('chunkMarkdown', () => {
  const passages = chunkMarkdown('returns.md', RETURNS);

  it('makes one passage per heading that has body text, keeping the heading path as the title', () => {
    expect(passages.map((passage) => passage.title)).toEqual([
      'Returns',
      'Returns › Return window',
      'Returns › Final sale',
      'Returns › Final sale › Gift cards',
      'Returns › Final sale',
    ]);
  });

  it('cites each passage by file and GitHub-style anchor, numbering repeated headings', () => {
    expect(passages.map((passage) => passage.source)).toEqual([
      'returns.md#returns',
      'returns.md#return-window',
      'returns.md#final-sale',
      'returns.md#gift-cards',
      'returns.md#final-sale-1',
    ]);
  });

  it('joins hard-wrapped lines, keeps list items on their own lines and drops markdown syntax', () => {
    expect(passages[1]?.text).toBe('You have 30 days from delivery to start a return.');
    expect(passages[2]?.text).toBe("Final sale items can't be returned. See the list.");
    expect(passages[3]?.text).toBe("Gift cards never expire.\nGift cards can't be returned for cash.");
    expect(passages[0]?.text).toBe('We want you to love your gear.');
  });

  it('ignores headings inside code fences and html comments', () => {
    expect(passages[4]?.text).toBe('Duplicate heading, second section.\n# Not a heading inside a fence');
    expect(passages.some((passage) => passage.text.includes('Sample returns page'))).toBe(false);
  });

  it('titles text before the first heading after the file name', () => {
    expect(chunkMarkdown('contact-hours.md', 'Call us any time.\n')).toEqual([
      expect.objectContaining({ title: 'Contact hours', anchor: 'top', source: 'contact-hours.md#top' }),
    ]);
  });

  it('keeps citations unique when a heading is named like the text before the first heading', () => {
    const sources = chunkMarkdown('faq.md', 'Intro.\n\n# Top\n\nMost asked.\n').map((passage) => passage.source);

    expect(sources).toEqual(['faq.md#top', 'faq.md#top-1']);
  });
});

describe('slugify', () => {
  it.each([
    ['Final sale', 'final-sale'],
    ["Kids' sizes", 'kids-sizes'],
    ['Payments, promotions and gift cards', 'payments-promotions-and-gift-cards'],
    ['Return window (30 days)', 'return-window-30-days'],
  ])('turns %j into %j', (heading, slug) => {
    expect(slugify(heading)).toBe(slug);
  });
});

describe('loadKnowledgeDir', () => {
  it('reads markdown files recursively in path order, citing paths relative to the directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kb-loader-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await mkdir(path.join(dir, 'policies'));
    await writeFile(path.join(dir, 'shipping.md'), '# Shipping\n\nWe ship with UPS.\n');
    await writeFile(path.join(dir, 'policies', 'returns.md'), '# Returns\n\n30 days.\n');
    await writeFile(path.join(dir, 'notes.txt'), 'not markdown');

    const loaded = await loadKnowledgeDir(dir);

    expect(loaded.ok && loaded.value.map((passage) => passage.source)).toEqual(['policies/returns.md#returns', 'shipping.md#shipping']);
  });

  it('returns an error value for a directory that does not exist', async () => {
    const loaded = await loadKnowledgeDir(path.join(tmpdir(), 'kb-loader-missing-dir-does-not-exist'));

    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.error.code).toBe('kb_dir_unreadable');
  });
});
