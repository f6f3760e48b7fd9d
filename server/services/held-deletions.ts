// Deletions held for approval (more than the synchronisation's threshold at once): a person approves
// them (a run deletes them) or rejects them (the objects are kept and their contracts say so).
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  contractCounts,
  contracts,
  contractsOfOrg,
  ofSynchronisation,
  runs,
  synchronisations,
} from '../db/schema';
import { approvedDeletionPrefix, rejectedDeletionNote } from '../sync/core/deletion-decisions';
import { deletionPolicyOf } from '../sync/run/setup';
import { UserError } from './errors';
import { loadSynchronisation } from './synchronisations';

const heldOf = (orgId: string, syncId: string) =>
  and(contractsOfOrg(orgId), ofSynchronisation(syncId), eq(contracts.status, 'held'));

export async function countHeld(db: Db, orgId: string, syncId: string): Promise<number> {
  await loadSynchronisation(db, orgId, syncId);
  const [row] = await db.select({ n: count() }).from(contracts).where(heldOf(orgId, syncId));
  return row?.n ?? 0;
}

/**
 * The organisation's synchronisations that hold deletions: how many, the approval threshold they went
 * over (a share of the objects), and the reason the holding run recorded on them. The numbers come from
 * `contract_counts` (kept exact by triggers): a source that lost a million objects holds a million
 * deletions, which this would otherwise count on every request.
 */
export async function heldBySynchronisation(db: Db, orgId: string) {
  const held = await db
    .select({
      synchronisationId: synchronisations.id,
      synchronisationName: synchronisations.name,
      threshold: synchronisations.deleteThreshold,
      seq: synchronisations.seq,
      count: sql<number>`sum(${contractCounts.n})`,
    })
    .from(contractCounts)
    .innerJoin(synchronisations, eq(synchronisations.id, contractCounts.synchronisationId))
    .where(
      and(
        eq(contractCounts.orgId, orgId),
        eq(contractCounts.status, 'held'),
        eq(synchronisations.orgId, orgId),
      ),
    )
    .groupBy(synchronisations.id)
    .having(sql`sum(${contractCounts.n}) > 0`)
    .orderBy(asc(synchronisations.id));
  return Promise.all(
    held.map(async ({ seq, count, ...sync }) => {
      // One run holds a synchronisation's deletions at a time, so its contracts share one reason.
      const [one] = await db
        .select({ reason: contracts.lastError })
        .from(contracts)
        .where(and(eq(contracts.syncSeq, seq!), eq(contracts.status, 'held')))
        .limit(1);
      return { ...sync, count: Number(count), reason: one?.reason ?? null };
    }),
  );
}

/**
 * `seen`: how many held deletions the person approving was shown. Runs go on holding while a page stays
 * open — a source that loses more objects by the afternoon holds more — so an approval of the 50 seen
 * in the morning must not delete the 500 held by then: a count that moved is refused, to look again.
 * The held contracts are marked for the approval run in the same transaction as the count and the run,
 * and that run deletes those only: a run under way meanwhile may hold more, which nobody reviewed.
 */
export async function approveHeld(db: Db, orgId: string, syncId: string, userId: string, seen?: number) {
  // The approval deletes with the synchronisation's policy as it is now, which may have become `none`
  // since the deletions were held: approving would then delete what the settings say never to delete.
  if (deletionPolicyOf(await loadSynchronisation(db, orgId, syncId)) === 'none')
    throw new UserError(
      'BAD_REQUEST',
      'This synchronisation’s deletion policy is “none”: it deletes nothing. Reject the held deletions to keep the objects, or choose a deletion policy, then approve.',
    );
  return db.transaction(async (tx) => {
    const [pending] = await tx
      .select({ id: runs.id })
      .from(runs)
      .where(
        and(
          eq(runs.synchronisationId, syncId),
          eq(runs.trigger, 'approval'),
          inArray(runs.status, ['queued', 'running']),
        ),
      )
      .limit(1);
    if (pending)
      throw new UserError(
        'CONFLICT',
        'An approval of these deletions is already under way. When its run has ended, look at what is still held.',
      );
    const [counted] = await tx.select({ n: count() }).from(contracts).where(heldOf(orgId, syncId));
    const held = counted?.n ?? 0;
    if (held === 0) throw new UserError('BAD_REQUEST', 'No deletions are waiting for approval.');
    if (seen !== undefined && seen !== held)
      throw new UserError(
        'CONFLICT',
        `${held} deletion${held === 1 ? ' is' : 's are'} held now, not the ${seen} you were shown: runs held more or fewer since. Look at them again, then approve.`,
      );
    const [run] = await tx
      .insert(runs)
      .values({ orgId, synchronisationId: syncId, trigger: 'approval', requestedBy: userId })
      .returning();
    await tx
      .update(contracts)
      .set({ lastError: approvalMark(run!.id) })
      .where(heldOf(orgId, syncId));
    return run!;
  });
}

/**
 * The approval run's mark before the reason the contract was held for; a contract an earlier approval
 * left held (restrictDeletion no longer allowed deleting it) trades that approval's mark for this one's.
 */
function approvalMark(runId: string) {
  const earlier = approvedDeletionPrefix('');
  const reason = sql`coalesce(${contracts.lastError}, '')`;
  return sql`${approvedDeletionPrefix(runId)} || (case when substr(${reason}, 1, ${earlier.length}) = ${earlier}
    then substr(${reason}, instr(${reason}, '. ') + 2) else ${reason} end)`;
}

/**
 * Keeps the objects. If they are still missing from the source next time, the deletion is planned
 * again — fix the source, or set the deletion policy or restrictDeletion, to stop that.
 */
export async function rejectHeld(db: Db, orgId: string, syncId: string, userName: string) {
  const held = await countHeld(db, orgId, syncId);
  if (held === 0) throw new UserError('BAD_REQUEST', 'No deletions are waiting for approval.');
  await db
    .update(contracts)
    .set({
      status: 'synced',
      lastError: rejectedDeletionNote(userName, new Date()),
    })
    .where(heldOf(orgId, syncId));
  return { kept: held };
}
