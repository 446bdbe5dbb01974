import { describe, expect, it } from 'vitest';
import { paginate, type Ordering } from '../../../src/twins/gorgias/cursor-pagination.ts';

type Item = { id: number; createdAt: number };
const byCreated = (direction: 'asc' | 'desc'): Ordering<Item> => ({ keys: [{ value: (item) => item.createdAt, direction }], idOf: (item) => item.id });

function walk(items: Item[], ordering: Ordering<Item>, limit: number, onPage: (pageIndex: number) => void = () => {}): number[] {
  const seen: number[] = [];
  let cursor: string | undefined;
  for (let pageIndex = 0; pageIndex < 100; pageIndex += 1) {
    const result = paginate({ items, ordering, limit, cursor, signature: 'list' });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    seen.push(...result.value.page.map((item) => item.id));
    onPage(pageIndex);
    if (result.value.meta.next_cursor === null) return seen;
    cursor = result.value.meta.next_cursor;
  }
  throw new Error('pagination did not end');
}

describe('paginate', () => {
  it('walks every item exactly once, ties broken by id', () => {
    const items = Array.from({ length: 10 }, (_, index) => ({ id: index + 1, createdAt: Math.floor(index / 4) }));
    expect(walk(items, byCreated('desc'), 3)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(walk(items, byCreated('asc'), 4)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('neither repeats nor skips when items are created between pages', () => {
    const items = Array.from({ length: 6 }, (_, index) => ({ id: index + 1, createdAt: index }));
    const seen = walk(items, byCreated('asc'), 2, (pageIndex) => {
      if (pageIndex === 0) items.push({ id: 7, createdAt: 100 });
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('gives a null prev_cursor on the first page and a prev_cursor that walks back', () => {
    const items = Array.from({ length: 5 }, (_, index) => ({ id: index + 1, createdAt: index }));
    const first = paginate({ items, ordering: byCreated('asc'), limit: 2, cursor: undefined, signature: 'list' });
    if (!first.ok) throw new Error('first page failed');
    expect(first.value.meta.prev_cursor).toBeNull();
    const second = paginate({ items, ordering: byCreated('asc'), limit: 2, cursor: first.value.meta.next_cursor ?? '', signature: 'list' });
    if (!second.ok) throw new Error('second page failed');
    expect(second.value.page.map((item) => item.id)).toEqual([3, 4]);
    const back = paginate({ items, ordering: byCreated('asc'), limit: 2, cursor: second.value.meta.prev_cursor ?? '', signature: 'list' });
    if (!back.ok) throw new Error('back page failed');
    expect(back.value.page.map((item) => item.id)).toEqual([1, 2]);
    expect(back.value.meta.prev_cursor).toBeNull();
    expect(back.value.meta.total_resources).toBeNull();
  });

  it.each([['garbage'], ['eyJ2IjoxfQ'], ['']])('refuses the cursor %j', (cursor) => {
    const result = paginate({ items: [], ordering: byCreated('asc'), limit: 2, cursor, signature: 'list' });
    expect(result).toEqual({ ok: false, error: { cursor: ['Invalid cursor.'] } });
  });

  it('refuses a cursor issued for another query', () => {
    const items = Array.from({ length: 3 }, (_, index) => ({ id: index + 1, createdAt: index }));
    const first = paginate({ items, ordering: byCreated('asc'), limit: 1, cursor: undefined, signature: 'tickets|external_id=a' });
    if (!first.ok) throw new Error('first page failed');
    const other = paginate({ items, ordering: byCreated('asc'), limit: 1, cursor: first.value.meta.next_cursor ?? '', signature: 'tickets|external_id=b' });
    expect(other.ok).toBe(false);
  });
});
