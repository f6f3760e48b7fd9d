// Conflict rows as the two-way engine leaves them, with partial overrides: Ada's record, which the
// source changed (name, email) and the register changed (name, city) since it was last synced.
import type { Db } from '@/server/db/client';
import { conflicts } from '@/server/db/schema';

type ConflictInsert = typeof conflicts.$inferInsert;

export const ADA_BASE = { name: 'Ada', email: 'ada@old.test', city: 'Leiden' };
/** The source's object as the source holds it, and through the mapping (the register's shape). */
export const ADA_SOURCE = { id: 1, name: 'Ada L.', email: 'ada@new.test', address: { city: 'Leiden' } };
export const ADA_SOURCE_MAPPED = { name: 'Ada L.', email: 'ada@new.test', city: 'Leiden' };
export const ADA_TARGET = { name: 'Ada King', email: 'ada@old.test', city: 'Utrecht' };

let counter = 0;

export async function insertConflict(
  db: Db,
  row: Pick<ConflictInsert, 'orgId' | 'synchronisationId'> & Partial<ConflictInsert>,
) {
  counter++;
  const [inserted] = await db
    .insert(conflicts)
    .values({
      originId: String(counter),
      targetId: `obj_target${counter}`,
      kind: 'both-changed',
      baseData: ADA_BASE,
      sourceData: ADA_SOURCE,
      sourceMapped: ADA_SOURCE_MAPPED,
      targetData: ADA_TARGET,
      sourceHash: `source-hash-${counter}`,
      targetHash: `target-hash-${counter}`,
      ...row,
    })
    .returning();
  return inserted!;
}

/** One side deleted the object while the other edited it. */
export function deletedOn(side: 'source' | 'target'): Partial<ConflictInsert> {
  return side === 'source'
    ? { kind: 'source-deleted', sourceData: null, sourceMapped: null }
    : { kind: 'target-deleted', targetData: null, targetId: null };
}
