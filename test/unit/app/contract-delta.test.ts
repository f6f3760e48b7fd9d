// The contract page's differences between the mapped source and the target: each kind of change in the
// page's words, with the value on each side it has one.
import { describe, expect, it } from 'vitest';
import { diffObjects } from '@/app/o/[slug]/contracts/[contractId]/delta';

describe('diffObjects', () => {
  it('says what only the mapping makes, what only the target holds, what differs and what moved', () => {
    const mapped = { name: 'Ada', city: 'Delft', tags: [{ id: 1 }, { id: 2 }], address: { street: 'A 1' } };
    const target = { name: 'Ada L.', tags: [{ id: 2 }, { id: 1 }], address: { street: 'A 1', zip: '2611' } };
    expect(diffObjects(mapped, target)).toEqual([
      { path: 'name', kind: 'changed', mapped: 'Ada', target: 'Ada L.' },
      { path: 'city', kind: 'only-mapped', mapped: 'Delft' },
      { path: 'tags[1]', kind: 'moved', movedTo: 0 },
      { path: 'address.zip', kind: 'only-target', target: '2611' },
    ]);
  });

  it('finds nothing when both hold the same, whatever the order of their keys', () => {
    expect(diffObjects({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toEqual([]);
  });
});
