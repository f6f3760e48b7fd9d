// The three-way diff of a conflict and the object a person's picks make: who changed which field since
// the base, which fields conflict (identical edits do not), and the merge of picks with defaults.
import { describe, expect, it } from 'vitest';
import {
  conflictKeyFields,
  mergeResolution,
  threeWayDiff,
  unknownPicks,
  unpickedConflicts,
} from '@/server/sync/core/two-way/three-way-diff';

const base = { name: 'Ada', email: 'ada@old.test', address: { city: 'Leiden', zip: '2311' }, tags: ['a'] };

describe('threeWayDiff', () => {
  it('lists every leaf field with the side that changed it', () => {
    const source = { ...base, email: 'ada@new.test', address: { city: 'Leiden', zip: '2312' } };
    const target = { ...base, address: { city: 'Utrecht', zip: '2312' } };
    expect(threeWayDiff(base, source, target)).toEqual([
      {
        path: 'name',
        base: 'Ada',
        source: 'Ada',
        target: 'Ada',
        changedIn: 'none',
        conflicting: false,
        key: false,
      },
      {
        path: 'email',
        base: 'ada@old.test',
        source: 'ada@new.test',
        target: 'ada@old.test',
        changedIn: 'source',
        conflicting: false,
        key: false,
      },
      {
        path: 'address.city',
        base: 'Leiden',
        source: 'Leiden',
        target: 'Utrecht',
        changedIn: 'target',
        conflicting: false,
        key: false,
      },
      // The same edit on both sides is not a conflict.
      {
        path: 'address.zip',
        base: '2311',
        source: '2312',
        target: '2312',
        changedIn: 'both',
        conflicting: false,
        key: false,
      },
      {
        path: 'tags',
        base: ['a'],
        source: ['a'],
        target: ['a'],
        changedIn: 'none',
        conflicting: false,
        key: false,
      },
    ]);
  });

  it('marks a field both sides changed into different values as conflicting', () => {
    const rows = threeWayDiff(base, { ...base, name: 'Ada L.' }, { ...base, name: 'Ada King' });
    expect(rows.find((r) => r.path === 'name')).toMatchObject({ changedIn: 'both', conflicting: true });
    expect(rows.filter((r) => r.conflicting)).toHaveLength(1);
  });

  it('compares arrays whole and objects whatever their key order', () => {
    const source = { ...base, tags: ['a', 'b'], address: { zip: '2311', city: 'Leiden' } };
    const rows = threeWayDiff(base, source, { ...base, tags: ['b', 'a'] });
    expect(rows.find((r) => r.path === 'tags')).toMatchObject({ changedIn: 'both', conflicting: true });
    expect(rows.filter((r) => r.path.startsWith('address')).map((r) => r.changedIn)).toEqual([
      'none',
      'none',
    ]);
  });

  it('tells a missing field (undefined) from a null one', () => {
    const { email: _gone, ...withoutEmail } = base;
    const rows = threeWayDiff(base, withoutEmail, { ...base, email: null });
    expect(rows.find((r) => r.path === 'email')).toEqual({
      path: 'email',
      base: 'ada@old.test',
      source: undefined,
      target: null,
      changedIn: 'both',
      conflicting: true,
      key: false,
    });
  });

  it('shows a deleted side as every field missing', () => {
    const rows = threeWayDiff(base, null, { ...base, name: 'Ada King' });
    expect(rows.every((r) => r.source === undefined)).toBe(true);
    expect(rows.find((r) => r.path === 'name')).toMatchObject({ changedIn: 'both', conflicting: true });
    expect(rows.find((r) => r.path === 'tags')).toMatchObject({ changedIn: 'source', conflicting: false });
  });

  it('keeps a field one side made an object and another a value as one field', () => {
    const rows = threeWayDiff({ address: 'Leiden' }, { address: { city: 'Leiden' } }, { address: null });
    expect(rows.map((r) => r.path)).toEqual(['address']);
    expect(rows[0]).toMatchObject({ source: { city: 'Leiden' }, target: null, conflicting: true });
  });

  it('escapes dots in keys so each path names one field', () => {
    const rows = threeWayDiff(
      { 'a.b': 1, a: { b: 2 } },
      { 'a.b': 3, a: { b: 2 } },
      { 'a.b': 1, a: { b: 2 } },
    );
    expect(rows.map((r) => [r.path, r.changedIn])).toEqual([
      ['a\\.b', 'source'],
      ['a.b', 'none'],
    ]);
  });

  it('has no fields when there was no base and both sides deleted it', () => {
    expect(threeWayDiff(null, null, null)).toEqual([]);
  });
});

