// The create intents of one synchronisation at one system (db/schema/create-intents.ts): written before
// a create leaves, marked sent when its answer arrives (or accepted, with the object sent, when the answer
// did not name it), purged once the object's contract exists.
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { createIntents, syncSeqOf } from '../../db/schema';
import type { CreateIntentStore, PendingCreate } from '../targets/create-intents';

export interface IntentScope {
  readonly orgId: string;
  readonly syncId: string;
  readonly systemId: string;
  readonly runId: string;
}

/** A two-way create at the source is keyed by the register object it comes from (two-way/batch.ts keyOf). */
const REGISTER_KEY = 'register:';

export function createIntentStore(
  db: Db,
  scope: IntentScope,
): CreateIntentStore & {
  /**
   * A two-way write-back's creates whose answer never named the new object: accepted without one, or
   * still `sending` (the process died, or the connection broke, while the request was out — it may have
   * landed). The register object each came from and what was sent, for the listing to recognise
   * (two-way/page-pairing.ts).
   */
  outstandingFromRegister(): Promise<{ registerId: string; sent: Record<string, unknown> }[]>;
} {
  const mine = and(
    eq(createIntents.orgId, scope.orgId),
    eq(createIntents.synchronisationId, scope.syncId),
    eq(createIntents.systemId, scope.systemId),
  );
  return {
    async pending(originIds) {
      const found = new Map<string, PendingCreate>();
      if (originIds.length === 0) return found;
      const rows = await db
        .select()
        .from(createIntents)
        .where(and(mine, inArray(createIntents.originId, [...originIds])));
      for (const row of rows)
        found.set(row.originId, {
          idempotencyKey: row.idempotencyKey,
          sent:
            row.state === 'sent' && row.targetId !== null && row.targetHash !== null
              ? { targetId: row.targetId, targetHash: row.targetHash }
              : null,
          accepted: row.state === 'accepted' ? (row.sentObject ?? null) : null,
        });
      return found;
    },

    async sending(items) {
      if (items.length === 0) return;
      const now = new Date();
      await db
        .insert(createIntents)
        .values(
          items.map((item) => ({
            orgId: scope.orgId,
            synchronisationId: scope.syncId,
            systemId: scope.systemId,
            originId: item.originId,
            idempotencyKey: item.idempotencyKey,
            sentObject: item.object ? { ...item.object } : null,
            runId: scope.runId,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: [createIntents.synchronisationId, createIntents.systemId, createIntents.originId],
          set: {
            state: 'sending',
            targetId: null,
            targetHash: null,
            sentObject: sql`excluded.sent_object`,
            runId: scope.runId,
            updatedAt: now,
          },
        });
    },

    async sent(items) {
      if (items.length === 0) return;
      // One statement for the batch: each row gets its own id and hash from a JSON array.
      const rows = JSON.stringify(items.map((item) => [item.originId, item.targetId, item.targetHash]));
      await db.run(sql`UPDATE create_intents SET state = 'sent', sent_object = NULL,
          target_id = (SELECT value ->> 1 FROM json_each(${rows}) WHERE value ->> 0 = create_intents.origin_id),
          target_hash = (SELECT value ->> 2 FROM json_each(${rows}) WHERE value ->> 0 = create_intents.origin_id),
          updated_at = ${Date.now()}
        WHERE org_id = ${scope.orgId} AND synchronisation_id = ${scope.syncId} AND system_id = ${scope.systemId}
          AND origin_id IN (SELECT value ->> 0 FROM json_each(${rows}))`);
    },

    async accepted(items) {
      if (items.length === 0) return;
      const rows = JSON.stringify(items.map((item) => [item.originId, item.object]));
      await db.run(sql`UPDATE create_intents SET state = 'accepted', target_id = NULL, target_hash = NULL,
          sent_object = (SELECT json(value -> 1) FROM json_each(${rows}) WHERE value ->> 0 = create_intents.origin_id),
          updated_at = ${Date.now()}
        WHERE org_id = ${scope.orgId} AND synchronisation_id = ${scope.syncId} AND system_id = ${scope.systemId}
          AND origin_id IN (SELECT value ->> 0 FROM json_each(${rows}))`);
    },

    async outstandingFromRegister() {
      const rows = await db
        .select({ originId: createIntents.originId, sentObject: createIntents.sentObject })
        .from(createIntents)
        .where(
          and(
            mine,
            inArray(createIntents.state, ['accepted', 'sending']),
            like(createIntents.originId, `${REGISTER_KEY}%`),
          ),
        );
      return rows.flatMap((row) =>
        row.sentObject ? [{ registerId: row.originId.slice(REGISTER_KEY.length), sent: row.sentObject }] : [],
      );
    },

    async forget(originIds) {
      if (originIds.length === 0) return;
      await db.delete(createIntents).where(and(mine, inArray(createIntents.originId, [...originIds])));
    },
  };
}

/**
 * Drops the intents of a synchronisation whose object now has a contract: pull and push contracts hold
 * the created object's id as their target id, a two-way contract created at the source holds it as its
 * origin id. What is left belongs to a create whose contract was never written: the next attempt adopts it.
 * Two lookups, each on its index: as one OR, SQLite walked every contract of the synchronisation.
 * A two-way create the source `accepted` without naming the object, or one left `sending`, is dropped once
 * a live contract links its register object (the listing recognised it at the source:
 * two-way/page-pairing.ts).
 */
export async function purgeSettledIntents(db: Db, orgId: string, syncId: string): Promise<void> {
  await db.run(sql`DELETE FROM create_intents
    WHERE org_id = ${orgId} AND synchronisation_id = ${syncId}
      AND state = 'sent'
      AND (EXISTS (SELECT 1 FROM contracts c WHERE c.sync_seq = ${syncSeqOf(syncId)}
             AND c.target_id = create_intents.target_id)
        OR EXISTS (SELECT 1 FROM contracts c WHERE c.sync_seq = ${syncSeqOf(syncId)}
             AND c.origin_id = create_intents.target_id))`);
  await db.run(sql`DELETE FROM create_intents
    WHERE org_id = ${orgId} AND synchronisation_id = ${syncId}
      AND state IN ('accepted', 'sending') AND origin_id LIKE ${`${REGISTER_KEY}%`}
      AND EXISTS (SELECT 1 FROM contracts c WHERE c.sync_seq = ${syncSeqOf(syncId)}
             AND c.target_id = substr(create_intents.origin_id, ${REGISTER_KEY.length + 1})
             AND c.status <> 'deleted')`);
}
