// Which objects of a synchronisation hold given SQL keys through their live contracts, so an SQL target
// refusing a create at a taken key can say the row is another object's (targets/sql-taken-keys.ts). A
// one-way target's key is the contract's target id; a two-way source's, written back, its origin id.
import { and, inArray, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contracts, ofSynchronisation } from '../../db/schema';
import type { KeyHolders } from '../targets/sql-taken-keys';

export function keyHoldersOf(db: Db, syncId: string, side: 'target' | 'origin'): KeyHolders {
  return async (keys) => {
    const held = new Map<string, string>();
    if (keys.length === 0) return held;
    const column = side === 'target' ? contracts.targetId : contracts.originId;
    const rows = await db
      .select({ originId: contracts.originId, targetId: contracts.targetId })
      .from(contracts)
      .where(and(ofSynchronisation(syncId), ne(contracts.status, 'deleted'), inArray(column, [...keys])));
    for (const row of rows) {
      const key = side === 'target' ? row.targetId : row.originId;
      if (key !== null) held.set(key, row.originId);
    }
    return held;
  };
}
