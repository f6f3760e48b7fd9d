// Deleting an organisation with everything it holds: one owner's deliberate act, confirmed by typing
// the organisation's name. The organisation's row goes, and the foreign keys' cascades take the rest
// (test/integration/organisation-delete.test.ts counts every table). What was under way stops by itself:
// a queued run whose row is gone is never started, a running one stops before its next step
// (runner/cancellation.ts, both executors), schedules and API keys and invitations are rows that go.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { organisations, runs, synchronisations } from '../db/schema';
import { notFound } from './errors';
import { InvalidInput } from './field-issues';
import { ACTIVE_RUN_STATUSES } from './runs';

export async function deleteOrganisation(db: Db, orgId: string, confirm: string): Promise<void> {
  const [org] = await db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  if (!org) throw notFound('The organisation');
  // The name, as it is shown: a slip of the keyboard around it is no reason to refuse, any other
  // difference (case included) is.
  if (confirm.trim() !== org.name)
    throw new InvalidInput([
      {
        field: 'confirm',
        message: `Type the organisation's name, ${org.name}, exactly as it is written to delete it.`,
      },
    ]);
  // First nothing may run: its runs under way stop before their next step and none starts while the
  // contracts go. Should the process die before the organisation's row goes, its synchronisations stay
  // switched off, never run again without the contracts that say what their targets already hold
  // (a REST target would be sent every object again as new).
  await db.batch([
    db.update(synchronisations).set({ enabled: false }).where(eq(synchronisations.orgId, orgId)),
    db
      .update(runs)
      .set({
        status: 'cancelled',
        result: 'warning',
        message: 'The organisation is being deleted.',
        finishedAt: new Date(),
      })
      .where(and(eq(runs.orgId, orgId), inArray(runs.status, [...ACTIVE_RUN_STATUSES]))),
  ]);
  // The rows a million fill go first, a batch a statement: one cascade over 100,000 contracts and as
  // many register objects held the write lock — and, on a local file, the event loop — for 1.5 s (10x
  // at a million), stalling every other organisation; a batch takes ~0.1 s and others write between.
  // An object deleted while its schema exists leaves a tombstone for the change feed (a trigger), and
  // tombstones have no foreign key: the organisation's, these and any older ones, are deleted by hand.
  await inBatches(
    (n) => sql`DELETE FROM contracts WHERE seq IN (SELECT seq FROM contracts
      WHERE sync_seq IN (SELECT seq FROM synchronisations WHERE org_id = ${orgId}) LIMIT ${n})`,
    db,
  );
  await inBatches(
    (n) => sql`DELETE FROM objects WHERE rowid IN (SELECT rowid FROM objects
      WHERE schema_seq IN (SELECT seq FROM schemas WHERE org_id = ${orgId}) LIMIT ${n})`,
    db,
  );
  await inBatches(
    (n) => sql`DELETE FROM object_tombstones WHERE seq IN (SELECT seq FROM object_tombstones
      WHERE schema_id IN (SELECT id FROM schemas WHERE org_id = ${orgId}) LIMIT ${n})`,
    db,
  );
  await db.run(sql`DELETE FROM object_tombstones WHERE org_id = ${orgId}`);
  await db.delete(organisations).where(eq(organisations.id, orgId));
}

const BATCH = 5000;

async function inBatches(statement: (n: number) => ReturnType<typeof sql>, db: Db): Promise<void> {
  for (;;) {
    const { rowsAffected } = await db.run(statement(BATCH));
    if (rowsAffected < BATCH) return;
  }
}
