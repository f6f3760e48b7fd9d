// The synchronisations a register schema's changes are pushed to: enabled ones whose source is a
// register source on that schema (and enabled), and the two-way ones whose target is that schema. Changes made while one is disabled reach its target
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
  const pushes = await db
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
  // A two-way synchronisation into the schema is an outbound leg too: it writes the register's changes
  // back to its source system — the system a change from it is never sent back to.
  const twoWay = await db
    .select({ id: synchronisations.id, targetSourceId: synchronisations.sourceId })
    .from(synchronisations)
    .innerJoin(sources, eq(sources.id, synchronisations.sourceId))
    .where(
      and(
        eq(synchronisations.orgId, orgId),
        eq(synchronisations.enabled, true),
        eq(sources.enabled, true),
        eq(synchronisations.direction, 'two-way'),
        eq(synchronisations.targetSchemaId, schemaId),
      ),
    );
  return [...pushes, ...twoWay.map((leg) => ({ ...leg, targetType: 'source' as const }))];
}

/** Whether a change from `origin` to this schema goes anywhere: if not, nothing is queued for it. */
export async function isPushed(db: Db | Tx, orgId: string, schemaId: string, origin: ChangeSource) {
  const subscribers = await pushSubscribers(db, orgId, schemaId);
  return subscribers.some((subscriber) => receivesChange(subscriber, origin));
}
