import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestValue, hashObject, hashValue } from '@/server/sync/core/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    const value = { b: 1, a: { d: [3, 1, { z: 1, y: 2 }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,1,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text for the same object with keys in another order', () => {
    expect(canonicalJson({ id: 1, name: 'a', tags: ['x'] })).toBe(
      canonicalJson({ tags: ['x'], name: 'a', id: 1 }),
    );
  });

  it('treats array order as meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('follows JSON for undefined, non-finite numbers, -0 and dates', () => {
    expect(
      canonicalJson({ a: undefined, b: [undefined], c: NaN, d: -0, e: new Date('2024-01-02T03:04:05Z') }),
    ).toBe('{"b":[null],"c":null,"d":0,"e":"2024-01-02T03:04:05.000Z"}');
  });

  it('escapes strings and keys like JSON', () => {
    expect(canonicalJson({ 'q"uote': 'line\nbreak' })).toBe('{"q\\"uote":"line\\nbreak"}');
  });

  it('throws on a cycle, which is a bug in the caller', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

describe('hashValue', () => {
  it('is the SHA-256 hex of the canonical JSON, cut to its first 128 bits', () => {
    const expected = createHash('sha256').update('{"a":1,"b":2}').digest('hex');
    expect(digestValue({ b: 2, a: 1 })).toBe(expected);
    // What migration 0021 cut a stored hash of 64 characters to: the same object hashes the same.
    expect(hashValue({ b: 2, a: 1 })).toBe(expected.slice(0, 32));
    expect(hashValue({ b: 2, a: 1 })).toMatch(/^[0-9a-f]{32}$/);
  });

  it('changes when any nested value changes', () => {
    expect(hashValue({ a: { b: [1, 2] } })).not.toBe(hashValue({ a: { b: [1, 3] } }));
  });

  it('tells 1 and "1" apart', () => {
    expect(hashValue({ id: 1 })).not.toBe(hashValue({ id: '1' }));
  });
});

describe('hashObject over selected fields', () => {
  const object = { id: 7, name: 'Pump', meta: { fetchedAt: '2024-01-01', views: 3 }, tags: ['a'] };

  it('ignores changes in fields that are not selected', () => {
    const later = { ...object, meta: { fetchedAt: '2024-02-02', views: 99 } };
    expect(hashObject(later, ['id', 'name', 'tags'])).toBe(hashObject(object, ['id', 'name', 'tags']));
  });

  it('notices changes in selected fields, including nested paths', () => {
    expect(hashObject({ ...object, name: 'Valve' }, ['name'])).not.toBe(hashObject(object, ['name']));
    expect(hashObject(object, ['meta.views'])).not.toBe(
      hashObject({ ...object, meta: { views: 4 } }, ['meta.views']),
    );
  });

  it('tells a missing field apart from a null one', () => {
    expect(hashObject({ id: 1 }, ['name'])).not.toBe(hashObject({ id: 1, name: null }, ['name']));
  });

  it('hashes the whole object when no fields are given', () => {
    expect(hashObject(object, null)).toBe(hashValue(object));
    expect(hashObject(object, [])).toBe(hashValue(object));
  });
});
