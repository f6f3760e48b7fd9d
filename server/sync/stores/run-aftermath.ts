// What a listing run's end sets off, in the same transaction that records its result, so a process that
// dies right after the run loses neither: its follow-up runs are queued (same test/force mode), and a
// one-time synchronisation disables itself. Follow-ups run after success and warning, not after an
// error (whatever the error left undone is not a base to build on) and not after a cancellation (a
// cancelled run never finishes). Each follow-up's log names the run that requested it. A complete listing
// also lets go of the push retries it delivered (stores/push-retries.ts).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runs, synchronisations, syncFollowUps, syncStates } from '../../db/schema';
import type { RunSummary } from '../core/run-result';
import { isPushRun } from '../run/push-cursor';
import { settleRetriesAfterListing } from './push-retries';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type RunRow = typeof runs.$inferSelect;

/** How far up a chain of follow-ups the loop guard looks (chains are short; loops are refused when saved). */
const MAX_CHAIN = 100;

/** Sentences for the run's message; empty when the run sets nothing off. */
export async function afterListingRun(tx: Tx, run: RunRow, summary: RunSummary): Promise<string> {
  // Approved deletions and single objects are not runs of the synchronisation as a whole.
  if (run.trigger === 'approval' || run.cursor?.object) return '';
  const words: string[] = [];
  const parent = await requestedBy(tx, run);
  if (parent) words.push(parent);
  words.push(...(await queueFollowUps(tx, run, summary)));
  if (!summary.test) {
    const disabled = await disableOneTime(tx, run, summary);
    if (disabled) words.push(disabled);
    // A complete listing compared every register object with what the target got: the pushes it
    // delivered (or found delivered) are not tried again.
    if (summary.complete && !isPushRun(run)) await settleRetriesAfterListing(tx, run.synchronisationId);
  }
  return words.map((w) => ` ${w}`).join('');
}

/** The follow-up's own log: which run of which synchronisation requested it. */
async function requestedBy(tx: Tx, run: RunRow): Promise<string | null> {
  if (!run.requestedByRunId) return null;
  const [parent] = await tx
    .select({ name: synchronisations.name })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .where(and(eq(runs.orgId, run.orgId), eq(runs.id, run.requestedByRunId)));
  return `Started as a follow-up of “${parent?.name ?? 'a deleted synchronisation'}” (run ${run.requestedByRunId}).`;
}

async function queueFollowUps(tx: Tx, run: RunRow, summary: RunSummary): Promise<string[]> {
  const followUps = await tx
    .select({ id: synchronisations.id, name: synchronisations.name, enabled: synchronisations.enabled })
    .from(syncFollowUps)
    .innerJoin(synchronisations, eq(synchronisations.id, syncFollowUps.followUpId))
    .where(
      and(eq(syncFollowUps.orgId, run.orgId), eq(syncFollowUps.synchronisationId, run.synchronisationId)),
    )
    .orderBy(asc(syncFollowUps.position));
  if (followUps.length === 0) return [];
  const names = (list: readonly { name: string }[]) => list.map((f) => `“${f.name}”`).join(', ');
  if (summary.result === 'error')
    return [`Follow-ups not started, as the run ended in error: ${names(followUps)}.`];

  const chain = await chainOf(tx, run);
  // Already requested by this run: the finish step ran before and is being retried.
  const earlier = await tx
    .select({ syncId: runs.synchronisationId })
    .from(runs)
    .where(and(eq(runs.orgId, run.orgId), eq(runs.requestedByRunId, run.id)));
  const requested = new Set(earlier.map((r) => r.syncId));
  // A run of the follow-up that waits to start will read what this run wrote: no second one is needed.
  const waiting = await tx
    .select({ syncId: runs.synchronisationId })
    .from(runs)
    .where(
      and(
        eq(runs.orgId, run.orgId),
        eq(runs.status, 'queued'),
        eq(runs.test, run.test),
        inArray(
          runs.synchronisationId,
          followUps.map((f) => f.id),
        ),
      ),
    );
  const queued = new Set(waiting.map((r) => r.syncId));
  const started: { name: string }[] = [];
  const skipped: string[] = [];
  for (const followUp of followUps) {
    if (requested.has(followUp.id)) {
      started.push(followUp);
      continue;
    }
    // Saving refuses loops; two edits at once could still make one, and a chain must end.
    if (chain.has(followUp.id)) {
      skipped.push(`“${followUp.name}” not started: it already ran earlier in this chain of follow-ups.`);
      continue;
    }
    if (!followUp.enabled && !run.test) {
      skipped.push(`“${followUp.name}” not started: it is disabled.`);
      continue;
    }
    if (queued.has(followUp.id)) {
      skipped.push(`“${followUp.name}” not started again: a run of it is already waiting to start.`);
      continue;
    }
    await tx.insert(runs).values({
      orgId: run.orgId,
      synchronisationId: followUp.id,
      trigger: 'follow-up',
      test: run.test,
      force: run.force,
      requestedBy: run.requestedBy,
      requestedByRunId: run.id,
    });
    started.push(followUp);
  }
  const words: string[] = [];
  if (started.length > 0) words.push(`Follow-ups started: ${names(started)}.`);
  if (skipped.length > 0) words.push(`Follow-up ${skipped.join(' Follow-up ')}`);
  return words;
}

/** The synchronisations of this run and of the runs that requested it, up the chain. */
async function chainOf(tx: Tx, run: RunRow): Promise<Set<string>> {
  const chain = new Set([run.synchronisationId]);
  let parentId = run.requestedByRunId;
  for (let depth = 0; parentId && depth < MAX_CHAIN; depth++) {
    const [parent] = await tx
      .select({ syncId: runs.synchronisationId, parentId: runs.requestedByRunId })
      .from(runs)
      .where(and(eq(runs.orgId, run.orgId), eq(runs.id, parentId)));
    if (!parent) break;
    chain.add(parent.syncId);
    parentId = parent.parentId;
  }
  return chain;
}

/** A one-time synchronisation has had its run: it disables itself and says why. */
async function disableOneTime(tx: Tx, run: RunRow, summary: RunSummary): Promise<string | null> {
  const at = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const reason =
    `One-time synchronisation: it ran once on ${at} UTC (run ${run.id}, ${summary.result}) ` +
    'and disabled itself.';
  const disabled = await tx
    .update(synchronisations)
    // Not an edit of how objects are synchronised: the skip rule stays valid (updatedAt kept).
    .set({ enabled: false, disabledReason: reason, updatedAt: sql`${synchronisations.updatedAt}` })
    .where(
      and(
        eq(synchronisations.orgId, run.orgId),
        eq(synchronisations.id, run.synchronisationId),
        eq(synchronisations.oneTime, true),
        eq(synchronisations.enabled, true),
      ),
    )
    .returning({ id: synchronisations.id });
  if (disabled.length === 0) return null;
  // A run requested meanwhile (a follow-up, the trigger endpoint) would make it run twice: it ends unstarted.
  await tx
    .update(runs)
    .set({
      status: 'cancelled',
      result: 'warning',
      message: 'Not started: this one-time synchronisation had already run once.',
      finishedAt: new Date(),
    })
    .where(
      and(
        eq(runs.orgId, run.orgId),
        eq(runs.synchronisationId, run.synchronisationId),
        eq(runs.status, 'queued'),
        eq(runs.test, false),
      ),
    );
  await tx
    .update(syncStates)
    .set({ nextRunAt: null })
    .where(eq(syncStates.synchronisationId, run.synchronisationId));
  return 'This one-time synchronisation is now disabled.';
}
