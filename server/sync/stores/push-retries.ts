// The retry ledger of pushes (db/schema/push-retries.ts): which objects a push could not deliver and
// when each is tried again. A push or retry run writes it as it settles its objects (a listing of the
// synchronisation too, for what it could not write: run/listing-retries.ts) — scheduled again
// when the target's answer was a passing one (network, timeout, 429, 5xx), dropped when the object was
// delivered, had nothing to send, or was refused for good (that needs a change or a person) — and a run
// that failed as a whole schedules what it had not settled (runner/fail-run.ts).
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { pushRetries, runChanges, runs, sources, synchronisations } from '../../db/schema';
import { retryDelayMs } from '../core/retry-backoff';

/**
 * A synchronisation whose retries are tried (joined with its source): enabled, its source enabled, not
 * paused. The others' wait; a person's Run delivers them meanwhile.
 */
export const TAKES_CHANGES = and(
  eq(synchronisations.enabled, true),
  eq(sources.enabled, true),
  sql`coalesce(json_extract(${synchronisations.unsubscribe}, '$.paused'), 0) = 0`,
);

export interface RetryScope {
  readonly orgId: string;
  readonly syncId: string;
  readonly schemaId: string;
  readonly runId: string;
}

export interface Undelivered {
  readonly objectId: string;
  readonly changeId: string | null;
  /** A deletion's object data (its origin id after a hard delete); null for a live object. */
  readonly data?: Record<string, unknown> | null;
  readonly reason: string;
}

/**
 * Schedules the next attempt of objects this run could not deliver: one more failed attempt each, the
 * wait growing with their count. A replayed step (its row already scheduled by this run) counts nothing
 * twice. A run that knows no change id for an object (a listing) keeps the one its row had: the retry
 * run then moves that change's claim to itself, and its log names the change it delivered.
 */
export async function scheduleRetries(
  db: Db | Tx,
  scope: RetryScope,
  undelivered: readonly Undelivered[],
  delays: readonly number[],
  now = Date.now(),
): Promise<void> {
  if (undelivered.length === 0) return;
  const ids = undelivered.map((u) => u.objectId);
  const existing = await db
    .select({
      objectId: pushRetries.objectId,
      attempts: pushRetries.attempts,
      runId: pushRetries.runId,
      nextAttemptAt: pushRetries.nextAttemptAt,
    })
    .from(pushRetries)
    .where(and(eq(pushRetries.synchronisationId, scope.syncId), inArray(pushRetries.objectId, ids)));
  const before = new Map(existing.map((row) => [row.objectId, row]));
  const rows = undelivered.map((u) => {
    const row = before.get(u.objectId);
    const replayed = row && row.runId === scope.runId && row.nextAttemptAt !== null;
    const attempts = !row ? 1 : replayed ? row.attempts : row.attempts + 1;
    return [
      u.objectId,
      u.changeId,
      u.data ? JSON.stringify(u.data) : null,
      attempts,
      now + retryDelayMs(attempts, delays),
      u.reason,
    ];
  });
  await db.run(sql`INSERT INTO push_retries (org_id, synchronisation_id, schema_id, object_id, change_id, data,
      attempts, next_attempt_at, run_id, reason, created_at, updated_at)
    SELECT ${scope.orgId}, ${scope.syncId}, ${scope.schemaId}, value ->> 0, value ->> 1, value ->> 2,
      value ->> 3, value ->> 4, ${scope.runId}, value ->> 5, ${now}, ${now}
    FROM json_each(${JSON.stringify(rows)}) WHERE true
    ON CONFLICT (synchronisation_id, object_id) DO UPDATE SET
      change_id = coalesce(excluded.change_id, push_retries.change_id),
      data = excluded.data, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
      run_id = excluded.run_id, reason = excluded.reason, updated_at = excluded.updated_at`);
}

/**
 * Drops the retries of these objects: delivered, nothing to send, refused for good, or superseded. With
 * `ofRun`, only the rows that run holds or scheduled (another run's newer retry of the object stays).
 */
export async function dropRetries(
  db: Db | Tx,
  syncId: string,
  objectIds: readonly string[],
  ofRun?: string,
): Promise<void> {
  if (objectIds.length === 0) return;
  await db
    .delete(pushRetries)
    .where(
      and(
        eq(pushRetries.synchronisationId, syncId),
        inArray(pushRetries.objectId, [...objectIds]),
        ofRun === undefined ? undefined : eq(pushRetries.runId, ofRun),
      ),
    );
}

/** The objects whose retries a run holds or has scheduled again. */
export async function retriesOfRun(db: Db | Tx, runId: string): Promise<Set<string>> {
  const rows = await db
    .select({ objectId: pushRetries.objectId })
    .from(pushRetries)
    .where(eq(pushRetries.runId, runId));
  return new Set(rows.map((row) => row.objectId));
}

/** The retries a run holds (a retry run, from the moment it was queued until it settles them). */
export async function heldRetries(db: Db | Tx, runId: string) {
  return db
    .select({ objectId: pushRetries.objectId, changeId: pushRetries.changeId, data: pushRetries.data })
    .from(pushRetries)
    .where(and(eq(pushRetries.runId, runId), isNull(pushRetries.nextAttemptAt)));
}

/**
 * A push or retry run that failed as a whole: the objects it had not settled are tried again later —
 * a push run's that it had not delivered (their claims still pending, or never made: they are marked
 * failed in the ledger), a retry run's that it still holds. With `reason` null (a failure that would
 * strike again the same way), they are let go instead: they wait for a person.
 */