describe('mergeResolution', () => {
  const source = { ...base, name: 'Ada L.', email: 'ada@new.test' };
  const target = { ...base, name: 'Ada King', address: { city: 'Utrecht', zip: '2311' } };

  it('takes each picked field from its side', () => {
    expect(mergeResolution(base, source, target, { name: 'source', email: 'target' })).toEqual({
      ...base,
      name: 'Ada L.',
      email: 'ada@old.test',
      address: { city: 'Utrecht', zip: '2311' },
    });
  });

  it('takes an unpicked field from the side that changed it, else from the target', () => {
    expect(mergeResolution(base, source, target, {})).toEqual({
      ...base,
      name: 'Ada King',
      email: 'ada@new.test',
      address: { city: 'Utrecht', zip: '2311' },
    });
  });

  it('leaves out a field the picked side does not have', () => {
    const { email: _gone, ...withoutEmail } = source;
    const merged = mergeResolution(base, withoutEmail, target, { email: 'source' });
    expect(merged).not.toHaveProperty('email');
    expect(mergeResolution(base, withoutEmail, target, { email: 'target' })).toHaveProperty(
      'email',
      'ada@old.test',
    );
  });

  it('builds nested objects from their picked leaves', () => {
    const merged = mergeResolution(base, { ...base, address: { city: 'Delft', zip: '2600' } }, target, {
      'address.city': 'source',
      'address.zip': 'target',
    });
    expect(merged.address).toEqual({ city: 'Delft', zip: '2311' });
  });

  it('keeps a key named __proto__ a plain key', () => {
    const odd = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const merged = mergeResolution(null, odd, {}, { '__proto__.polluted': 'source' });
    expect(JSON.stringify(merged)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('picks', () => {
  const rows = threeWayDiff(base, { ...base, name: 'A', email: 'e' }, { ...base, name: 'B', email: 'f' });

  it('names picks that are not fields of the diff', () => {
    expect(unknownPicks(rows, { name: 'source', nmae: 'target', 'address.city': 'target' })).toEqual([
      'nmae',
    ]);
  });

  it('names conflicting fields left without a pick', () => {
    expect(unpickedConflicts(rows, { name: 'source' })).toEqual(['email']);
    expect(unpickedConflicts(rows, { name: 'source', email: 'target' })).toEqual([]);
  });
});

describe('key fields (each system’s own id)', () => {
  // A first match: no base, and each side holds its own id.
  const source = { id: 7, name: 'Ada', city: 'Leiden' };
  const target = { id: 'dir-ada', name: 'Ada', city: 'Haarlem' };
  const keys = conflictKeyFields('id');

  it('are marked, never conflicting, and need no pick', () => {
    const rows = threeWayDiff(null, source, target, keys);
    expect(rows.find((r) => r.path === 'id')).toMatchObject({ key: true, conflicting: false });
    expect(rows.find((r) => r.path === 'city')).toMatchObject({ key: false, conflicting: true });
    expect(unpickedConflicts(rows, {})).toEqual(['city']);
  });

  it('keep the register’s value in a merge unless picked', () => {
    expect(mergeResolution(null, source, target, { city: 'source' }, keys)).toEqual({
      id: 'dir-ada',
      name: 'Ada',
      city: 'Leiden',
    });
    expect(mergeResolution(null, source, target, { city: 'source', id: 'source' }, keys)).toMatchObject({
      id: 7,
    });
  });

  it('are `id` and the synchronisation’s id field', () => {
    expect(conflictKeyFields('id')).toEqual(['id']);
    expect(conflictKeyFields('code')).toEqual(['id', 'code']);
    expect(conflictKeyFields(null)).toEqual(['id']);
  });
});
