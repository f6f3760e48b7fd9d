// Synchronisations: one data flow from a source to a target (seed 002's fields), plus its schedule,
// retention and webhook. Run state lives in `sync_states` so that a run never edits the saved
// configuration (safety rule 8) and `updatedAt` keeps meaning "the configuration changed".
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { WRITE_MODES } from '../../sync/core/write-mode';
import { DELETION_POLICIES } from '../../sync/core/deletions';
import { primaryId, timestamp, timestamps } from './columns';
import { connections } from './connections';
import { mappings } from './mappings';
import { orgIdColumn } from './organisations';
import { registers, schemas } from './registers';
import { sources } from './sources';

export const TARGET_TYPES = ['register', 'source'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** one-way: the source is read and the target written; two-way: both are read, and both written. */
export const SYNC_DIRECTIONS = ['one-way', 'two-way'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export const synchronisations = sqliteTable(
  'synchronisations',
  {
    id: primaryId('synchronisation'),
    // A small number of this synchronisation's own, given by a trigger as the row is inserted and never
    // reused (migration 0029): the contracts' indexes lead with it instead of the 30-character id, which
    // cost every contract about 150 bytes in four indexes (issue 14). Never set it; read it with
    // `syncSeqOf` (contracts.ts).
    seq: integer('seq'),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),

    // Source side (seed 002: sourceId, sourceEndpoint, resultsPosition, sourceIdField, pagination,
    // conditions, subObjects…) — the nested options are validated by the engine's config schema.
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'restrict' }),
    sourceEndpoint: text('source_endpoint').notNull().default(''),
    sourceConfig: text('source_config', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),
    mappingId: text('mapping_id').references(() => mappings.id, { onDelete: 'set null' }),

    // Target side: a register schema, or another source (REST/SQL) with its own outgoing mapping.
    targetType: text('target_type', { enum: TARGET_TYPES }).notNull(),
    targetRegisterId: text('target_register_id').references(() => registers.id, { onDelete: 'restrict' }),
    targetSchemaId: text('target_schema_id').references(() => schemas.id, { onDelete: 'restrict' }),
    targetSourceId: text('target_source_id').references(() => sources.id, { onDelete: 'restrict' }),
    targetMappingId: text('target_mapping_id').references(() => mappings.id, { onDelete: 'set null' }),
    targetConfig: text('target_config', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),

    // Two-way (a REST or SQL source ⇄ a register schema): both sides are listed and either may be
    // written. `twoWay` holds the policies (core/two-way/settings.ts), `writeBack` how the source is
    // written (a REST or SQL target configuration of the source itself) and `writeBackMappingId` the
    // mapping from the register's object back to the source's shape (null: written as it is).
    direction: text('direction', { enum: SYNC_DIRECTIONS }).notNull().default('one-way'),
    twoWay: text('two_way', { mode: 'json' }).$type<Record<string, unknown>>(),
    writeBack: text('write_back', { mode: 'json' }).$type<Record<string, unknown>>(),
    writeBackMappingId: text('write_back_mapping_id').references(() => mappings.id, { onDelete: 'set null' }),
    // A push subscriber's unsubscribe list (seed 004): { paused, objectIds, fields }. Null: receives all.
    unsubscribe: text('unsubscribe', { mode: 'json' }).$type<Record<string, unknown>>(),

    // What the synchronisation may do to the target: upsert, insert only, update only, or mirror.
    writeMode: text('write_mode', { enum: WRITE_MODES }).notNull().default('upsert'),

    // Deletion policy: what happens to target objects whose origin disappeared.
    deleteMode: text('delete_mode', { enum: DELETION_POLICIES }).notNull().default('soft'),
    // restrictDeletion: when set, only these origin ids may ever be deleted (matched exactly).
    restrictDeletion: text('restrict_deletion', { mode: 'json' }).$type<string[]>(),
    // Above this share of the contracts, deletions wait for a person's approval.
    deleteThreshold: real('delete_threshold').notNull().default(0.5),

    scheduleCron: text('schedule_cron'),
    // One-time: runs once (when started, or at runOnceAt) and then disables itself (disabledReason says so).
    oneTime: integer('one_time', { mode: 'boolean' }).notNull().default(false),
    runOnceAt: timestamp('run_once_at'),
    disabledReason: text('disabled_reason'),
    scheduleTimezone: text('schedule_timezone').notNull().default('UTC'),

    successRetentionDays: integer('success_retention_days').notNull().default(30),
    errorRetentionDays: integer('error_retention_days').notNull().default(90),

    webhookEnabled: integer('webhook_enabled', { mode: 'boolean' }).notNull().default(false),
    webhookTokenHash: text('webhook_token_hash'),

    // The connection this synchronisation was created in (discovered data types), if any.
    connectionId: text('connection_id').references(() => connections.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('synchronisations_seq').on(t.seq),
    index('synchronisations_org').on(t.orgId),
    index('synchronisations_source').on(t.sourceId),
    index('synchronisations_mapping').on(t.mappingId),
    index('synchronisations_target_register').on(t.targetRegisterId),
    index('synchronisations_target_schema').on(t.targetSchemaId),
    index('synchronisations_target_source').on(t.targetSourceId),
    index('synchronisations_target_mapping').on(t.targetMappingId),
    index('synchronisations_connection').on(t.connectionId),
    index('synchronisations_write_back_mapping').on(t.writeBackMappingId),
  ],
);

// Scheduling and last-run facts, written by runs and the ticker, never by configuration edits.
export const syncStates = sqliteTable(
  'sync_states',
  {
    synchronisationId: text('synchronisation_id')
      .primaryKey()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    orgId: orgIdColumn(),
    nextRunAt: timestamp('next_run_at'),
    lastRunId: text('last_run_id'),
    lastRunAt: timestamp('last_run_at'),
    lastResult: text('last_result'),
    // Incremental reading (see sync/core/incremental): the cursor is a value of the source's own
    // updated-at field, moved only by a run that completed; a person may reset it.
    cursor: text('cursor', { mode: 'json' }).$type<string | number>(),
    // When the run that set the cursor started: an edit after it makes the next run a full one.
    cursorSetAt: timestamp('cursor_set_at'),
    // Completed incremental runs since the last completed full reconciliation.
    runsSinceFull: integer('runs_since_full').notNull().default(0),
    // When the reconciliation schedule next asks for a full run.
    nextReconcileAt: timestamp('next_reconcile_at'),
    ...timestamps,
  },
  (t) => [
    index('sync_states_org').on(t.orgId),
    index('sync_states_next_run').on(t.nextRunAt),
    index('sync_states_next_reconcile').on(t.nextReconcileAt),
  ],
);

// A synchronisation's own secret headers and query parameters (`header:<name>`, `query:<name>`),
// AES-256-GCM encrypted as one JSON document, as a source's secrets. Only values an earlier version kept
// in plain text in its `sourceConfig.headers`/`query` end up here (services/sync-secrets.ts): its
// settings keep the name, its value masked, and its requests carry the value. A table of its own, so
// that no select of synchronisations ever hands the ciphertext on.
export const synchronisationSecrets = sqliteTable(
  'synchronisation_secrets',
  {
    synchronisationId: text('synchronisation_id')
      .primaryKey()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    orgId: orgIdColumn(),
    secretsCipher: text('secrets_cipher').notNull(),
    ...timestamps,
  },
  (t) => [index('synchronisation_secrets_org').on(t.orgId)],
);