export async function retryUnsettled(
  db: Db,
  run: { id: string; orgId: string; synchronisationId: string },
  push: {
    schemaId: string;
    objectIds: readonly string[];
    changes: Readonly<Record<string, string>>;
    removed: Readonly<Record<string, Record<string, unknown>>>;
  },
  reason: string | null,
  delays: readonly number[],
): Promise<number> {
  const claims = await db
    .select({
      objectId: runChanges.objectId,
      changeId: runChanges.changeId,
      runId: runChanges.runId,
      outcome: runChanges.outcome,
    })
    .from(runChanges)
    .where(
      and(
        eq(runChanges.synchronisationId, run.synchronisationId),
        inArray(runChanges.changeId, Object.values(push.changes)),
      ),
    );
  const claimOf = new Map(claims.map((c) => [c.changeId, c]));
  const held = new Set((await heldRetries(db, run.id)).map((row) => row.objectId));
  const unsettled = push.objectIds.filter((id) => {
    if (held.has(id)) return true;
    const changeId = push.changes[id];
    if (changeId === undefined) return true;
    const claim = claimOf.get(changeId);
    return !claim || (claim.runId === run.id && claim.outcome === 'pending');
  });
  if (unsettled.length === 0) return 0;
  await db
    .update(runChanges)
    .set({ outcome: 'failed' })
    .where(and(eq(runChanges.runId, run.id), eq(runChanges.outcome, 'pending')));
  if (reason === null) {
    await dropRetries(db, run.synchronisationId, unsettled);
    return 0;
  }
  const scope = { orgId: run.orgId, syncId: run.synchronisationId, schemaId: push.schemaId, runId: run.id };
  await scheduleRetries(
    db,
    scope,
    unsettled.map((objectId) => ({
      objectId,
      changeId: push.changes[objectId] ?? null,
      data: push.removed[objectId] ?? null,
      reason,
    })),
    delays,
  );
  return unsettled.length;
}

/**
 * Rows held by a run that ended without settling them (cancelled by a person, or ended by an early
 * failure): tried again after the next delay, so none waits for ever.
 */
export async function releaseAbandoned(db: Db, delays: readonly number[], now = Date.now()): Promise<number> {
  const abandoned = await db
    .select({
      syncId: pushRetries.synchronisationId,
      objectId: pushRetries.objectId,
      attempts: pushRetries.attempts,
    })
    .from(pushRetries)
    .leftJoin(runs, eq(runs.id, pushRetries.runId))
    .where(
      and(isNull(pushRetries.nextAttemptAt), sql`coalesce(${runs.status} IN ('finished', 'cancelled'), 1)`),
    )
    .limit(2_000);
  for (const row of abandoned)
    await db
      .update(pushRetries)
      .set({
        attempts: row.attempts + 1,
        nextAttemptAt: new Date(now + retryDelayMs(row.attempts + 1, delays)),
      })
      .where(
        and(
          eq(pushRetries.synchronisationId, row.syncId),
          eq(pushRetries.objectId, row.objectId),
          isNull(pushRetries.nextAttemptAt),
        ),
      );
  return abandoned.length;
}

/**
 * After a complete listing of a synchronisation that reads a register (a person's Run, a schedule): every
 * object was compared with what the target last got, so a retry is left only for the objects whose write
 * failed again for a passing reason. The others were delivered, had nothing to send, or were refused.
 */
export async function settleRetriesAfterListing(tx: Tx, syncId: string): Promise<void> {
  // Most listings are pulls, with no retry ever: one look by the key, and nothing more for them.
  const [waiting] = await tx
    .select({ objectId: pushRetries.objectId })
    .from(pushRetries)
    .where(eq(pushRetries.synchronisationId, syncId))
    .limit(1);
  if (!waiting) return;
  await tx.run(sql`DELETE FROM push_retries WHERE synchronisation_id = ${syncId}
    AND NOT EXISTS (SELECT 1 FROM contracts
      WHERE contracts.sync_seq = (SELECT seq FROM synchronisations WHERE id = ${syncId})
        AND contracts.origin_object = push_retries.object_id AND contracts.status = 'failed')`);
}

/**
 * Per synchronisation of the organisation with retries waiting: when the next automatic attempt is (now,
 * for those a retry run holds; null while the synchronisation takes no changes), and how many of the
 * objects have no failed contract to count them (a new object whose push failed as a whole).
 */
export async function retriesOfOrg(db: Db, orgId: string, now: Date) {
  const rows = await db
    .select({
      syncId: pushRetries.synchronisationId,
      next: sql<number | null>`min(coalesce(${pushRetries.nextAttemptAt}, ${now.getTime()}))`,
      takesChanges: sql<number>`max(${TAKES_CHANGES})`,
      withoutContract: sql<number>`sum(NOT EXISTS (SELECT 1 FROM contracts
        WHERE contracts.sync_seq = ${synchronisations.seq} AND contracts.origin_object = ${pushRetries.objectId}
          AND contracts.status = 'failed'))`.mapWith(Number),
    })
    .from(pushRetries)
    .innerJoin(synchronisations, eq(synchronisations.id, pushRetries.synchronisationId))
    .innerJoin(sources, eq(sources.id, synchronisations.sourceId))
    .where(eq(pushRetries.orgId, orgId))
    .groupBy(pushRetries.synchronisationId);
  return new Map(
    rows.map((row) => [
      row.syncId,
      {
        nextAttemptAt: row.takesChanges && row.next !== null ? new Date(Number(row.next)) : null,
        withoutContract: row.withoutContract,
      },
    ]),
  );
}
