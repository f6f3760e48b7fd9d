// Which tables a MySQL upsert could write to the row of another unique key.
import { describe, expect, it } from 'vitest';
import { hasOtherUniqueKeys } from '@/server/sync/targets/sql-other-unique-keys';
import type { TableInfo } from '@/server/sync/targets/sql-table';

const table = (uniqueKeys: string[][]): TableInfo => ({ quoted: '`t`', columns: new Map(), uniqueKeys });

describe('hasOtherUniqueKeys', () => {
  it('is true only for a unique key that is not the key columns, in any order', () => {
    expect(hasOtherUniqueKeys(table([['id']]), ['id'])).toBe(false);
    expect(hasOtherUniqueKeys(table([['b', 'a']]), ['a', 'b'])).toBe(false);
    expect(hasOtherUniqueKeys(table([['id'], ['email']]), ['id'])).toBe(true);
    expect(hasOtherUniqueKeys(table([['id'], ['code']]), ['code'])).toBe(true);
  });
});
