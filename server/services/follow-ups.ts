// Follow-up synchronisations: which ones run after a synchronisation's run finishes. Saved as a relation
// of the same organisation, refused when they would form a loop (the message names it: "A → B → A").
import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { synchronisations, syncFollowUps } from '../db/schema';
import { UserError } from './errors';

/** The most follow-ups one synchronisation may name. */
export const MAX_FOLLOW_UPS = 20;
const FIELD = 'followUpIds';

/** The follow-ups of a synchronisation, in the order they were chosen. */
export async function listFollowUps(db: Db, orgId: string, syncId: string) {
  return db
    .select({ id: synchronisations.id, name: synchronisations.name, enabled: synchronisations.enabled })
    .from(syncFollowUps)
    .innerJoin(synchronisations, eq(synchronisations.id, syncFollowUps.followUpId))
    .where(and(eq(syncFollowUps.orgId, orgId), eq(syncFollowUps.synchronisationId, syncId)))
    .orderBy(asc(syncFollowUps.position));
}

/** The synchronisations whose follow-ups include this one ("runs after …"). */
export async function listFollowedBy(db: Db, orgId: string, syncId: string) {
  return db
    .select({ id: synchronisations.id, name: synchronisations.name })
    .from(syncFollowUps)
    .innerJoin(synchronisations, eq(synchronisations.id, syncFollowUps.synchronisationId))
    .where(and(eq(syncFollowUps.orgId, orgId), eq(syncFollowUps.followUpId, syncId)))
    .orderBy(asc(synchronisations.name));
}

/**
 * Checks follow-ups before they are saved for `syncId` (null: a new synchronisation, which nothing
 * follows yet): each must be one of the organisation's synchronisations, and none may lead back.
 * Returns the ids without repeats, in the order given.
 */
export async function checkFollowUps(
  db: Db | Tx,
  orgId: string,
  syncId: string | null,
  name: string,
  followUpIds: readonly string[],
): Promise<string[]> {
  const ids = [...new Set(followUpIds)];
  if (ids.length > MAX_FOLLOW_UPS)
    throw new UserError('BAD_REQUEST', `Choose at most ${MAX_FOLLOW_UPS} follow-ups.`, FIELD);
  if (ids.length === 0) return ids;
  const all = await db
    .select({ id: synchronisations.id, name: synchronisations.name })
    .from(synchronisations)
    .where(eq(synchronisations.orgId, orgId));
  const names = new Map(all.map((s) => [s.id, s.name]));
  const unknown = ids.find((id) => !names.has(id));
  if (unknown)
    throw new UserError(
      'BAD_REQUEST',
      'A chosen follow-up is not a synchronisation of this organisation.',
      FIELD,
    );
  if (syncId === null) return ids;
  names.set(syncId, name);
  const edges = await db
    .select({ from: syncFollowUps.synchronisationId, to: syncFollowUps.followUpId })
    .from(syncFollowUps)
    .where(eq(syncFollowUps.orgId, orgId))
    .orderBy(asc(syncFollowUps.position));
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.from === syncId) continue; // replaced by the ones being saved
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  }
  next.set(syncId, ids);
  const loop = findLoop(syncId, next);
  if (loop) {
    const words = loop.map((id) => `“${names.get(id) ?? id}”`).join(' → ');
    throw new UserError(
      'BAD_REQUEST',
      `These follow-ups would run in a loop: ${words}. Remove one of them.`,
      FIELD,
    );
  }
  return ids;
}

/** A path from `start` back to itself (start first and last), or null. */
export function findLoop(start: string, next: ReadonlyMap<string, readonly string[]>): string[] | null {
  // Breadth-first, so the loop named is a shortest one.
  const cameFrom = new Map<string, string>();
  const queue: string[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    for (const to of next.get(at) ?? []) {
      if (to === start) {
        const path = [start];
        for (
          let back: string | undefined = at;
          back !== undefined && back !== start;
          back = cameFrom.get(back)
        )
          path.splice(1, 0, back);
        path.push(start);
        return path;
      }
      if (!cameFrom.has(to) && to !== start) {
        cameFrom.set(to, at);
        queue.push(to);
      }
    }
  }
  return null;
}

/** Replaces the follow-ups of a synchronisation (already checked). */
export async function saveFollowUps(db: Db | Tx, orgId: string, syncId: string, ids: readonly string[]) {
  await db.transaction(async (tx) => {
    await tx
      .delete(syncFollowUps)
      .where(and(eq(syncFollowUps.orgId, orgId), eq(syncFollowUps.synchronisationId, syncId)));
    if (ids.length > 0)
      await tx
        .insert(syncFollowUps)
        .values(
          ids.map((followUpId, position) => ({ orgId, synchronisationId: syncId, followUpId, position })),
        );
  });
}
