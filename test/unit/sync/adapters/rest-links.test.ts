// anchorLinks: after a redirect, relative Link-header and body next links are made absolute against
// the URL that answered; without a redirect, or for strategies without links, the page is untouched.
import { describe, expect, it } from 'vitest';
import { anchorLinks } from '@/server/sync/sources/rest-links';

const asked = 'https://api.example.test/old';
const answered = 'https://api.example.test/v2/list?q=1';

describe('anchorLinks', () => {
  it('leaves a page that was not redirected alone', () => {
    const page = { headers: { link: '<p2>; rel="next"' }, body: { next: 'p2' } };
    expect(anchorLinks(page, asked, asked, { kind: 'auto' })).toBe(page);
  });

  it('anchors Link header URLs and the usual body links', () => {
    const objects = [{ id: 1 }];
    const page = {
      headers: { link: '<p2>; rel="next", <https://elsewhere.test/x>; rel="last"' },
      body: { items: objects, _links: { next: { href: '?page=2' } }, '@odata.nextLink': 'p3' },
    };
    const anchored = anchorLinks(page, asked, answered, { kind: 'auto' });
    expect(anchored.headers['link']).toBe(
      '<https://api.example.test/v2/p2>; rel="next", <https://elsewhere.test/x>; rel="last"',
    );
    expect(anchored.body).toEqual({
      items: objects,
      _links: { next: { href: 'https://api.example.test/v2/list?page=2' } },
      '@odata.nextLink': 'https://api.example.test/v2/p3',
    });
    // Only the path to the link is copied: the listed objects are the same ones.
    expect((anchored.body as { items: unknown }).items).toBe(objects);
    expect(page.body._links.next.href).toBe('?page=2');
  });

  it('anchors only the configured next-link path', () => {
    const page = { headers: {}, body: { paging: { after: 'p2' }, next: 'not-this' } };
    const anchored = anchorLinks(page, asked, answered, { kind: 'next-link', path: 'paging.after' });
    expect(anchored.body).toEqual({ paging: { after: 'https://api.example.test/v2/p2' }, next: 'not-this' });
  });

  it('does not touch bodies when the strategy reads no links from them', () => {
    const page = { headers: {}, body: { next: 'p2' } };
    const anchored = anchorLinks(page, asked, answered, { kind: 'cursor', tokenPath: 'next', param: 'c' });
    expect(anchored.body).toBe(page.body);
  });
});
