// The run log on libSQL: per-object entries (replaced per batch, so a retried step writes them once),
// cumulative progress, and the final result — which also updates the synchronisation's last-run state.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { runs, runListed, syncStates } from '../../db/schema';
import { RUN_COUNT_COLUMNS } from '../core/count-columns';
import { describeCursorMove } from '../core/incremental/window';
import type { RunCounts, RunSummary } from '../core/run-result';
import type { RunEntry, RunProgress, RunRecorder, TimelineEvent } from '../ports';
import { forgetListedIds } from './listed-ids';
import { purgeSettledIntents } from './create-intents';
import { emitRunEnd } from '../../services/notifications/emit';
import { afterListingRun } from './run-aftermath';
import { batchLogStatements, progressStatement } from './run-page-log';

/** The run's count columns (runs.found …), from the engine's counts. */
export function countColumns(counts: RunCounts): Pick<RunCounts, (typeof RUN_COUNT_COLUMNS)[number]> {
  return Object.fromEntries(RUN_COUNT_COLUMNS.map((name) => [name, counts[name]])) as Record<
    (typeof RUN_COUNT_COLUMNS)[number],
    number
  >;
}

export function createRunRecorder(db: Db, orgId: string, syncId: string, runId: string): RunRecorder {
  const thisRun = and(eq(runs.orgId, orgId), eq(runs.id, runId));
  return {
    async entries(
      batchKey: string,
      entries: readonly RunEntry[],
      timeline: readonly TimelineEvent[] = [],
    ): Promise<void> {
      // One batch (a transaction run in one go, not statement by statement across awaits): a retried
      // step's entries and timeline lines are replaced, never doubled.
      await db.$client.batch(batchLogStatements({ orgId, runId, batchKey, entries, timeline }), 'write');
    },

    async pageDone(batchKey, entries, timeline, progress): Promise<void> {
      const log = { orgId, runId, batchKey, entries, timeline };
      await db.$client.batch(batchLogStatements(log, progress), 'write');
    },

    async progress(progress: RunProgress): Promise<void> {
      await db.$client.execute(progressStatement({ orgId, runId }, progress));
    },

    async listing(kind): Promise<void> {
      await db.update(runs).set({ listing: kind }).where(thisRun);
    },

    async finish(summary: RunSummary): Promise<void> {
      const finishedAt = new Date();
      await db.transaction(async (tx) => {
        const [current] = await tx.select().from(runs).where(thisRun);
        // A person cancelled it after the executor's last check, while this step ran: they were answered
        // "cancelled", so it stays so — no result over it, no follow-ups, no cursor moved, no last run.
        if (current?.status === 'cancelled') return;
        const n = current?.interruptions ?? 0;
        // The log says so when the process running it died and the run was resumed.
        const resumed = n > 0 ? ` Resumed after ${n === 1 ? 'an interruption' : `${n} interruptions`}.` : '';
        // Follow-ups queued and a one-time synchronisation disabled, with the run's result, or neither.
        const aftermath = current ? await afterListingRun(tx, current, summary) : '';
        const reset = !summary.test && (await cursorResetMeanwhile(tx, syncId, summary));
        await tx
          .update(runs)
          .set({
            status: 'finished',
            result: summary.result,
            message: `${reset ? keptReset(summary) : summary.message}${resumed}${aftermath}`,
            complete: summary.complete,
            unreadable: summary.unreadable ?? 0,
            pageCap: summary.pageCap ?? null,
            pagesFetched: summary.pagesFetched,
            ...countColumns(summary.counts),
            finishedAt,
            heartbeatAt: finishedAt,
          })
          .where(thisRun);
        // The synchronisation's last run (its result in the list, what retention keeps) is a real one:
        // a test run only planned, and reads as such on its own log.
        if (!summary.test) {
          const cursor = reset ? NO_CURSOR : cursorColumns(summary, current?.startedAt ?? finishedAt);
          await tx
            .insert(syncStates)
            .values({
              synchronisationId: syncId,
              orgId,
              lastRunId: runId,
              lastRunAt: finishedAt,
              lastResult: summary.result,
              ...cursor.inserted,
            })
            .onConflictDoUpdate({
              target: syncStates.synchronisationId,
              set: { lastRunId: runId, lastRunAt: finishedAt, lastResult: summary.result, ...cursor.updated },
            });
        }
        // The ledger of listed ids is only needed while the run is under way.
        await tx.delete(runListed).where(eq(runListed.runId, runId));
        // A failure, held deletions or new conflicts are told with the result, or not at all.
        await emitRunEnd(tx, orgId, runId);
      });
      forgetListedIds(runId);
      // Creates whose contract is written are settled; what is left is adopted by the next attempt.
      await purgeSettledIntents(db, orgId, syncId);
    },
  };
}

const NO_CURSOR = { inserted: {}, updated: {} };

/**
 * Whether a person reset the cursor while this incremental run went on: it had one when it started (an
 * incremental run reads from it) and the state holds none now. The run read only from the old cursor, so
 * putting one back would undo the reset: the next run must list everything, as the person was told.
 */
async function cursorResetMeanwhile(tx: Tx, syncId: string, summary: RunSummary): Promise<boolean> {
  if (summary.incremental?.listing !== 'incremental') return false;
  const [state] = await tx
    .select({ cursor: syncStates.cursor })
    .from(syncStates)
    .where(eq(syncStates.synchronisationId, syncId));
  return state !== undefined && (state.cursor === null || state.cursor === undefined);
}

/** The run's message with its sentence on the cursor telling that the reset stands. */
function keptReset(summary: RunSummary): string {
  const kept =
    'The cursor was reset while the run went on, so it stays reset: the next run lists everything.';
  if (!summary.incremental) return summary.message;
  const move = describeCursorMove(summary.incremental.move);
  const at = summary.message.lastIndexOf(move);
  if (at < 0) return `${summary.message} ${kept}`;
  return `${summary.message.slice(0, at)}${kept}${summary.message.slice(at + move.length)}`;
}

/**
 * The cursor is written here, in the finish step's transaction, and only by a run that completed: a
 * crash, a failed page or a cancelled run never gets here with a move. A completed full run starts the
 * count of incremental runs again.
 */
function cursorColumns(summary: RunSummary, startedAt: Date) {
  const incremental = summary.incremental;
  if (!incremental || !summary.complete) return { inserted: {}, updated: {} };
  const full = incremental.listing === 'full';
  const move = incremental.move;
  const cursor = move.kind === 'advance' ? { cursor: move.cursor, cursorSetAt: startedAt } : {};
  return {
    inserted: { ...cursor, runsSinceFull: full ? 0 : 1 },
    updated: { ...cursor, runsSinceFull: full ? 0 : sql`${syncStates.runsSinceFull} + 1` },
  };
}
