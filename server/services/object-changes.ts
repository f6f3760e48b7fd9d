// The change feed of a schema's objects (object_changes, kept by database triggers): each object once,
// at the position of its latest change, so a reader that resumes from its cursor gets every change
// after it — at least once (an object changed again moves to the end and comes again), in order.
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { objectChanges, objects } from '../db/schema';
import { loadSchema } from './registers';

export async function objectChangesAfter(
  db: Db,
  orgId: string,
  schemaId: string,
  afterSeq: number,
  limit: number,
) {
  await loadSchema(db, orgId, schemaId);
  const rows = await db
    .select({ change: objectChanges, object: objects })
    .from(objectChanges)
    .leftJoin(objects, and(eq(objects.id, objectChanges.objectId), eq(objects.orgId, orgId)))
    .where(
      and(
        eq(objectChanges.orgId, orgId),
        eq(objectChanges.schemaId, schemaId),
        gt(objectChanges.seq, afterSeq),
      ),
    )
    .orderBy(asc(objectChanges.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    changes: page,
    lastSeq: page.at(-1)?.change.seq ?? afterSeq,
    hasMore: rows.length > limit,
  };
}
