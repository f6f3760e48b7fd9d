// A page-number API that clamps a number past its last page to that page: the second repeat in a row,
// after the parameter visibly worked, ends a complete listing; any other repeat still stops it.
import { describe, expect, it } from 'vitest';
import { listingConfigSchema, listPages, type ListingCursor } from '@/server/sync/core/pagination';
import { json, sequenceFetch } from '../helpers/recorded';
import { collect } from './collect';

const api = 'https://api.example.test';
const pageNumber = { url: `${api}/x`, pagination: { kind: 'page-number' as const } };
const page1 = json([{ id: 1 }, { id: 2 }]);
const page2 = json([{ id: 3 }, { id: 4 }]);
const page3 = json([{ id: 5 }]);

describe('a page-number API that answers numbers past its last page with that page', () => {
  it('is complete at its last page, each object listed once, after asking one number more', async () => {
    const { fetch, requested } = sequenceFetch([page1, page2, page3, page3, page3, page3]);
    const result = await collect(pageNumber, fetch);
    expect(requested.map((u) => new URL(u).searchParams.get('page'))).toEqual(['1', '2', '3', '4', '5']);
    expect(result.ids).toEqual([1, 2, 3, 4, 5]);
    expect(result.outcome).toEqual({ complete: true, pages: 3, repeatedLast: true });
  });

  it('a page repeated once in the middle is read past: the listing goes on, the repeat counts for nothing', async () => {
    const page4 = json([{ id: 6 }]);
    const { fetch } = sequenceFetch([page1, page2, page2, page3, page4, json([])]);
    const result = await collect(pageNumber, fetch);
    expect(result.ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.outcome).toMatchObject({ complete: true });
    expect(result.outcome).not.toHaveProperty('repeatedLast');
  });

  it('a repeat at page 2 still stops the listing: the parameter may be ignored, the other pages unread', async () => {
    const { fetch, requested } = sequenceFetch([page1, page1, page1, page1]);
    const result = await collect(pageNumber, fetch);
    expect(requested).toHaveLength(2);
    expect(result.outcome).toMatchObject({ complete: false, problem: { kind: 'identical-page', page: 2 } });
  });

  it('a repeat under another paging (next links) still stops the listing', async () => {
    const linked = (ids: number[], next: number) =>
      json({ items: ids.map((id) => ({ id })), next: `/x?p=${next}` });
    const { fetch } = sequenceFetch([
      linked([1], 2),
      linked([2], 3),
      linked([3], 4),
      linked([3], 5),
      linked([3], 6),
    ]);
    const result = await collect(
      { url: `${api}/x`, resultsPosition: 'items', pagination: { kind: 'next-link', path: 'next' } },
      fetch,
    );
    expect(result.outcome).toMatchObject({ complete: false, problem: { kind: 'identical-page', page: 4 } });
  });

  it('a failure when asking the number after the repeat leaves the listing incomplete', async () => {
    const { fetch } = sequenceFetch([page1, page2, page3, page3, { error: 'ECONNRESET' }]);
    const result = await collect(pageNumber, fetch);
    expect(result.outcome).toMatchObject({ complete: false, problem: { kind: 'transport' } });
  });

  it('a listing resumed from the cursor after the last page ends the same way (a durable step per page)', async () => {
    const { fetch } = sequenceFetch([page1, page2, page3]);
    const generator = listPages(listingConfigSchema.parse(pageNumber), fetch);
    let cursor: ListingCursor | null = null;
    for await (const page of generator) if (page.then.kind === 'next') cursor = page.then.cursor;
    expect(cursor?.page).toBe(4);
    const resumed = await collect(pageNumber, sequenceFetch([page3, page3]).fetch, cursor!);
    expect(resumed.pages).toEqual([]);
    expect(resumed.outcome).toEqual({ complete: true, pages: 3, repeatedLast: true });
  });
});
