import { describe, expect, it } from 'vitest';
import { extractObjects } from '@/server/sync/core/results-position';
import { loadExchanges } from './helpers/recorded';

describe('resultsPosition _root', () => {
  it('takes a body that is a list as the objects', () => {
    expect(extractObjects([{ id: 1 }, { id: 2 }], '_root')).toEqual({
      ok: true,
      objects: [{ id: 1 }, { id: 2 }],
      position: '_root',
    });
  });

  it('takes a single object as one object', () => {
    expect(extractObjects({ id: 1 }, '_root')).toMatchObject({ ok: true, objects: [{ id: 1 }] });
  });

  it('accepts an empty list as a page without objects', () => {
    expect(extractObjects([], '_root')).toMatchObject({ ok: true, objects: [] });
  });
});

describe('resultsPosition _object', () => {
  it('takes the whole body as one object', () => {
    expect(extractObjects({ id: 1, items: [1] }, '_object')).toMatchObject({
      ok: true,
      objects: [{ id: 1, items: [1] }],
    });
  });

  it('refuses a list', () => {
    expect(extractObjects([{ id: 1 }], '_object')).toMatchObject({ ok: false, problem: 'not-a-list' });
  });
});

describe('resultsPosition as a dot path', () => {
  it('reads the list at the path', () => {
    const body = { data: { items: [{ id: 'a' }] } };
    expect(extractObjects(body, 'data.items')).toMatchObject({ ok: true, objects: [{ id: 'a' }] });
  });

  it('is an error, not an empty list, when the path is missing', () => {
    const result = extractObjects({ data: { things: [] } }, 'data.items');
    expect(result).toMatchObject({ ok: false, problem: 'missing-path' });
    if (!result.ok) expect(result.reason).toContain('data.items');
  });

  it('is an error when the path holds null or text', () => {
    expect(extractObjects({ items: null }, 'items')).toMatchObject({ ok: false, problem: 'not-a-list' });
    expect(extractObjects({ items: 'none' }, 'items')).toMatchObject({ ok: false, problem: 'not-a-list' });
  });

  it('reads XML-converted bodies, where one repeated element is an object and two are a list', () => {
    const [page1, page2] = loadExchanges('xml-catalog');
    expect(extractObjects(page1?.response.body, 'catalog.book')).toMatchObject({
      ok: true,
      objects: { length: 2 },
    });
    const single = extractObjects(page2?.response.body, 'catalog.book');
    expect(single).toMatchObject({ ok: true, objects: [{ '@attributes': { id: 'bk103' } }] });
  });
});

describe('an XML answer without the configured element', () => {
  const xml = { xml: true };
  it('is an empty page when the element that would hold the objects is empty, or holds only attributes', () => {
    const empty = { ok: true, objects: [], position: 'catalog.book' };
    expect(extractObjects({ catalog: '' }, 'catalog.book', xml)).toEqual(empty);
    expect(extractObjects({ catalog: { '@attributes': { page: '3' } } }, 'catalog.book', xml)).toEqual(empty);
  });

  it('fails when that element holds anything else, is missing, or is the document itself', () => {
    const missing = { ok: false, problem: 'missing-path' };
    const error = { catalog: { error: 'Session expired' } };
    expect(extractObjects(error, 'catalog.book', xml)).toMatchObject(missing);
    expect(extractObjects({ catalog: { '#text': 'Session expired' } }, 'catalog.book', xml)).toMatchObject(
      missing,
    );
    expect(extractObjects({ html: '' }, 'catalog.book', xml)).toMatchObject(missing);
    expect(extractObjects({ catalog: '' }, 'book', xml)).toMatchObject(missing);
  });

  it('fails in JSON, which can say an empty list', () => {
    expect(extractObjects({ catalog: {} }, 'catalog.book')).toMatchObject({
      ok: false,
      problem: 'missing-path',
    });
  });
});

describe('resultsPosition auto-detection', () => {
  it.each(['items', 'results', 'result', 'data', 'records', 'value', 'entries', 'objects'])(
    'finds a list under "%s"',
    (key) => {
      expect(extractObjects({ meta: {}, [key]: [{ id: 1 }] }, null)).toMatchObject({
        ok: true,
        objects: [{ id: 1 }],
        position: key,
      });
    },
  );

  it('prefers the first usual key that holds a list', () => {
    expect(extractObjects({ data: { id: 1 }, results: [{ id: 2 }] }, undefined)).toMatchObject({
      position: 'results',
    });
  });

  it('finds the single list under HAL _embedded', () => {
    const [first] = loadExchanges('hal-relative-next');
    expect(extractObjects(first?.response.body, '')).toMatchObject({
      ok: true,
      position: '_embedded.zaken',
      objects: { length: 2 },
    });
  });

  it('takes a list body as the objects', () => {
    expect(extractObjects([{ id: 1 }], undefined)).toMatchObject({ ok: true, position: '_root' });
  });

  it('is an error when no list is found, naming the keys it saw', () => {
    const result = extractObjects({ status: 'ok', payload: [{ id: 1 }] }, undefined);
    expect(result).toMatchObject({ ok: false, problem: 'not-found' });
    if (!result.ok) expect(result.reason).toContain('payload');
  });
});

describe('bodies that hold no objects at all', () => {
  it.each([undefined, null, '', '   '])('an empty body (%j) is an error', (body) => {
    expect(extractObjects(body, '_root')).toMatchObject({ ok: false, problem: 'empty-body' });
  });

  it('a body that is text (an HTML error page) is an error', () => {
    expect(extractObjects('<html>Gateway timeout</html>', undefined)).toMatchObject({
      ok: false,
      problem: 'not-structured',
    });
  });

  it('a number body is an error', () => {
    expect(extractObjects(42, 'items')).toMatchObject({ ok: false, problem: 'not-structured' });
  });
});
