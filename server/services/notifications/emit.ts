// The one place notifications are emitted. A run's end is where the organisation learns that it failed,
// that it held deletions for approval, or that it opened conflicts: `emitRunEnd` reads what the run left
// and writes a notification per event (once: a retried finish step finds it there already) with a
// delivery per subscribed webhook endpoint, in the caller's transaction when it has one. Sending is the
// deliverer's job (deliver.ts); nothing here leaves the database.
import { and, count, eq, gte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
  conflicts,
  runs,
  synchronisations,
  notifications,
  webhookDeliveries,
  webhookEndpoints,
  type NotificationEvent,
} from '../../db/schema';

import {
  FAILING_REMINDER_MS,
  failingStreak,
  lastFailureTold,
  previousRun,
  runCounts,
  toldTime,
} from './streaks';

type Writer = Db | Tx;

export interface NewNotification {
  orgId: string;
  event: NotificationEvent;
  dedupeKey: string;
  synchronisationId: string | null;
  runId: string | null;
  conflictId: string | null;
  title: string;
  message: string;
  path: string;
  data: Record<string, unknown>;
}

/** Writes the notification and its deliveries; false when it was emitted before. */
export async function notify(db: Writer, n: NewNotification, now = new Date()): Promise<boolean> {
  const [row] = await db
    .insert(notifications)
    .values({ ...n, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  if (!row) return false;
  const endpoints = await db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, n.orgId), eq(webhookEndpoints.enabled, true)));
  const subscribed = endpoints.filter((e) => e.events.includes(n.event));
  if (subscribed.length > 0) {
    await db.insert(webhookDeliveries).values(
      subscribed.map((e) => ({
        orgId: n.orgId,
        endpointId: e.id,
        notificationId: row.id,
        event: n.event,
        nextAttemptAt: now,
      })),
    );
  }
  return true;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * After a run is recorded as finished (recorder's finish transaction, or failRun): a failure, held
 * deletions and the conflicts it opened become notifications. Test runs change nothing and tell no one.
 */
export async function emitRunEnd(db: Writer, orgId: string, runId: string): Promise<void> {
  const [run] = await db
    .select({
      id: runs.id,
      syncId: runs.synchronisationId,
      syncName: synchronisations.name,
      trigger: runs.trigger,
      test: runs.test,
      result: runs.result,
      message: runs.message,
      held: runs.held,
      createdAt: runs.createdAt,
      finishedAt: runs.finishedAt,
    })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .where(and(eq(runs.orgId, orgId), eq(runs.id, runId)));
  if (!run || run.test) return;
  const sync = { id: run.syncId, name: run.syncName };
  const base = { orgId, synchronisationId: run.syncId, runId: run.id };
  const runData = {
    synchronisation: sync,
    run: { id: run.id, trigger: run.trigger, result: run.result, finishedAt: run.finishedAt?.toISOString() },
  };

  const inStreak = { id: run.id, syncId: run.syncId, createdAt: run.createdAt };
  if (run.result === 'error') await tellFailure(db, base, run, runData);
  else if (await runCounts(db, inStreak)) {
    // The first run that works after failed ones: the failure the organisation was told of is over.
    const before = await previousRun(db, inStreak);
    if (before?.result === 'error') {
      const { failed, since } = await failingStreak(db, inStreak, 'before');
      const ended = run.result === 'success' ? 'succeeded' : 'ended with warnings';
      await notify(db, {
        ...base,
        event: 'run.recovered',
        dedupeKey: `run.recovered:${run.id}`,
        conflictId: null,
        title: `“${run.syncName}” works again`,
        message: `The run ${ended} after ${plural(failed, 'failed run')}${since ? ` since ${toldTime(since)}` : ''}.`,
        path: `/logs/${run.id}`,
        data: { ...runData, failedRuns: failed, failingSince: since?.toISOString() ?? null },
      });
    }
  }

  // Held deletions are news when more are held than the last run that got that far held: the same ones
  // held again while nobody decided are not.
  const heldBefore = run.held > 0 ? ((await previousRun(db, inStreak, true))?.held ?? 0) : 0;
  if (run.held > heldBefore) {
    await notify(db, {
      ...base,
      event: 'deletions.held',
      dedupeKey: `deletions.held:${run.id}`,
      conflictId: null,
      title: `${plural(run.held, 'deletion')} held in “${run.syncName}”`,
      message: 'More objects vanished from the source than the threshold allows: approve or reject them.',
      path: `/synchronisations/${run.syncId}`,
      data: { ...runData, held: run.held },
    });
  }

  // Conflicts this run found (an open one a later run updates keeps its creation time, so only new ones).
  const opened = and(
    eq(conflicts.orgId, orgId),
    eq(conflicts.synchronisationId, run.syncId),
    eq(conflicts.runId, run.id),
    eq(conflicts.status, 'open'),
    gte(conflicts.createdAt, run.createdAt),
  );
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(conflicts).where(opened);
  if (n > 0) {
    const first = await db
      .select({ id: conflicts.id, originId: conflicts.originId, kind: conflicts.kind })
      .from(conflicts)
      .where(opened)
      .limit(100);
    const one = n === 1 ? first[0] : undefined;
    await notify(db, {
      ...base,
      event: 'conflict.opened',
      dedupeKey: `conflict.opened:${run.id}`,
      conflictId: one?.id ?? null,
      title: `${plural(n, 'conflict')} opened in “${run.syncName}”`,
      // Every kind a conflict may be: changed on both sides, changed on one and deleted on the other, or
      // different on both when first matched (no earlier version to go by).
      message:
        'The two sides disagree on these objects (changed on both, or deleted on one and changed on the other, or different when first matched): a person chooses what is kept.',
      path: one ? `/conflicts/${one.id}` : `/conflicts?sync=${run.syncId}`,
      data: { ...runData, count: n, conflicts: first },
    });
  }
}

/**
 * A failed run: told when it starts a streak of failures; in the middle of one, only once a day after the
 * last word on it, as "still failing" with how many runs failed since when.
 */
async function tellFailure(
  db: Writer,
  base: { orgId: string; synchronisationId: string; runId: string },
  run: { id: string; syncId: string; syncName: string; message: string | null; createdAt: Date },
  runData: Record<string, unknown>,
): Promise<void> {
  const inStreak = { id: run.id, syncId: run.syncId, createdAt: run.createdAt };
  const before = await previousRun(db, inStreak);
  const first = before?.result !== 'error';
  if (!first) {
    const told = await lastFailureTold(db, base.orgId, run.syncId);
    if (told && Date.now() - told.getTime() < FAILING_REMINDER_MS) return;
  }
  const { failed, since } = first ? { failed: 1, since: null } : await failingStreak(db, inStreak, 'this');
  const latest = run.message ?? '';
  await notify(db, {
    ...base,
    event: 'run.failed',
    dedupeKey: `run.failed:${run.id}`,
    conflictId: null,
    title: first ? `“${run.syncName}” failed` : `“${run.syncName}” still failing`,
    message: (first
      ? latest
      : `${plural(failed, 'run')} failed in a row${since ? ` since ${toldTime(since)}` : ''}. The latest: ${latest}`
    ).slice(0, 500),
    path: `/logs/${run.id}`,
    data: {
      ...runData,
      message: run.message,
      failedRuns: failed,
      failingSince: since?.toISOString() ?? null,
    },
  });
}
