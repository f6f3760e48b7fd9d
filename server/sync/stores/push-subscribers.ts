// The synchronisations a register schema's changes are pushed to: enabled ones whose source is a
// register source on that schema (and enabled), and the two-way ones whose target is that schema — each
// with its unsubscribe list. Changes made while one is disabled or paused reach its target with its
// next full run.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { objects, objectsOfOrg, ofSchema, sources, synchronisations } from '../../db/schema';
import { storedUnsubscribe } from '../config/unsubscribe';
import { DEFAULT_ID_FIELD, readOriginId } from '../core/ids';
import { receivesChange, type ChangeSource, type PushSubscriber } from '../core/fan-out';
import { registerObject } from '../sources/register';

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

/**
 * The data of these register objects, for matching the object ids subscribers unsubscribed from (their
 * id-field values): as stored, or for an object gone, the data its change (or retry) kept.
 */
export async function objectDataOf(
  db: Db,
  orgId: string,
  schemaId: string,
  rows: readonly { objectId: string; data?: Record<string, unknown> | null }[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = await db
    .select({ id: objects.id, data: objects.data })
    .from(objects)
    .where(
      and(
        objectsOfOrg(orgId),
        ofSchema(schemaId),
        inArray(
          objects.id,
          rows.map((row) => row.objectId),
        ),
      ),
    );
  const data = new Map(found.map((row) => [row.id, row.data]));
  for (const row of rows) if (!data.has(row.objectId) && row.data) data.set(row.objectId, row.data);
  return data;
}

/** The object's id as a subscriber reads it (its id field), or null when it has none. */
export function originIdIn(
  data: ReadonlyMap<string, Record<string, unknown>>,
  objectId: string,
  idField: string,
): string | null {
  const found = data.get(objectId);
  if (!found) return null;
  const id = readOriginId(registerObject({ id: objectId, data: found }), idField);
  return id.ok ? id.id : null;
}
