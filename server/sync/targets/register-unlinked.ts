// A listing into the register (one-way, or two-way's creates in the register) writes a page's new
// objects (one statement), then their contracts (one transaction). A run that ends in an error between the two leaves objects no contract names, and the
// next run, under another run id, would create them again under other ids: every such object twice.
// (A step retried within its run — a resumed process, an Inngest retry — writes the same ids and finds
// them; objects handed to a run have ids every run shares, TargetCreate.resendKey.) So a failed listing
// takes back what it wrote and never linked: the objects whose id carries the run's time part
// (stableObjectId), still as it wrote them (version 1, last written by this synchronisation), that no
// contract of the synchronisation names. They are deleted for good — their feed keeps a tombstone, a
// pushed schema's subscribers are told — and the next run creates them from the source, which still
// holds them: a listing only copies what the source has.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runs, schemaSeqOfOrg, synchronisations, syncSeqOf } from '../../db/schema';
import { recordChanges } from '../stores/outbox';
import { isPushed } from '../stores/push-subscribers';
import { runIdPrefix, deleteObjects } from './register-rows';

/** How many objects a failed listing run took back (0 when it was not a listing into the register). */
export async function takeBackUnlinkedObjects(db: Db, runId: string): Promise<number> {
  const [row] = await db
    .select({
      orgId: runs.orgId,
      test: runs.test,
      cursor: runs.cursor,
      syncId: synchronisations.id,
      sourceId: synchronisations.sourceId,
      targetType: synchronisations.targetType,
      schemaId: synchronisations.targetSchemaId,
    })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .where(and(eq(runs.id, runId), eq(runs.result, 'error')));
  const prefix = runIdPrefix(runId);
  // Not a run that wrote under its own ids: a dry run, a run of handed-over objects (their only copy was
  // the request: what it wrote is found again when they are sent again). A two-way run's creates in the
  // register are under its own ids too (two-way/batch.ts createRequest): the next run brings the
  // records in again from the source that holds them.
  if (
    !row ||
    row.test ||
    prefix === null ||
    row.targetType !== 'register' ||
    row.schemaId === null ||
    row.cursor?.object !== undefined ||
    row.cursor?.batch !== undefined
  )
    return 0;
  const schemaId = row.schemaId;
  const unlinked = await db.all<{ id: string }>(sql`SELECT o.id FROM objects AS o
    WHERE o.id >= ${prefix} AND o.id < ${`${prefix}~`}
      AND o.schema_seq = ${schemaSeqOfOrg(row.orgId, schemaId)}
      AND o.version = 1 AND o.deleted_at IS NULL AND o.updated_by IS NULL
      AND o.updated_by_sync_seq = ${syncSeqOf(row.syncId)}
      AND NOT EXISTS (SELECT 1 FROM contracts AS c
        WHERE c.sync_seq = ${syncSeqOf(row.syncId)} AND c.target_id = o.id)`);
  if (unlinked.length === 0) return 0;
  const scope = { orgId: row.orgId, schemaId, syncId: row.syncId };
  const source = { systemId: row.sourceId, syncId: row.syncId };
  const pushed = await isPushed(db, row.orgId, schemaId, source);
  await db.transaction(async (tx) => {
    const ids = unlinked.map((o) => o.id);
    const gone = await deleteObjects(tx, scope, ids, 'hard');
    if (pushed && gone.length > 0)
      await recordChanges(
        tx,
        scope,
        gone.map((o) => ({ objectId: o.id, op: 'delete' as const, data: o.data })),
        source,
      );
  });
  return unlinked.length;
}
