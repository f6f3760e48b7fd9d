// A person resolves a conflict: takes the source's version, the target's, or picks per field. The
// choice and the object to write (in the register's shape; null deletes it on both sides) are saved on
// the conflict as `resolving`, and a run of its synchronisation is requested: the two-way engine
// applies resolving conflicts when a run starts, writes the object to both sides and marks it resolved.
import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { conflicts, synchronisations } from '../db/schema';
import {
  conflictKeyFields,
  mergeResolution,
  threeWayDiff,
  unknownPicks,
  unpickedConflicts,
  type ConflictSide,
} from '../sync/core/two-way/three-way-diff';
import { isFirstMatch, loadConflict, sourceIdFieldOf } from './conflicts';
import { UserError, notFound } from './errors';
import { requestRun } from './runs';
import { deletionPolicyOf } from '../sync/run/setup';

const side = z.enum(['source', 'target']);

export const resolutionInput = z.object({
  conflictId: z.string().min(1),
  take: z.enum(['source', 'target', 'fields']),
  /** take 'fields': a side per dot path of the diff; paths left out take the side that changed them. */
  fields: z.record(z.string().min(1).max(1000), side).optional(),
});
export type ResolutionInput = z.infer<typeof resolutionInput>;

/** What the engine reads from `conflicts.resolution`. */
export interface Resolution {
  take: 'source' | 'target' | 'fields';
  fields?: Record<string, ConflictSide>;
  merged: Record<string, unknown> | null;
}

type ConflictRow = typeof conflicts.$inferSelect;

const list = (paths: string[]) => paths.map((p) => `“${p}”`).join(', ');

/**
 * Picks the conflict cannot take, with the paths they are about (none: per-field picks are impossible
 * here), so the REST API can answer each at its field; the forms show the message at `fields`.
 */
export class PicksRefused extends UserError {
  constructor(
    message: string,
    readonly paths: readonly string[],
  ) {
    super('BAD_REQUEST', message, 'fields');
  }
}

/** The object to write and the version that loses, for the person's choice. */
function settle(
  row: ConflictRow,
  input: ResolutionInput,
  keys: readonly string[],
): { resolution: Resolution; losingData: ConflictRow['losingData'] } {
  if (input.take === 'source') {
    return {
      resolution: { take: 'source', merged: row.sourceMapped ?? null },
      losingData: row.targetData ?? null,
    };
  }
  if (input.take === 'target') {
    return {
      resolution: { take: 'target', merged: row.targetData ?? null },
      losingData: row.sourceData ?? null,
    };
  }
  if (row.kind !== 'both-changed') {
    const deleted = row.kind === 'source-deleted' ? 'the source' : 'the register';
    throw new PicksRefused(
      `This object was deleted in ${deleted}, so its fields cannot be picked one by one. Keep the source version or the target version.`,
      [],
    );
  }
  const picks = input.fields ?? {};
  const rows = threeWayDiff(row.baseData ?? null, row.sourceMapped ?? null, row.targetData ?? null, keys);
  const unknown = unknownPicks(rows, picks);
  if (unknown.length > 0) {
    throw new PicksRefused(
      `${list(unknown)} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of this conflict. Pick sides for the fields the table shows.`,
      unknown,
    );
  }
  const unpicked = unpickedConflicts(rows, picks);
  if (unpicked.length > 0) {
    const what = isFirstMatch(row)
      ? `The two systems hold different values for ${list(unpicked)}`
      : `Both sides changed ${list(unpicked)}`;
    throw new PicksRefused(
      `${what}: pick the source or the target for ${unpicked.length === 1 ? 'it' : 'each'}.`,
      unpicked,
    );
  }
  const merged = mergeResolution(
    row.baseData ?? null,
    row.sourceMapped ?? null,
    row.targetData ?? null,
    picks,
    keys,
  );
  return { resolution: { take: 'fields', fields: { ...picks }, merged }, losingData: null };
}

/** The refusal of a deletion on both sides where the synchronisation's deletion policy is none. */
const deletesNothing = () =>
  new UserError(
    'BAD_REQUEST',
    'This synchronisation deletes nothing (its deletion policy is “none”), so Concord cannot delete this object on the other side. Keep the other version, or change the deletion policy first.',
  );

async function twoWaySync(db: Db, orgId: string, syncId: string) {
  const [sync] = await db
    .select({
      enabled: synchronisations.enabled,
      direction: synchronisations.direction,
      writeMode: synchronisations.writeMode,
      deleteMode: synchronisations.deleteMode,
      sourceConfig: synchronisations.sourceConfig,
    })
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)));
  if (!sync) throw notFound('The synchronisation of this conflict');
  if (sync.direction !== 'two-way') {
    throw new UserError(
      'BAD_REQUEST',
      'This synchronisation is no longer two-way, so Concord cannot write a resolution to both sides. Make it two-way again to resolve its conflicts.',
    );
  }
  return sync;
}

/**
 * Saves the person's resolution (a resolving conflict may still be changed until a run applies it) and
 * requests the run that applies it. `run` is null when the synchronisation is disabled: its next run
 * after enabling applies it.
 */
export async function resolveConflict(db: Db, orgId: string, userId: string, input: ResolutionInput) {
  const row = await loadConflict(db, orgId, input.conflictId);
  if (row.status === 'resolved') {
    throw new UserError(
      'CONFLICT',
      'This conflict is already resolved and its result written to both sides. Edit the object itself to change it again.',
    );
  }
  const sync = await twoWaySync(db, orgId, row.synchronisationId);
  const keys = conflictKeyFields(sourceIdFieldOf(sync.sourceConfig));
  const { resolution, losingData } = settle(row, input, keys);
  // Keeping the side that deleted the object deletes it on the other: not where nothing is deleted.
  if (resolution.merged === null && deletionPolicyOf(sync) === 'none') throw deletesNothing();
  const saved = await db.transaction(async (tx) =>
    tx
      .update(conflicts)
      .set({
        status: 'resolving',
        resolution: { ...resolution },
        resolvedBy: 'person',
        resolvedByUserId: userId,
        resolvedAt: new Date(),
        losingData,
      })
      // A run may have applied it meanwhile: a resolved conflict is never changed.
      .where(and(eq(conflicts.orgId, orgId), eq(conflicts.id, row.id), ne(conflicts.status, 'resolved')))
      .returning({ id: conflicts.id }),
  );
  if (saved.length === 0) {
    throw new UserError(
      'CONFLICT',
      'A run resolved this conflict just now. Reload the page to see what was written.',
    );
  }
  if (!sync.enabled) return { resolution, run: null };
  const { run, alreadyActive } = await requestRun(db, orgId, row.synchronisationId, {
    trigger: 'resolution',
    requestedBy: userId,
    behindRunning: true,
  });
  return { resolution, run, alreadyActive };
}
