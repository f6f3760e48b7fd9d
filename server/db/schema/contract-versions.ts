// A record's history: one row per run that changed a contract's object (created, updated, rewritten,
// deleted; two-way also written back or matched), written by the engine in the same statement batch
// as the contract. An unchanged object writes nothing, and each contract keeps its last
// CONTRACT_VERSIONS_KEPT versions (older ones are pruned as new ones arrive).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { contracts } from './contracts';
import { timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { runs } from './runs';
import { VERSION_ACTIONS } from '../../sync/core/versions';

export { CONTRACT_VERSIONS_KEPT, VERSION_ACTIONS, type VersionAction } from '../../sync/core/versions';

export const contractVersions = sqliteTable(
  'contract_versions',
  {
    // The rowid itself (no separate primary key index): one row per changed object is all this costs
    // besides its two indexes, and rowids grow, so within a contract they order its versions.
    id: integer('id').primaryKey(),
    orgId: orgIdColumn(),
    contractId: text('contract_id')
      .notNull()
      .references(() => contracts.id, { onDelete: 'cascade' }),
    // Retention removes old runs; the history of the object stays, without the link to that log.
    runId: text('run_id').references(() => runs.id, { onDelete: 'set null' }),
    action: text('action', { enum: VERSION_ACTIONS }).notNull(),
    originHash: text('origin_hash'),
    targetHash: text('target_hash'),
    // The object as written to the target (compact JSON); null for a deletion.
    data: text('data'),
    ...timestamps,
  },
  (t) => [
    // One version per run and contract: a retried step (or a run that writes an object twice) replaces
    // its row. Also the run log's list of changed objects.
    uniqueIndex('contract_versions_run_contract').on(t.runId, t.contractId),
    // The contract page (newest first), pruning, and a contract's deletion (the cascade looks rows up by
    // contract_id). Not led by org_id on purpose: a third index would cost every changed object one more
    // insert, and an organisation's deletion (a single scan here) is rare; every query still filters by it.
    index('contract_versions_contract').on(t.contractId, t.id),
  ],
);
