// The synchronisations a register schema's changes are pushed to: enabled ones whose source is a
// register source on that schema (and enabled), and the two-way ones whose target is that schema — each
// with its unsubscribe list. Changes made while one is disabled or paused reach its target with its
// next full run.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { sources, synchronisations } from '../../db/schema';
import { storedUnsubscribe } from '../config/unsubscribe';
import { DEFAULT_ID_FIELD } from '../core/ids';
import { receivesChange, type ChangeSource, type PushSubscriber } from '../core/fan-out';

export async function pushSubscribers(
  db: Db | Tx,
  orgId: string,
  schemaId: string,
): Promise<(PushSubscriber & { idField: string })[]> {
  const pushes = await db
    .select({
      id: synchronisations.id,
      targetType: synchronisations.targetType,
      targetSourceId: synchronisations.targetSourceId,
      unsubscribe: synchronisations.unsubscribe,
      idField: sql<string | null>`json_extract(${synchronisations.sourceConfig}, '$.sourceIdField')`,
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
    .select({
      id: synchronisations.id,
      targetSourceId: synchronisations.sourceId,
      unsubscribe: synchronisations.unsubscribe,
    })
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
  return [
    ...pushes.map((row) => ({
      ...row,
      idField: row.idField ?? DEFAULT_ID_FIELD,
      unsubscribe: storedUnsubscribe(row.unsubscribe, row.id),
    })),
    // Its own id field names the source side's id; on the register side an object is named by `id`.
    ...twoWay.map((row) => ({
      ...row,
      targetType: 'source' as const,
      idField: DEFAULT_ID_FIELD,
      unsubscribe: storedUnsubscribe(row.unsubscribe, row.id),
    })),
  ];
}

/** Whether a change from `origin` to this schema goes anywhere: if not, nothing is queued for it. */
export async function isPushed(db: Db | Tx, orgId: string, schemaId: string, origin: ChangeSource) {
  const subscribers = await pushSubscribers(db, orgId, schemaId);
  return subscribers.some((subscriber) => receivesChange(subscriber, origin));
}
