// Conflicts of two-way synchronisations: an object both sides changed since the last sync, into
// different versions (or one side deleted while the other edited), kept with base, source and target
// side by side until a person — or the policy — resolves it. A resolved conflict stays: it is where the
// losing version is kept, on the object's history.
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamp, timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';
import { users } from './users';

/** both-changed: both sides edited; source-deleted / target-deleted: one side deleted, the other edited. */
export const CONFLICT_KINDS = ['both-changed', 'source-deleted', 'target-deleted'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

/**
 * open: waiting for a person; resolving: a person chose, the next run writes the result to both sides;
 * resolved: written (or settled by the policy, which names itself in `resolvedBy`).
 */
export const CONFLICT_STATUSES = ['open', 'resolving', 'resolved'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

export const conflicts = sqliteTable(
  'conflicts',
  {
    id: primaryId('conflict'),
    orgId: orgIdColumn(),
    synchronisationId: text('synchronisation_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    // The contract's origin id (the source side's id) and the target side's id.
    originId: text('origin_id').notNull(),
    targetId: text('target_id'),
    kind: text('kind', { enum: CONFLICT_KINDS }).notNull(),
    status: text('status', { enum: CONFLICT_STATUSES }).notNull().default('open'),
    // The run that found it (no foreign key: runs are removed by retention, conflicts stay).
    runId: text('run_id'),
    // The versions: as last synced (the base of the three-way diff), and each side's now (null: deleted).
    // Source data as the source holds it; target data as the register holds it; `sourceMapped` is the
    // source version through the mapping, so the three can be compared field by field.
    baseData: text('base_data', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    sourceData: text('source_data', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    sourceMapped: text('source_mapped', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    targetData: text('target_data', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    sourceHash: text('source_hash'),
    targetHash: text('target_hash'),
    // The updated-at values each side reported, as read (for newer-wins and for people).
    sourceUpdatedAt: text('source_updated_at'),
    targetUpdatedAt: text('target_updated_at'),
    // How it was settled: { take: 'source' | 'target' } or { take: 'fields', fields: { path: side } },
    // with the merged object (in the target's shape) that is written to both sides.
    resolution: text('resolution', { mode: 'json' }).$type<Record<string, unknown>>(),
    // A policy name (source-wins, target-wins, newer-wins) or `person`.
    resolvedBy: text('resolved_by'),
    resolvedByUserId: text('resolved_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at'),
    // The losing version, kept when the conflict is settled (null for a per-field merge: both lost a part).
    losingData: text('losing_data', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    appliedRunId: text('applied_run_id'),
    ...timestamps,
  },
  (t) => [
    index('conflicts_org_status').on(t.orgId, t.status),
    index('conflicts_sync_origin').on(t.synchronisationId, t.originId),
  ],
);
