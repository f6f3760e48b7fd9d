import { describe, expect, it } from 'vitest';
import { getPath, lookupPath, parsePath, setPath, unsetPath } from '@/server/sync/core/paths';

const xmlBook = {
  '@attributes': { id: 'bk101', lang: 'en' },
  title: 'Guide',
  price: { '@attributes': { currency: 'EUR' }, '#text': '44.95' },
  authors: { author: [{ name: 'Ann' }, { name: 'Bob' }] },
};

describe('getPath', () => {
  it('reads nested keys, array indices and XML attribute and text keys', () => {
    expect(getPath(xmlBook, '@attributes.id')).toBe('bk101');
    expect(getPath(xmlBook, 'price.#text')).toBe('44.95');
    expect(getPath(xmlBook, 'price.@attributes.currency')).toBe('EUR');
    expect(getPath(xmlBook, 'authors.author.1.name')).toBe('Bob');
    expect(getPath(xmlBook, 'authors.author[0].name')).toBe('Ann');
  });

  it('reads keys with spaces (CSV headers) and escaped dots', () => {
    expect(getPath({ 'First Name': 'Ann' }, 'First Name')).toBe('Ann');
    expect(getPath({ 'file.name': 'a.txt', file: { name: 'wrong' } }, 'file\\.name')).toBe('a.txt');
  });

  it('returns undefined for missing steps, out-of-range indices and non-containers', () => {
    expect(getPath(xmlBook, 'nope.deeper')).toBeUndefined();
    expect(getPath(xmlBook, 'authors.author.5.name')).toBeUndefined();
    expect(getPath(xmlBook, 'title.length')).toBeUndefined();
  });

  it('does not read inherited properties', () => {
    expect(getPath({}, 'toString')).toBeUndefined();
    expect(lookupPath({}, 'constructor').found).toBe(false);
  });

  it('tells a missing value apart from null', () => {
    expect(lookupPath({ a: null }, 'a')).toEqual({ found: true, value: null });
    expect(lookupPath({}, 'a')).toEqual({ found: false });
  });
});

describe('parsePath', () => {
  it('rejects empty segments and stray brackets with a reason', () => {
    expect(parsePath('a..b')).toMatchObject({ ok: false });
    expect(parsePath('.a')).toMatchObject({ ok: false });
    expect(parsePath('a.')).toMatchObject({ ok: false });
    expect(parsePath('a[x]')).toMatchObject({ ok: false });
    expect(parsePath('')).toMatchObject({ ok: false, reason: 'The path is empty' });
  });

  it('refuses keys that would reach an object prototype', () => {
    expect(parsePath('__proto__.polluted')).toMatchObject({ ok: false });
    expect(parsePath('a.constructor.prototype')).toMatchObject({ ok: false });
  });
});

describe('setPath', () => {
  it('builds nested objects from dotted keys', () => {
    const out: Record<string, unknown> = {};
    setPath(out, 'address.city', 'Utrecht');
    setPath(out, 'address.zip', '3511');
    setPath(out, 'name', 'Ann');
    expect(out).toEqual({ address: { city: 'Utrecht', zip: '3511' }, name: 'Ann' });
  });

  it('builds arrays for bracket indices', () => {
    const out: Record<string, unknown> = {};
    setPath(out, 'lines[0].sku', 'A1');
    expect(out).toEqual({ lines: [{ sku: 'A1' }] });
  });

  it('refuses to walk through a value that is not a container', () => {
    const out: Record<string, unknown> = { address: 'Main street 1' };
    expect(setPath(out, 'address.city', 'x')).toMatchObject({ ok: false });
    expect(out).toEqual({ address: 'Main street 1' });
  });

  it('cannot pollute Object.prototype', () => {
    const out: Record<string, unknown> = {};
    expect(setPath(out, '__proto__.polluted', true)).toMatchObject({ ok: false });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('unsetPath', () => {
  it('removes nested keys and ignores missing ones', () => {
    const out: Record<string, unknown> = { a: { b: 1, c: 2 }, d: 3 };
    unsetPath(out, 'a.b');
    unsetPath(out, 'x.y');
    expect(out).toEqual({ a: { c: 2 }, d: 3 });
  });
});

describe('escaping', () => {
  it('a backslash makes brackets and dots literal, for CSV headers such as "Price [EUR]"', () => {
    expect(getPath({ 'Price [EUR]': 5 }, 'Price \\[EUR\\]')).toBe(5);
    expect(getPath({ 'a.b': { c: 1 } }, 'a\\.b.c')).toBe(1);
  });
});
