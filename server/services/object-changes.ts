// The change feed of a schema's objects (kept by database triggers, schema/registers.ts): each object
// once, at the position of its latest change, so a reader that resumes from its cursor gets every change
// after it — at least once (an object changed again moves to the end and comes again), in order. Live
// and soft-deleted objects carry their position themselves; an object deleted for good has a tombstone.
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type ObjectRow, objects, objectsOfOrg, objectTombstones, ofSchema } from '../db/schema';
import { loadSchema } from './registers';

export interface ObjectChange {
  change: { seq: number; objectId: string; op: 'upsert' | 'delete'; changedAt: Date };
  /** The object as it is now; null for an object deleted for good. */
  object: ObjectRow | null;
}

export async function objectChangesAfter(
  db: Db,
  orgId: string,
  schemaId: string,
  afterSeq: number,
  limit: number,
): Promise<{ changes: ObjectChange[]; lastSeq: number; hasMore: boolean }> {
  const { registerId } = await loadSchema(db, orgId, schemaId);
  // Each side in feed order (its index on schema and position), then merged: the first limit + 1 of
  // the two lists hold the first limit + 1 of the feed.
  const [changed, gone] = await Promise.all([
    db
      .select()
      .from(objects)
      .where(and(ofSchema(schemaId), gt(objects.changeSeq, afterSeq), objectsOfOrg(orgId)))
      .orderBy(asc(objects.changeSeq))
      .limit(limit + 1),
    db
      .select()
      .from(objectTombstones)
      .where(
        and(
          eq(objectTombstones.schemaId, schemaId),
          gt(objectTombstones.seq, afterSeq),
          eq(objectTombstones.orgId, orgId),
        ),
      )
      .orderBy(asc(objectTombstones.seq))
      .limit(limit + 1),
  ]);
  const feed: ObjectChange[] = [
    ...changed.map((object) => ({
      change: {
        seq: object.changeSeq!,
        objectId: object.id,
        op: object.deletedAt === null ? ('upsert' as const) : ('delete' as const),
        changedAt: object.changedAt ?? object.updatedAt,
      },
      object: { ...object, schemaId, registerId },
    })),
    ...gone.map((t) => ({
      change: { seq: t.seq, objectId: t.objectId, op: 'delete' as const, changedAt: t.changedAt },
      object: null,
    })),
  ].sort((a, b) => a.change.seq - b.change.seq);
  const page = feed.slice(0, limit);
  return {
    changes: page,
    lastSeq: page.at(-1)?.change.seq ?? afterSeq,
    hasMore: feed.length > limit,
  };
}
