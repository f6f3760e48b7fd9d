// Contracts: one per synchronisation and origin id, remembering both sides of a synchronised object.
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamp, timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';

export const CONTRACT_STATUSES = ['synced', 'invalid', 'failed', 'deleted', 'pending_deletion'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const CONTRACT_ACTIONS = ['create', 'update', 'skip', 'delete', 'invalid', 'fail'] as const;
export type ContractAction = (typeof CONTRACT_ACTIONS)[number];

export const contracts = sqliteTable(
  'contracts',
  {
    id: primaryId('contract'),
    orgId: orgIdColumn(),
    synchronisationId: text('synchronisation_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    // Sub-objects have their own contract, linked to the parent's.
    parentContractId: text('parent_contract_id'),
    originId: text('origin_id').notNull(),
    targetId: text('target_id'),
    originHash: text('origin_hash'),
    targetHash: text('target_hash'),
    sourceLastChanged: timestamp('source_last_changed'),
    sourceLastChecked: timestamp('source_last_checked'),
    sourceLastSynced: timestamp('source_last_synced'),
    targetLastChanged: timestamp('target_last_changed'),
    targetLastChecked: timestamp('target_last_checked'),
    targetLastSynced: timestamp('target_last_synced'),
    lastAction: text('last_action', { enum: CONTRACT_ACTIONS }),
    status: text('status', { enum: CONTRACT_STATUSES }).notNull(),
    lastError: text('last_error'),
    // The run that last saw this origin id: contracts not seen by a complete listing are deletion candidates.
    lastSeenRunId: text('last_seen_run_id'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('contracts_sync_origin').on(t.synchronisationId, t.originId),
    index('contracts_org').on(t.orgId),
    index('contracts_sync_target').on(t.synchronisationId, t.targetId),
    index('contracts_sync_status').on(t.synchronisationId, t.status, t.lastAction),
    index('contracts_parent').on(t.parentContractId),
  ],
);
