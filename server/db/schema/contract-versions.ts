// A record's history: one row per run that changed a contract's object (created, updated, rewritten,
// deleted; two-way also written back or matched), written by the engine in the same statement batch
// as the contract. An unchanged object writes nothing, and each contract keeps its last
// CONTRACT_VERSIONS_KEPT versions (older ones are pruned as new ones arrive).
import { eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { contractById, contractIdSql, contracts } from './contracts';
import { hashColumn, timestamps } from './columns';
import { runs } from './runs';
import { VERSION_ACTIONS } from '../../sync/core/versions';

export { CONTRACT_VERSIONS_KEPT, VERSION_ACTIONS, type VersionAction } from '../../sync/core/versions';

export const contractVersions = sqliteTable(
  'contract_versions',
  {
    // The rowid itself (no separate primary key index): one row per changed object is all this costs
    // besides its two indexes, and rowids grow, so within a contract they order its versions.
    id: integer('id').primaryKey(),
    // No org_id: the contract holds it, and every query reaches versions through a contract, a run or
    // a run's contracts of the caller's organisation; its copy cost every changed object 31 bytes and
    // an organisation's deletion a scan of every version (issue 14, migration 0027).
    // The contract, by its number (contracts.seq: 1–4 bytes where its id took 30, here and in both
    // indexes; migration 0039). Find a contract's versions with `versionsOfContract`.
    contractSeq: integer('contract_seq')
      .notNull()
      .references(() => contracts.seq, { onDelete: 'cascade' }),
    // The run that wrote it, by the run's number (runs.seq: 4 bytes where its id took 30, here and in
    // the (run, contract) index; migration 0032). Retention removes old runs; the history of the object
    // stays, without the link to that log.
    runSeq: integer('run_seq').references(() => runs.seq, { onDelete: 'set null' }),
    action: text('action', { enum: VERSION_ACTIONS }).notNull(),
    originHash: hashColumn('origin_hash'),
    targetHash: hashColumn('target_hash'),
    // The object as written to the target (compact JSON); null for a deletion, and null where the
    // register object the contract links holds it (its data is copied into version_data before the
    // object changes or goes; sync/stores/contract-versions.ts).
    data: text('data'),
    // The target object the version was written to, kept only once the contract names another (a
    // trigger on contracts copies the old id into its versions when its target id changes, migration
    // 0054): NULL is the contract's target id. So each run's log names the object that run touched.
    // Read it as `versionTargetIdSql`.
    targetId: text('target_id'),
    // When the version was written (a retried step that rewrites it moves it); no created_at beside it.
    updatedAt: timestamps.updatedAt,
  },
  (t) => [
    // One version per run and contract: a retried step (or a run that writes an object twice) replaces
    // its row. Also the run log's list of changed objects.
    uniqueIndex('contract_versions_run_contract').on(t.runSeq, t.contractSeq),
    // The contract page (newest first), pruning, and a contract's deletion (the cascade looks rows up by
    // contract_seq).
    index('contract_versions_contract').on(t.contractSeq, t.id),
    // Find an object's runs by an object id its contract no longer names: only such rows are in it.
    index('contract_versions_target')
      .on(t.targetId)
      .where(sql`${t.targetId} IS NOT NULL`),
  ],
);

/**
 * A version's columns with its contract's id, which the row holds by number only: select them
 * `.from(contractVersions).innerJoin(contracts, versionsContract)`.
 */
export const versionColumns = { ...getTableColumns(contractVersions), contractId: contractIdSql };
export const versionsContract = eq(contracts.seq, contractVersions.contractSeq);

/** The target object a version was written to: its own, else its contract's (joined by versionsContract). */
export const versionTargetIdSql = sql<
  string | null
>`coalesce(${contractVersions.targetId}, ${contracts.targetId})`;

/** A contract's versions, by the contract's id (its number looked up once per statement). */
export const versionsOfContract = (contractId: string): SQL =>
  eq(
    contractVersions.contractSeq,
    sql`(SELECT ${contracts.seq} FROM ${contracts} WHERE ${contractById(contractId)})`,
  );

/**
 * The data of a version that left it to its register object, copied here by a trigger on `objects`
 * before the object changes or goes (migration 0034). A table of its own rather than the version's
 * `data` column: a copy that grew the version row in place split its page almost every time (a
 * versions page keeps ~85 bytes free), so each changed object rewrote two or three pages; here the
 * copies sit together, and a version that never changes its object costs nothing. Rewriting a version
 * (a retried step) drops its copy (trigger `contract_versions_rewritten`): it is either in the row again
 * or held by the object.
 */
export const versionData = sqliteTable('version_data', {
  // The version's id as this table's rowid: no second index, and the version's deletion (pruning, its
  // contract's) finds the copy by it.
  versionId: integer('version_id')
    .primaryKey()
    .references(() => contractVersions.id, { onDelete: 'cascade' }),
  data: text('data').notNull(),
});
