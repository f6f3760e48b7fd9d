import { describe, expect, it } from 'vitest';
import { json, recordedFetch, sequenceFetch } from '../helpers/recorded';
import { collect } from './collect';

const api = 'https://api.example.test';

describe('RFC 8288 Link header (recorded from json-server 0.17.4)', () => {
  it('follows rel="next" to the end and reports a complete listing', async () => {
    const { fetch, requested } = recordedFetch('json-server-link-header');
    const result = await collect(
      {
        url: 'http://127.0.0.1:38411/posts?_page=1&_limit=2&author_ne=zed',
        pagination: { kind: 'link-header' },
      },
      fetch,
    );
    expect(result.ids).toEqual([1, 2, 3, 4, 5]);
    expect(result.outcome).toEqual({ complete: true, pages: 3 });
    expect(requested).toHaveLength(3);
    expect(result.pages.map((p) => p.number)).toEqual([1, 2, 3]);
  });

  it('is detected automatically', async () => {
    const { fetch } = recordedFetch('json-server-link-header');
    const result = await collect(
      { url: 'http://127.0.0.1:38411/posts?_page=1&_limit=2&author_ne=zed' },
      fetch,
    );
    expect(result.ids).toEqual([1, 2, 3, 4, 5]);
    expect(result.outcome.complete).toBe(true);
  });
});

describe('offset/limit (recorded from json-server 0.17.4)', () => {
  const config = {
    url: 'http://127.0.0.1:38411/posts',
    pagination: { kind: 'offset' as const, offsetParam: '_start', limitParam: '_limit', limit: 2 },
  };

  it('moves the offset by the objects received and stops at X-Total-Count', async () => {
    const { fetch, requested } = recordedFetch('json-server-offset');
    const result = await collect(config, fetch);
    expect(result.ids).toEqual([1, 2, 3, 4, 5]);
    expect(result.outcome).toEqual({ complete: true, pages: 3 });
    expect(requested.map((u) => new URL(u).search)).toEqual([
      '?_start=0&_limit=2',
      '?_start=2&_limit=2',
      '?_start=4&_limit=2',
    ]);
  });

  it('without a total, stops at the first empty page', async () => {
    const { fetch, requested } = sequenceFetch([json([{ id: 1 }, { id: 2 }]), json([{ id: 3 }]), json([])]);
    const result = await collect({ ...config, url: `${api}/things` }, fetch);
    expect(result.ids).toEqual([1, 2, 3]);
    expect(result.outcome).toEqual({ complete: true, pages: 3 });
    // A short page alone does not end the listing: the server may cap the page size.
    expect(requested).toHaveLength(3);
  });

  it('advances by what the server sent when it caps the limit', async () => {
    const { fetch, requested } = sequenceFetch([json([{ id: 1 }]), json([{ id: 2 }]), json([])]);
    await collect({ ...config, url: `${api}/things`, pagination: { kind: 'offset', limit: 100 } }, fetch);
    expect(requested.map((u) => new URL(u).searchParams.get('offset'))).toEqual(['0', '1', '2']);
  });
});

describe('next link in the body', () => {
  it('follows a top-level absolute next (Django REST framework shape)', async () => {
    const { fetch } = recordedFetch('drf-next');
    const result = await collect({ url: `${api}/drf/items/`, pagination: { kind: 'next-link' } }, fetch);
    expect(result.ids).toEqual([1, 2, 3]);
    expect(result.outcome).toEqual({ complete: true, pages: 2 });
  });

  it("resolves a relative _links.next.href and keeps the sync's own query parameters", async () => {
    const { fetch, requested } = recordedFetch('hal-relative-next');
    const result = await collect(
      {
        url: `${api}/v1/zaken?apikey=k1&status=open`,
        pagination: { kind: 'next-link', path: '_links.next.href' },
      },
      fetch,
    );
    expect(result.ids).toEqual(['z1', 'z2', 'z3']);
    expect(result.outcome.complete).toBe(true);
    const second = new URL(requested[1] ?? '');
    expect(second.pathname).toBe('/v1/zaken');
    expect(Object.fromEntries(second.searchParams)).toEqual({ page: '2', apikey: 'k1', status: 'open' });
  });

  it('reads a configured path such as links.next', async () => {
    const { fetch, requested } = sequenceFetch([
      json({ data: [{ id: 1 }], links: { next: '?page=2' } }),
      json({ data: [{ id: 2 }], links: { next: null } }),
    ]);
    const result = await collect(
      { url: `${api}/x?sort=id`, pagination: { kind: 'next-link', path: 'links.next' } },
      fetch,
    );
    expect(result.ids).toEqual([1, 2]);
    expect(requested[1]).toBe(`${api}/x?page=2&sort=id`);
  });

  it('does not let a next link override a parameter it sets itself', async () => {
    const { fetch, requested } = sequenceFetch([
      json({ items: [{ id: 1 }], next: '/x?page=2&limit=5' }),
      json({ items: [] }),
    ]);
    await collect({ url: `${api}/x?page=1&limit=10`, pagination: { kind: 'next-link' } }, fetch);
    expect(Object.fromEntries(new URL(requested[1] ?? '').searchParams)).toEqual({ page: '2', limit: '5' });
  });

  it('is detected automatically, for HAL and for top-level next', async () => {
    const hal = recordedFetch('hal-relative-next');
    expect((await collect({ url: `${api}/v1/zaken?apikey=k1&status=open` }, hal.fetch)).ids).toEqual([
      'z1',
      'z2',
      'z3',
    ]);
    const drf = recordedFetch('drf-next');
    expect((await collect({ url: `${api}/drf/items/` }, drf.fetch)).ids).toEqual([1, 2, 3]);
  });

  it('ends incomplete with an error when the next link is not an http(s) URL', async () => {
    const { fetch } = sequenceFetch([json({ items: [{ id: 1 }], next: 'javascript:alert(1)' })]);
    const result = await collect({ url: `${api}/x`, pagination: { kind: 'next-link' } }, fetch);
    expect(result.outcome).toMatchObject({ complete: false, problem: { kind: 'bad-next-link' } });
  });
});

