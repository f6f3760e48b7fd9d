// Which contract states are a version of the object (a record's history), and the diff between two
// versions as the contract page lists it.
import { describe, expect, it } from 'vitest';
import { diffVersions } from '@/server/sync/core/json-changes';
import type { ContractState } from '@/server/sync/core/contracts';
import { versionOf } from '@/server/sync/stores/contract-versions';

const base: ContractState = {
  originId: '7',
  parentOriginId: null,
  targetId: 'obj_7',
  originHash: 'oh',
  targetHash: 'th',
  status: 'synced',
  lastAction: 'update',
  lastError: null,
  sourceLastChanged: null,
  sourceLastChecked: null,
  sourceLastSynced: null,
  targetLastChanged: null,
  targetLastChecked: null,
  targetLastSynced: null,
};

describe('versionOf', () => {
  it('records what a write changed, as compact JSON with both hashes', () => {
    expect(versionOf(base, { name: 'Ada', tags: ['a'] })).toEqual([
      '7',
      'update',
      'oh',
      'th',
      '{"name":"Ada","tags":["a"]}',
    ]);
    expect(versionOf({ ...base, lastAction: 'create' }, { n: 1 })?.[1]).toBe('create');
    expect(versionOf({ ...base, lastAction: 'rewrite' }, { n: 1 })?.[1]).toBe('rewrite');
    expect(versionOf({ ...base, lastAction: 'write-back' }, { n: 1 })?.[1]).toBe('write-back');
  });

  it('records a deletion without data', () => {
    expect(versionOf({ ...base, status: 'deleted', lastAction: 'delete' }, { n: 1 })).toEqual([
      '7',
      'delete',
      'oh',
      'th',
      null,
    ]);
  });

  it('records nothing for an object that did not change', () => {
    for (const state of [
      { ...base, lastAction: 'skip' as const },
      { ...base, lastAction: 'filter' as const },
      { ...base, status: 'held' as const, lastAction: 'hold' as const },
      { ...base, status: 'failed' as const, lastAction: 'update' as const },
      { ...base, status: 'rejected' as const, lastAction: 'create' as const },
      { ...base, status: 'failed' as const, lastAction: 'delete' as const },
      { ...base, status: 'conflict' as const, lastAction: 'conflict' as const },
      { ...base, status: 'invalid' as const, lastAction: 'reject' as const },
    ])
      expect(versionOf(state, { n: 1 })).toBeNull();
  });
});

describe('diffVersions', () => {
  it('lists changed, added and removed fields by path', () => {
    const changes = diffVersions(
      { name: 'Ada', address: { city: 'Leiden' }, phone: '1' },
      { name: 'Ada L.', address: { city: 'Delft' }, email: 'ada@example.test' },
    );
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: 'name', kind: 'changed', before: 'Ada', after: 'Ada L.' },
        { path: 'address.city', kind: 'changed', before: 'Leiden', after: 'Delft' },
        { path: 'phone', kind: 'removed', before: '1' },
        { path: 'email', kind: 'added', after: 'ada@example.test' },
      ]),
    );
    expect(changes).toHaveLength(4);
  });

  it('matches array items by id, and says nothing for equal versions', () => {
    const before = {
      items: [
        { id: 1, q: 1 },
        { id: 2, q: 2 },
      ],
    };
    const after = {
      items: [
        { id: 0, q: 0 },
        { id: 1, q: 1 },
        { id: 2, q: 3 },
      ],
    };
    expect(diffVersions(before, after)).toEqual([
      { path: 'items[0]', kind: 'added', after: { id: 0, q: 0 } },
      { path: 'items[2].q', kind: 'changed', before: 2, after: 3 },
    ]);
    expect(diffVersions(before, structuredClone(before))).toEqual([]);
  });

  it('compares a first version with nothing: every field is added', () => {
    expect(diffVersions(null, { a: 1 })).toEqual([{ path: 'a', kind: 'added', after: 1 }]);
  });
});
