// A listing that ends short of what the source announced (a total, a last page, a header's count) is
// incomplete, never a complete listing that would delete what the missing pages held.
import { describe, expect, it } from 'vitest';
import { describeListingProblem } from '@/server/sync/core/pagination';
import { json, sequenceFetch } from '../helpers/recorded';
import { collect } from './collect';

const api = 'https://api.example.test';

describe('an empty page before the total the source announced', () => {
  const page = (ids: number[], total?: number) =>
    json({ items: ids.map((id) => ({ id })), ...(total === undefined ? {} : { total }) });
  const config = { url: `${api}/x`, resultsPosition: 'items', pagination: { kind: 'page-number' } } as const;

  it('ends the listing incomplete when a page or more is missing (nothing is deleted after it)', async () => {
    const { fetch } = sequenceFetch([page([1, 2], 6), page([])]);
    const result = await collect(config, fetch);
    expect(result.outcome).toEqual({
      complete: false,
      pages: 2,
      problem: { kind: 'ended-short', page: 2, listed: 2, announced: 6 },
    });
    if (result.outcome.complete) throw new Error('the listing should not be complete');
    expect(describeListingProblem(result.outcome.problem)).toBe(
      'Page 2 was empty though the source announced 6 objects and 2 were listed; the source may have answered that page empty by mistake',
    );
  });

  it('is complete when less than a page is missing (a total a little off) or no total was announced', async () => {
    const offByOne = sequenceFetch([page([1, 2], 7), page([3, 4], 7), page([5, 6], 7), page([])]);
    expect((await collect(config, offByOne.fetch)).outcome).toEqual({ complete: true, pages: 4 });
    const none = sequenceFetch([page([1, 2]), page([])]);
    expect((await collect(config, none.fetch)).outcome).toEqual({ complete: true, pages: 2 });
  });
});

describe('an empty page before the last page the source announced', () => {
  const page = (ids: number[], totalPages: number) =>
    json({ items: ids.map((id) => ({ id })), meta: { totalPages } });
  const config = { url: `${api}/x`, resultsPosition: 'items', pagination: { kind: 'page-number' } } as const;

  it('ends the listing incomplete, naming the pages announced', async () => {
    const { fetch } = sequenceFetch([page([1, 2], 3), page([], 3)]);
    const result = await collect(config, fetch);
    expect(result.outcome).toEqual({
      complete: false,
      pages: 2,
      problem: { kind: 'ended-short', page: 2, listed: 2, announcedPages: 3 },
    });
    if (result.outcome.complete) throw new Error('the listing should not be complete');
    expect(describeListingProblem(result.outcome.problem)).toBe(
      'Page 2 was empty though the source announced 3 pages and 2 objects were listed on the pages before it; the source may have answered that page empty by mistake',
    );
  });

  it('is complete when the empty page is the last one announced', async () => {
    const { fetch } = sequenceFetch([page([1, 2], 2), page([], 2)]);
    expect((await collect(config, fetch)).outcome).toEqual({ complete: true, pages: 2 });
  });
});

describe('a last page short of the total its header states', () => {
  const config = { url: `${api}/x`, resultsPosition: 'items', pagination: { kind: 'link-header' } } as const;
  const page = (ids: number[], headers: Record<string, string>) =>
    json({ items: ids.map((id) => ({ id })) }, headers);
  const next = (n: number) => ({ link: `<${api}/x?page=${n}>; rel="next"` });

  it('ends the listing incomplete when a page or more was never read', async () => {
    const { fetch } = sequenceFetch([
      page([1, 2], { 'x-total-count': '6', ...next(2) }),
      page([3, 4], { 'x-total-count': '6' }),
    ]);
    const result = await collect(config, fetch);
    expect(result.outcome).toEqual({
      complete: false,
      pages: 2,
      problem: { kind: 'short-of-total', page: 2, listed: 4, announced: 6 },
    });
  });

  it('is complete when less than a page is missing, or only a body states a total', async () => {
    const offByOne = sequenceFetch([
      page([1, 2], { 'x-total-count': '5', ...next(2) }),
      page([3, 4], { 'x-total-count': '5' }),
    ]);
    expect((await collect(config, offByOne.fetch)).outcome).toEqual({ complete: true, pages: 2 });
    const body = sequenceFetch([json({ items: [{ id: 1 }, { id: 2 }], total: 1234 })]);
    expect((await collect(config, body.fetch)).outcome).toEqual({ complete: true, pages: 1 });
  });
});
