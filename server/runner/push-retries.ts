// The retry tick: queues a `retry` run of the objects a push could not deliver once their next attempt
// is due (db/schema/push-retries.ts), one run per synchronisation and 500 objects. The rows are taken
// (held by the run) in the transaction that inserts it, so two ticks never queue the same object twice.
// Only for synchronisations that still receive the schema's changes: enabled, their source enabled, not
// paused — the others' rows wait, unread (the Overview says so), and a deleted synchronisation's went with
// it. A synchronisation that no longer reads the schema, or that unsubscribed from the object, lets its
// retry go (below).
// Both executors call this: the embedded runner's retrier (push-retrier.ts) and the schedule tick.
import { and, asc, eq, inArray, isNotNull, lte, min } from 'drizzle-orm';
import type { Db } from '../db/client';
import { newId } from '../db/ids';
import { pushRetries, runs, sources, synchronisations } from '../db/schema';
import { BY_A_PERSON, needsOriginIds, receivesChange } from '../sync/core/fan-out';
import { PUSH_BATCH, type PushCursor } from '../sync/run/push-cursor';
import { releaseAbandoned, TAKES_CHANGES } from '../sync/stores/push-retries';
import { objectDataOf, originIdIn, pushSubscribers } from '../sync/stores/push-subscribers';

export interface RetryTickResult {
  /** The queued retry runs, for the executor to start. */
  runs: { id: string; synchronisationId: string }[];
  /** When the next waiting retry is due (ms since the epoch), or null when none waits. */
  nextDueAt: number | null;
}

export async function requestDueRetries(
  db: Db,
  delays: readonly number[],
  now = Date.now(),
): Promise<RetryTickResult> {
  // Rows a run held and let go without settling (cancelled, or ended before its first step).
  await releaseAbandoned(db, delays, now);
  const due = await db
    .select({
      orgId: pushRetries.orgId,
      syncId: pushRetries.synchronisationId,
      schemaId: pushRetries.schemaId,
      objectId: pushRetries.objectId,
      changeId: pushRetries.changeId,
      data: pushRetries.data,
    })
    .from(pushRetries)
    .innerJoin(synchronisations, eq(synchronisations.id, pushRetries.synchronisationId))
    .innerJoin(sources, eq(sources.id, synchronisations.sourceId))
    .where(and(lte(pushRetries.nextAttemptAt, new Date(now)), TAKES_CHANGES))
    .orderBy(asc(pushRetries.nextAttemptAt))
    .limit(2_000);

  const queued: RetryTickResult['runs'] = [];
  for (const group of groupBy(due, (row) => `${row.syncId} ${row.schemaId}`)) {
    const { orgId, syncId, schemaId } = group[0]!;
    const subscriber = (await pushSubscribers(db, orgId, schemaId)).find((s) => s.id === syncId);
    // No longer reading the schema: nothing to retry there.
    if (!subscriber) {
      await letGo(db, syncId, group);
      continue;
    }
    // Objects it unsubscribed from (by register id or by the id its data carries, as the drain decides)
    // are let go too, not kept until the subscription comes back: changes made while an object is
    // unsubscribed are not delivered later either (the drain queues none), so its older undelivered change
    // would be the only one to arrive. Its contract stays failed (the contracts list and the Overview still
    // count it as not delivered) and a person's Run delivers it. Kept, such a row would stay due and be
    // read again at every tick, ahead of the others.
    const data = needsOriginIds([subscriber]) ? await objectDataOf(db, orgId, schemaId, group) : null;
    const wanted: DueRow[] = [];
    const unwanted: DueRow[] = [];
    for (const row of group) {
      const object = {
        objectId: row.objectId,
        originId: data && originIdIn(data, row.objectId, subscriber.idField),
      };
      (receivesChange(subscriber, BY_A_PERSON, object) ? wanted : unwanted).push(row);
    }
    await letGo(db, syncId, unwanted);
    for (let i = 0; i < wanted.length; i += PUSH_BATCH) {
      const run = await queueRetryRun(db, { orgId, syncId, schemaId }, wanted.slice(i, i + PUSH_BATCH), now);
      if (run) queued.push(run);
    }
  }
  return { runs: queued, nextDueAt: await nextDue(db) };
}

/** Deletes these due retries (not one a tick took into a run meanwhile: that run settles it). */
async function letGo(db: Db, syncId: string, rows: readonly DueRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.delete(pushRetries).where(
    and(
      eq(pushRetries.synchronisationId, syncId),
      inArray(
        pushRetries.objectId,
        rows.map((row) => row.objectId),
      ),
      isNotNull(pushRetries.nextAttemptAt),
    ),
  );
}

type DueRow = {
  objectId: string;
  changeId: string | null;
  data: Record<string, unknown> | null;
};

/** Takes the rows still due and queues their run, in one transaction; null when another tick took them. */
async function queueRetryRun(
  db: Db,
  scope: { orgId: string; syncId: string; schemaId: string },
  rows: readonly DueRow[],
  now: number,
): Promise<{ id: string; synchronisationId: string } | null> {
  const runId = newId('run');
  const cursorOf = (held: readonly DueRow[]): { push: PushCursor } => ({
    push: {
      schemaId: scope.schemaId,
      objectIds: held.map((row) => row.objectId),
      removed: Object.fromEntries(held.flatMap((row) => (row.data ? [[row.objectId, row.data]] : []))),
      changes: Object.fromEntries(
        held.flatMap((row) => (row.changeId ? [[row.objectId, row.changeId]] : [])),
      ),
    },
  });
  return db.transaction(async (tx) => {
    // The run first: the rows name it (their foreign key).
    await tx.insert(runs).values({
      id: runId,
      orgId: scope.orgId,
      synchronisationId: scope.syncId,
      trigger: 'retry',
      cursor: cursorOf(rows),
    });
    const taken = await tx
      .update(pushRetries)
      .set({ nextAttemptAt: null, runId, updatedAt: new Date(now) })
      .where(
        and(
          eq(pushRetries.synchronisationId, scope.syncId),
          inArray(
            pushRetries.objectId,
            rows.map((row) => row.objectId),
          ),
          isNotNull(pushRetries.nextAttemptAt),
          lte(pushRetries.nextAttemptAt, new Date(now)),
        ),
      )
      .returning({ objectId: pushRetries.objectId, changeId: pushRetries.changeId, data: pushRetries.data });
    // Another tick took them meanwhile: no run, or a run of what this one holds.
    if (taken.length === 0) {
      await tx.delete(runs).where(eq(runs.id, runId));
      return null;
    }
    if (taken.length < rows.length)
      await tx
        .update(runs)
        .set({ cursor: cursorOf(taken) })
        .where(eq(runs.id, runId));
    return { id: runId, synchronisationId: scope.syncId };
  });
}

async function nextDue(db: Db): Promise<number | null> {
  const [row] = await db
    .select({ at: min(pushRetries.nextAttemptAt) })
    .from(pushRetries)
    .innerJoin(synchronisations, eq(synchronisations.id, pushRetries.synchronisationId))
    .innerJoin(sources, eq(sources.id, synchronisations.sourceId))
    .where(TAKES_CHANGES);
  return row?.at ? row.at.getTime() : null;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return [...groups.values()];
}
