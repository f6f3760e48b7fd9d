// The register target's SQL: stable object ids for retried writes, batched inserts, and one query to
// load the rows a batch of updates touches. Every statement is scoped to the organisation and schema.
import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { objects } from '../../db/schema';

export type NewObjectRow = typeof objects.$inferInsert;

export interface ExistingObject {
  id: string;
  hash: string;
  deletedAt: Date | null;
}

export interface Scope {
  orgId: string;
  schemaId: string;
}

// Well below SQLite's bound-parameter limit (10 columns per object row).
const ROWS_PER_INSERT = 500;
const IDS_PER_QUERY = 500;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * An object id derived from what makes a write unique (the engine's idempotency key): a step retried
 * after its transaction committed inserts the same id again, which is then ignored — no duplicate.
 * Shaped like the other ids (`obj_` + 26 base32 characters), though not time-ordered.
 */
export function stableObjectId(scope: Scope, key: string): string {
  const digest = createHash('sha256').update(`${scope.orgId}\u0000${scope.schemaId}\u0000${key}`).digest();
  let out = 'obj_';
  for (let i = 0; i < 26; i++) out += ALPHABET[(digest[i] ?? 0) & 31];
  return out;
}

/** Multi-row inserts; an id that already exists (a retried write) is left as it is. */
export async function insertObjects(tx: Tx, rows: readonly NewObjectRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await tx
      .insert(objects)
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflictDoNothing({ target: objects.id });
  }
}

/** The schema's objects with these ids (deleted ones included), in one query per 500 ids. */
export async function loadObjects(
  db: Db | Tx,
  scope: Scope,
  ids: readonly string[],
): Promise<Map<string, ExistingObject>> {
  const found = new Map<string, ExistingObject>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const rows = await db
      .select({ id: objects.id, hash: objects.hash, deletedAt: objects.deletedAt })
      .from(objects)
      .where(
        and(
          eq(objects.orgId, scope.orgId),
          eq(objects.schemaId, scope.schemaId),
          inArray(objects.id, unique.slice(i, i + IDS_PER_QUERY)),
        ),
      );
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

/** Soft (sets deletedAt) or hard delete of the schema's objects with these ids; absent ids are fine. */
export async function deleteObjects(tx: Tx, scope: Scope, ids: readonly string[], policy: 'soft' | 'hard') {
  const unique = [...new Set(ids)];
  const now = new Date();
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const where = and(
      eq(objects.orgId, scope.orgId),
      eq(objects.schemaId, scope.schemaId),
      inArray(objects.id, unique.slice(i, i + IDS_PER_QUERY)),
    );
    if (policy === 'hard') await tx.delete(objects).where(where);
    // Already soft-deleted objects keep their first deletion time.
    else
      await tx
        .update(objects)
        .set({ deletedAt: now })
        .where(and(where, isNull(objects.deletedAt)));
  }
}
