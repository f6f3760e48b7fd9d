// The merge patch a REST target sends with "send only changed fields": what changed, nested objects
// merged, removed keys as null, arrays whole, nothing for an unchanged object.
import { describe, expect, it } from 'vitest';
import { mergePatch } from '@/server/sync/core/merge-patch';

describe('mergePatch', () => {
  it('holds only the changed fields', () => {
    expect(mergePatch({ a: 1, b: 'x', c: true }, { a: 1, b: 'y', c: true })).toEqual({ b: 'y' });
  });

  it('sends a removed key as null and a new key as its value', () => {
    expect(mergePatch({ a: 1, gone: 2 }, { a: 1, added: 3 })).toEqual({ gone: null, added: 3 });
  });

  it('merges nested objects key by key and replaces arrays whole', () => {
    const before = { contact: { email: 'a@x', city: 'Leiden' }, tags: ['a', 'b'] };
    const after = { contact: { email: 'a@x', city: 'Utrecht' }, tags: ['a'] };
    expect(mergePatch(before, after)).toEqual({ contact: { city: 'Utrecht' }, tags: ['a'] });
  });

  it('is empty for an unchanged object, whatever the key order', () => {
    expect(mergePatch({ a: { x: 1, y: [1, { z: 2 }] } }, { a: { y: [1, { z: 2 }], x: 1 } })).toEqual({});
  });

  it('keeps a key named __proto__ a plain key', () => {
    const after = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const patch = mergePatch({}, after);
    expect(JSON.stringify(patch)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
