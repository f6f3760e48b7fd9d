// Turns the push outbox's settled changes into push runs, one per subscribing synchronisation, in ONE
// batch: the rows are taken (deleted) and the runs queued together, so a process that dies on either
// side of the commit delivers each change once — before it, the rows are still there; after it, the
// queued runs are (the embedded runner resumes them, Inngest gets them from the sweep).
// Both executors call this: the embedded drainer (outbox-drainer.ts) and the push-changes function.
import { asc, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { outbox, runs } from '../db/schema';
import { needsOriginIds, receivesChange } from '../sync/core/fan-out';
import { PUSH_BATCH, type PushCursor } from '../sync/run/push-cursor';
import { objectDataOf, originIdIn, pushSubscribers } from '../sync/stores/push-subscribers';
import { claimedPairs } from '../sync/stores/run-changes';

export interface PushTiming {
  /** A change goes out once its object has not changed for this long (coalescing a burst). */
  debounceMs: number;
  /** …or once its first change has waited this long, however often the object keeps changing. */
  maxWaitMs: number;
}

export interface DrainResult {
  /** The queued push runs, for the executor to start. */
  runs: { id: string; synchronisationId: string }[];
  /** Outbox rows taken (also those no synchronisation wanted). */
  taken: number;
  /** When the next waiting change settles (ms since the epoch), or null when none waits. */
  nextDueAt: number | null;
}

type OutboxRow = typeof outbox.$inferSelect;

function settled(timing: PushTiming, now: number) {
  return or(
    lte(outbox.updatedAt, new Date(now - timing.debounceMs)),
    lte(outbox.createdAt, new Date(now - timing.maxWaitMs)),
  );
}

export async function drainOutbox(
  db: Db,
  timing: PushTiming,
  options: { now?: number; limit?: number } = {},
): Promise<DrainResult> {
  const now = options.now ?? Date.now();
  const rows = await db
    .select()
    .from(outbox)
    .where(settled(timing, now))
    .orderBy(asc(outbox.updatedAt))
    .limit(options.limit ?? 2_000);
  if (rows.length === 0) return { runs: [], taken: 0, nextDueAt: await nextDue(db, timing) };

  const planned = await planRuns(db, rows);
  // Only the rows as they were read: one changed since (a newer edit) stays and goes out again later,
  // which costs a push run that finds the object already sent. Nothing is taken without its runs.
  const read = JSON.stringify(rows.map((row) => [row.id, row.updatedAt.getTime()]));
  // By primary key first; the pair check is one lookup in a list SQLite builds once.
  const take = db.run(sql`DELETE FROM outbox WHERE id IN (SELECT value ->> 0 FROM json_each(${read}))
    AND (id, updated_at) IN (SELECT value ->> 0, value ->> 1 FROM json_each(${read}))`);
  // One batch: atomic, and it holds no lock across awaits (see stores/outbox.ts).
  let queued: DrainResult['runs'] = [];
  let taken: number;
  if (planned.length > 0) {
    const insert = db
      .insert(runs)
      .values(planned)
      .returning({ id: runs.id, synchronisationId: runs.synchronisationId });
    // A newer change supersedes a retry waiting for the same object and subscriber: the run queued now
    // sends the object as it is, and a retry after it would only find it sent (stores/push-retries.ts).
    const pairs = JSON.stringify(
      planned.flatMap((run) =>
        ((run.cursor as { push: PushCursor }).push.objectIds ?? []).map((id) => [run.synchronisationId, id]),
      ),
    );
    const superseded = db.run(sql`DELETE FROM push_retries
      WHERE (synchronisation_id, object_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(${pairs}))`);
    const [inserted, deleted] = await db.batch([insert, take, superseded]);
    queued = inserted;
    taken = deleted.rowsAffected;
  } else {
    const [deleted] = await db.batch([take]);
    taken = deleted.rowsAffected;
  }
  return { runs: queued, taken, nextDueAt: await nextDue(db, timing) };
}

/**
 * One push run per subscriber and batch of objects, leaving out the subscribers a change came from,
 * those that unsubscribed (paused, or not wanting that object), and those a change was already claimed
 * for (the same change queued again: a drain retried, or a process restarted before its row was taken).
 */
async function planRuns(db: Db, rows: readonly OutboxRow[]): Promise<(typeof runs.$inferInsert)[]> {
  const bySchema = new Map<string, OutboxRow[]>();
  for (const row of rows) bySchema.set(row.schemaId, [...(bySchema.get(row.schemaId) ?? []), row]);
  const claimed = await claimedPairs(
    db,
    rows.flatMap((row) => (row.changeId ? [row.changeId] : [])),
  );
  const planned: (typeof runs.$inferInsert)[] = [];
  for (const [schemaId, changes] of bySchema) {
    const orgId = changes[0]!.orgId;
    const subscribers = await pushSubscribers(db, orgId, schemaId);
    const data = needsOriginIds(subscribers) ? await objectDataOf(db, orgId, schemaId, changes) : null;
    for (const subscriber of subscribers) {
      const wanted = changes.filter(
        (row) =>
          !(row.changeId && claimed.has(`${row.changeId}:${subscriber.id}`)) &&
          receivesChange(
            subscriber,
            { systemId: row.originSystemId, syncId: row.originSyncId },
            { objectId: row.objectId, originId: data && originIdIn(data, row.objectId, subscriber.idField) },
          ),
      );
      for (let i = 0; i < wanted.length; i += PUSH_BATCH) {
        const batch = wanted.slice(i, i + PUSH_BATCH);
        const push: PushCursor = {
          schemaId,
          objectIds: batch.map((row) => row.objectId),
          removed: Object.fromEntries(
            batch.flatMap((row) => (row.op === 'delete' && row.data ? [[row.objectId, row.data]] : [])),
          ),
          changes: Object.fromEntries(
            batch.flatMap((row) => (row.changeId ? [[row.objectId, row.changeId]] : [])),
          ),
        };
        planned.push({ orgId, synchronisationId: subscriber.id, trigger: 'push', cursor: { push } });
      }
    }
  }
  return planned;
}

async function nextDue(db: Db, timing: PushTiming): Promise<number | null> {
  const [row] = await db
    .select({
      at: sql<
        number | null
      >`min(min(${outbox.updatedAt} + ${timing.debounceMs}, ${outbox.createdAt} + ${timing.maxWaitMs}))`,
    })
    .from(outbox);
  return row?.at ?? null;
}

/** The timing from the environment (CONCORD_PUSH_DEBOUNCE_MS); the longest wait is ten windows. */
export function pushTimingOf(debounceMs: number): PushTiming {
  return { debounceMs, maxWaitMs: Math.max(10 * debounceMs, 1_000) };
}
