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

  it('orders keys by code unit as sort() does, for few keys and many, whatever order they came in', () => {
    // Numbers as keys (which objects list first), case, accents, a character beyond the BMP (two code
    // units) and prefixes of one another: every order sort() gives, from small objects to large.
    const alphabet = ['10', '9', '0', 'a', 'B', 'b', 'é', 'z', 'aa', 'a_', '\u{1F600}', '\uFFFD', '', 'Z1'];
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const pick = () => alphabet[Math.floor(random() * alphabet.length)]!;
    for (let n = 1; n <= 40; n++) {
      // Each key made of two of them: 196 to draw from.
      const keys = new Set<string>();
      while (keys.size < n) keys.add(pick() + pick());
      const entries = [...keys].sort(() => random() - 0.5).map((key, i) => [key, i] as const);
      const object = Object.fromEntries(entries);
      const expected = `{${Object.keys(object)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${object[key]}`)
        .join(',')}}`;
      expect(canonicalJson(object)).toBe(expected);
    }
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
