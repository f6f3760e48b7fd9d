// The synchronisation form's id field says, before saving, that a new id field re-keys the contracts
// the synchronisation keeps (services/sync-rekey.ts re-keys them as it is saved).
import { describe, expect, it } from 'vitest';
import { rekeyHint } from '@/app/o/[slug]/synchronisations/_lib/rekey-hint';

const saved = { sourceId: 'src_1', idField: 'id', contractsKept: 1200 };

describe('the id field’s re-keying hint', () => {
  it('says how many contracts a change re-keys, and once changed, from which field', () => {
    expect(rekeyHint(saved, 'src_1', 'id')).toMatch(
      /Changing it re-keys this synchronisation’s 1,200 contracts/,
    );
    expect(rekeyHint(saved, 'src_1', ' code ')).toMatch(
      /^ Saving re-keys this synchronisation’s 1,200 contracts from “id” to this field,.*nothing is saved\.$/,
    );
    expect(rekeyHint({ ...saved, contractsKept: 1 }, 'src_1', 'id')).toContain('1 contract from');
  });

  it('says nothing for a new synchronisation, one without contracts, or another source', () => {
    expect(rekeyHint(null, 'src_1', 'code')).toBeNull();
    expect(rekeyHint({ ...saved, contractsKept: 0 }, 'src_1', 'code')).toBeNull();
    expect(rekeyHint(saved, 'src_2', 'code')).toBeNull();
  });
});
