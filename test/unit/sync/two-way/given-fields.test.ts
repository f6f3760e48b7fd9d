// Which fields a create at the source came back with beyond what the register holds: only additions
// count, and a field the source changed or dropped makes it a difference for the decision table.
import { describe, expect, it } from 'vitest';
import { addedFields } from '@/server/sync/two-way/given-fields';

describe('addedFields', () => {
  it('names the fields the source added, every register field back as it was', () => {
    expect(
      addedFields({ name: 'Ada', tags: ['a'] }, { tags: ['a'], id: 7, name: 'Ada', createdAt: 't' }),
    ).toEqual(['createdAt', 'id']);
  });

  it('is null when nothing was added', () => {
    expect(addedFields({ name: 'Ada' }, { name: 'Ada' })).toBeNull();
  });

  it('is null when the source changed or dropped a field the register holds', () => {
    expect(addedFields({ email: 'Ada@X.test' }, { email: 'ada@x.test', id: 7 })).toBeNull();
    expect(addedFields({ name: 'Ada', city: 'London' }, { name: 'Ada', id: 7 })).toBeNull();
    expect(addedFields({ address: { city: 'London' } }, { address: { city: 'Paris' }, id: 7 })).toBeNull();
  });

  it('ignores fields left undefined on either side', () => {
    expect(addedFields({ name: 'Ada', note: undefined }, { name: 'Ada', id: 7, extra: undefined })).toEqual([
      'id',
    ]);
  });
});
