import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKnowledgeIndex, type KnowledgeIndex } from '../../src/knowledge/kb-index.ts';
import { chunkMarkdown, loadKnowledgeDir } from '../../src/knowledge/kb-loader.ts';
import { searchKnowledge } from '../../src/knowledge/kb-search.ts';
import { expandSpokenQuery, stem } from '../../src/knowledge/kb-terms.ts';

const SAMPLE_KB_DIR = path.resolve(import.meta.dirname, '../../prompts/knowledge');

describe('searchKnowledge on the sample knowledge base', () => {
  let index: KnowledgeIndex;
  beforeAll(async () => {
    const loaded = await loadKnowledgeDir(SAMPLE_KB_DIR);
    if (!loaded.ok) throw new Error(`sample knowledge base unreadable: ${loaded.error.code}`);
    index = buildKnowledgeIndex(loaded.value);
  });

  it.each([
    ['how long do I have to send something back', 'returns.md#return-window'],
    ['can I return a final sale item', 'returns.md#final-sale-items'],
    ['when will my refund show up', 'returns.md#refund-timing'],
    ['can I swap it for a different size', 'returns.md#exchanges'],
    ['do you ship to Canada', 'shipping.md#international-shipping'],
    ['when will my order ship', 'shipping.md#when-orders-ship'],
    ['tracking says delivered but my package is not here', 'shipping.md#lost-or-missing-parcels'],
    ['what carrier do you use', 'shipping.md#carriers'],
    ['how do I wash my rain jacket', 'care.md#washing-rain-jackets-and-shells'],
    ['what are your hours', 'contact-hours.md#customer-care-hours'],
    ['when will someone call me back', 'contact-hours.md#callbacks-and-follow-up'],
    ['my zipper broke', 'warranty.md#what-the-warranty-covers'],
    ['can I change my shipping address', 'shipping.md#changing-the-shipping-address'],
    ['how do I cancel my order', 'orders.md#cancelling-an-order'],
    ['do you take PayPal', 'payments.md#payment-methods'],
    ['can I use two promo codes', 'payments.md#promo-codes'],
  ])('answers %j with %s first', (question, source) => {
    const hits = searchKnowledge(index, question);

    expect(hits[0]?.source).toBe(source);
  });

  it.each([
    ["what's your retrn policy", 'returns.md#returns'],
    ['how do I wash my fleese', 'care.md#fleece-and-base-layers'],
    ['is there a warrenty on zippers', 'warranty.md#what-the-warranty-covers'],
  ])('still finds the passage for the misspelt %j', (question, source) => {
    expect(searchKnowledge(index, question).map((hit) => hit.source)).toContain(source);
  });

  it.each([
    "what's the weather in Denver tomorrow",
    'can you recommend a good pizza place',
    'what is the meaning of life',
    'is the stock market up today',
    'who won the game last night',
    'do you sell kayaks',
    'um okay so yeah',
  ])('returns no passage for the off-topic %j', (question) => {
    expect(searchKnowledge(index, question)).toEqual([]);
  });

  it('returns the citation, title, speakable text and a score, best first, at most `limit`', () => {
    const hits = searchKnowledge(index, 'international shipping customs duties', { limit: 2 });

    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(2);
    expect(hits[0]).toEqual({
      source: 'shipping.md#international-shipping',
      title: 'Shipping › International shipping',
      text: expect.stringContaining('5 to 10 business days'),
      score: expect.any(Number),
    });
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('returns nothing for a limit of zero', () => {
    expect(searchKnowledge(index, 'return window', { limit: 0 })).toEqual([]);
  });
});

describe('searchKnowledge on a small index', () => {
  const index = buildKnowledgeIndex([
    ...chunkMarkdown('returns.md', '# Returns\n\n## Final sale\n\nFinal sale items cannot be returned.\n'),
    ...chunkMarkdown('care.md', '# Care\n\n## Fleece\n\nWash fleece cold and hang it to dry.\n'),
  ]);

  it('weighs a word in the heading above the same word in another body', () => {
    const hits = searchKnowledge(index, 'fleece');

    expect(hits.map((hit) => hit.source)).toEqual(['care.md#fleece']);
  });

  it('returns nothing from an empty index', () => {
    expect(searchKnowledge(buildKnowledgeIndex([]), 'returns')).toEqual([]);
  });
});

describe('search terms', () => {
  it.each([
    ['returns', 'return'],
    ['returned', 'return'],
    ['shipping', 'ship'],
    ['shipped', 'ship'],
    ['sizes', 'siz'],
    ['sizing', 'siz'],
    ['policies', 'policy'],
    ['address', 'address'],
    ['business', 'business'],
    ['30', '30'],
  ])('stems %j to %j', (word, term) => {
    expect(stem(word)).toBe(term);
  });

  it.each([
    ['can I send it back', ['return']],
    ['I want my money back', ['refund']],
    ['my package never arrived', ['delivery', 'parcel', 'lost', 'missing']],
    ['what is your return window', []],
  ])('maps the spoken phrasing %j to help-center words %j', (query, words) => {
    expect(expandSpokenQuery(query).map((implied) => implied.word)).toEqual(words);
  });

  it('records which of the caller\'s own terms an implied word stands for', () => {
    expect(expandSpokenQuery('how long do I have to send it back')).toEqual([
      { word: 'return', standsFor: ['send', 'back'] },
      { word: 'days', standsFor: ['long'] },
    ]);
  });
});
