// The synchronisations a register schema's changes are pushed to: enabled ones whose source is a
// register source on that schema (and enabled). Changes made while one is disabled reach its target
// with its next full run.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { sources, synchronisations } from '../../db/schema';
import { receivesChange, type ChangeSource, type PushSubscriber } from '../core/fan-out';

export async function pushSubscribers(
  db: Db | Tx,
  orgId: string,
  schemaId: string,
): Promise<PushSubscriber[]> {
  return db
    .select({
      id: synchronisations.id,
      targetType: synchronisations.targetType,
      targetSourceId: synchronisations.targetSourceId,
    })
    .from(synchronisations)
    .innerJoin(sources, eq(sources.id, synchronisations.sourceId))
    .where(
      and(
        eq(synchronisations.orgId, orgId),
        eq(sources.orgId, orgId),
        eq(synchronisations.enabled, true),
        eq(sources.enabled, true),
        eq(sources.type, 'register'),
        sql`json_extract(${sources.config}, '$.schemaId') = ${schemaId}`,
      ),
    );
}

/** Whether a change from `origin` to this schema goes anywhere: if not, nothing is queued for it. */
export async function isPushed(db: Db | Tx, orgId: string, schemaId: string, origin: ChangeSource) {
  const subscribers = await pushSubscribers(db, orgId, schemaId);
  return subscribers.some((subscriber) => receivesChange(subscriber, origin));
}
