// The run's in-memory index of listed ids (server/sync/stores/id-index.ts): what it answers decides
// which ids are confirmed as duplicates and which contracts deletion planning spares, so it must never
// forget an id, and must tell the page an id was listed on, or say it cannot.
import { describe, expect, it } from 'vitest';
import { ANY_PAGE, IdIndex } from '@/server/sync/stores/id-index';

const ids = (n: number, prefix = 'id-') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('the index of listed ids', () => {
  it('knows every id it was given, with its pages, through growing', () => {
    const index = new IdIndex();
    const all = ids(20_000);
    all.forEach((id, i) => index.add(id, Math.floor(i / 500)));
    index.add('id-7', 3); // listed again on another page
    expect(index.slots).toBeGreaterThan(20_000);
    for (const [i, id] of all.entries()) {
      expect(index.has(id)).toBe(true);
      expect(index.pagesOf(id)).toContain(Math.floor(i / 500));
    }
    expect(index.pagesOf('id-7').sort()).toEqual([0, 3]);
  });

  it('says no for ids it was not given (44 bits of hash: no false yes among 100,000)', () => {
    const index = new IdIndex();
    for (const id of ids(100_000)) index.add(id, 1);
    const strangers = ids(100_000, 'other-').filter((id) => index.has(id));
    expect(strangers).toEqual([]);
  });

  it("tells an id's other pages, and nothing (no array) for an id on no other page", () => {
    const index = new IdIndex();
    index.add('a', 1);
    index.add('b', 1);
    index.add('b', 4);
    index.add('far', 2 ** 20 + 5);
    expect(index.otherPages('a', 1)).toBeNull();
    expect(index.otherPages('a', 2)).toEqual([1]);
    expect(index.otherPages('b', 1)).toEqual([4]);
    expect(index.otherPages('b', 4)).toEqual([1]);
    expect(index.otherPages('never', 1)).toBeNull();
    // "Some page" is never taken for the asking page: the caller looks for it on every other one.
    expect(index.otherPages('far', 2 ** 20 + 5)).toEqual([ANY_PAGE]);
  });

  it('records an id twice on one page once', () => {
    const index = new IdIndex();
    index.add('a', 5);
    index.add('a', 5);
    expect(index.pagesOf('a')).toEqual([5]);
  });

  it('starts small, and grows to the size it is told to expect in one step, then no further for as many', () => {
    const sized = new IdIndex(1_000_000);
    const small = sized.slots;
    expect(small).toBeLessThan(2_000);
    for (const id of ids(small)) sized.add(id, 0);
    const grown = sized.slots;
    expect(grown).toBeGreaterThanOrEqual(1_000_000 / 0.6);
    for (const id of ids(200_000, 'more-')) sized.add(id, 0);
    expect(sized.slots).toBe(grown);
    // Without a size to expect, it doubles.
    const plain = new IdIndex();
    for (const id of ids(small)) plain.add(id, 0);
    expect(plain.slots).toBe(small * 2);
  });

  it('answers "some page" for pages past its range, never a wrong page', () => {
    const index = new IdIndex();
    index.add('far', 2 ** 20 + 5);
    index.add('edge', 2 ** 20 - 3); // the last page it tells exactly
    expect(index.pagesOf('far')).toEqual([ANY_PAGE]);
    expect(index.pagesOf('edge')).toEqual([2 ** 20 - 3]);
    expect(index.has('far')).toBe(true);
  });
});