describe('page numbers', () => {
  it('counts up in paginationQuery and stops at last_page (Laravel shape)', async () => {
    const { fetch, requested } = recordedFetch('laravel-page-number');
    const result = await collect(
      { url: `${api}/laravel/products`, pagination: { kind: 'page-number', param: 'page' } },
      fetch,
    );
    expect(result.ids).toEqual([10, 11, 12]);
    expect(result.outcome).toEqual({ complete: true, pages: 2 });
    expect(requested).toHaveLength(2);
  });

  it('is chosen when paginationQuery is set and nothing more explicit is present', async () => {
    const { fetch, requested } = sequenceFetch([json([{ id: 1 }]), json([{ id: 2 }]), json([])]);
    const result = await collect(
      { url: `${api}/x?q=a`, pagination: { kind: 'auto', paginationQuery: 'p' } },
      fetch,
    );
    expect(result.ids).toEqual([1, 2]);
    expect(result.outcome).toEqual({ complete: true, pages: 3 });
    expect(requested.slice(1).map((u) => new URL(u).search)).toEqual(['?q=a&p=2', '?q=a&p=3']);
  });

  it('is detected from current/last page fields', async () => {
    const { fetch } = recordedFetch('laravel-page-number');
    expect((await collect({ url: `${api}/laravel/products?page=1` }, fetch)).ids).toEqual([10, 11, 12]);
  });

  it('stops when the total of objects is reached, and sends the page size', async () => {
    const { fetch, requested } = sequenceFetch([
      json({ items: [{ id: 1 }, { id: 2 }], total: 3 }),
      json({ items: [{ id: 3 }], total: 3 }),
    ]);
    const result = await collect(
      {
        url: `${api}/x`,
        pagination: { kind: 'page-number', param: 'pg', start: 0, sizeParam: 'size', size: 2 },
      },
      fetch,
    );
    expect(result.outcome).toEqual({ complete: true, pages: 2 });
    expect(requested.map((u) => new URL(u).search)).toEqual(['?pg=0&size=2', '?pg=1&size=2']);
  });

  it('reads totals at a configured path, e.g. an XML attribute', async () => {
    const { fetch, requested } = recordedFetch('xml-catalog');
    const result = await collect(
      {
        url: `${api}/xml/catalog`,
        resultsPosition: 'catalog.book',
        pagination: { kind: 'page-number', totalPath: 'catalog.@attributes.total' },
      },
      fetch,
    );
    expect(
      result.pages.flatMap((p) =>
        p.objects.map((o) => (o as { '@attributes': { id: string } })['@attributes'].id),
      ),
    ).toEqual(['bk101', 'bk102', 'bk103']);
    expect(result.outcome).toEqual({ complete: true, pages: 2 });
    expect(requested).toHaveLength(2);
  });
});

describe('cursor token', () => {
  it('sends the token back until it is empty (Slack shape)', async () => {
    const { fetch, requested } = recordedFetch('slack-cursor');
    const result = await collect(
      {
        url: `${api}/slack/users.list?limit=2`,
        resultsPosition: 'members',
        pagination: { kind: 'cursor', tokenPath: 'response_metadata.next_cursor', param: 'cursor' },
      },
      fetch,
    );
    expect(result.ids).toEqual(['U1', 'U2', 'U3']);
    expect(result.outcome).toEqual({ complete: true, pages: 2 });
    expect(new URL(requested[1] ?? '').searchParams.get('cursor')).toBe('dXNlcjpVMw==');
  });

  it('is detected automatically', async () => {
    const { fetch } = recordedFetch('slack-cursor');
    const result = await collect(
      { url: `${api}/slack/users.list?limit=2`, resultsPosition: 'members' },
      fetch,
    );
    expect(result.ids).toEqual(['U1', 'U2', 'U3']);
  });
});

describe('no pagination', () => {
  it('usesPagination false makes one request even when the body has a next link', async () => {
    const { fetch, requested } = sequenceFetch([json({ items: [{ id: 1 }], next: `${api}/x?page=2` })]);
    const result = await collect({ url: `${api}/x`, pagination: { kind: 'none' } }, fetch);
    expect(result.outcome).toEqual({ complete: true, pages: 1 });
    expect(requested).toHaveLength(1);
  });

  it('_object means one object and no paging', async () => {
    const { fetch, requested } = sequenceFetch([json({ id: 'settings', next: `${api}/other` })]);
    const result = await collect({ url: `${api}/settings`, resultsPosition: '_object' }, fetch);
    expect(result.ids).toEqual(['settings']);
    expect(requested).toHaveLength(1);
  });

  it('auto-detection without any paging signal reads one page', async () => {
    const { fetch, requested } = sequenceFetch([json({ items: [{ id: 1 }], next: null })]);
    expect((await collect({ url: `${api}/x` }, fetch)).outcome).toEqual({ complete: true, pages: 1 });
    expect(requested).toHaveLength(1);
  });
});
