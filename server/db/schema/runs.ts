// Runs (the sync log), their per-object entries, and the durable step memo of the embedded runner.
import { sql, type SQL } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import { LISTING_KINDS } from '../../sync/core/incremental/window';
import { RUN_RESULTS } from '../../sync/core/run-result';
import { RUN_ENTRY_ACTIONS, RUN_EVENT_KINDS } from '../../sync/ports';
import { primaryId, timestamp, timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';
import { users } from './users';

export const RUN_STATUSES = ['queued', 'running', 'finished', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

// 'push': the changes of register objects, delivered to a synchronisation that reads their schema.
// 'resolution': a person resolved conflicts of a two-way synchronisation; the run writes the result.
// 'retry': changes a push could not deliver, tried again by themselves (db/schema/push-retries.ts).
export const RUN_TRIGGERS = [
  'manual',
  'schedule',
  'api',
  'webhook',
  'approval',
  'continuation',
  'follow-up',
  'push',
  'resolution',
  'retry',
] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const runs = sqliteTable(
  'runs',
  {
    id: primaryId('run'),
    // A small number of this run's own, given by a trigger as the row is inserted (migration 0032): a
    // contract version names its run by it, 4 bytes where the run's id takes 30, in the row and in
    // its (run, contract) index (issue 14). Never set it; read it with `runSeqOf`.
    seq: integer('seq'),
    orgId: orgIdColumn(),
    synchronisationId: text('synchronisation_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: RUN_TRIGGERS }).notNull(),
    requestedBy: text('requested_by').references(() => users.id, { onDelete: 'set null' }),
    // A follow-up run: the run whose end requested it (its log names it).
    requestedByRunId: text('requested_by_run_id').references((): AnySQLiteColumn => runs.id, {
      onDelete: 'set null',
    }),
    test: integer('test', { mode: 'boolean' }).notNull().default(false),
    force: integer('force', { mode: 'boolean' }).notNull().default(false),
    // Incremental synchronisations: `full` when asked for at request (a person, the reconciliation
    // schedule), then the kind of listing the run made, written when it starts reading.
    listing: text('listing', { enum: LISTING_KINDS }),
    status: text('status', { enum: RUN_STATUSES }).notNull().default('queued'),
    result: text('result', { enum: RUN_RESULTS }),
    message: text('message'),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
    heartbeatAt: timestamp('heartbeat_at'),
    // How often the process running it died and the run was resumed.
    interruptions: integer('interruptions').notNull().default(0),
    pagesFetched: integer('pages_fetched').notNull().default(0),
    // The number of objects the source said it holds (X-Total-Count, a body's total, SQL count(*)):
    // the live progress's percentage and time left, also after a reload. Null when it did not say.
    expectedTotal: integer('expected_total'),
    found: integer('found').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    // Written again with the target's content unchanged (forced runs): apart from `updated`.
    rewritten: integer('rewritten').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    invalid: integer('invalid').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    filtered: integer('filtered').notNull().default(0),
    held: integer('held').notNull().default(0),
    // Whether the listing was complete (every page, no cap, no loop): only then may deletions happen.
    complete: integer('complete', { mode: 'boolean' }),
    // Records of a file read to its end that could not be read (malformed lines): the listing is
    // complete, but not for deletions — any of them may be an object that seems gone.
    unreadable: integer('unreadable').notNull().default(0),
    // Set when the listing stopped at the page cap: the cap it hit, which the sync's page offers to raise.
    pageCap: integer('page_cap'),
    // Where the listing is: lets a follow-on run continue and the UI show the current page.
    cursor: text('cursor', { mode: 'json' }).$type<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('runs_seq').on(t.seq),
    index('runs_org_created').on(t.orgId, t.createdAt),
    index('runs_sync_created').on(t.synchronisationId, t.createdAt),
    index('runs_status').on(t.status),
    index('runs_requested_by').on(t.requestedBy),
    index('runs_requested_by_run').on(t.requestedByRunId),
  ],
);

/** A run's number (see `runs.seq`), as SQL: evaluated once per statement. */
export const runSeqOf = (runId: string): SQL<number> =>
  sql`(SELECT ${runs.seq} FROM ${runs} WHERE ${runs.id} = ${runId})`;

/** The same in raw SQL, the run id being the statement's parameter `param` (e.g. '?3'). */
export const runSeqSql = (param: string): string => `(SELECT seq FROM runs WHERE id = ${param})`;

// Per-object lines of a run: errors (invalid, failed), held deletions, and in test mode what the run
// would do. `batchKey` (`page-3`) lets a retried step replace the lines it wrote before.
export const runEntries = sqliteTable(
  'run_entries',
  {
    id: primaryId('runEntry'),
    orgId: orgIdColumn(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    batchKey: text('batch_key').notNull(),
    action: text('action', { enum: RUN_ENTRY_ACTIONS }).notNull(),
    originId: text('origin_id'),
    targetId: text('target_id'),
    reason: text('reason'),
    data: text('data', { mode: 'json' }).$type<unknown>(),
    ...timestamps,
  },
  (t) => [
    index('run_entries_run_batch').on(t.runId, t.batchKey),
    // A run's entries by action and reason (the log page's groups, counted along it, and each group's
    // first examples; the action filter uses its start). With the reason in it, a run of a million
    // invalid objects opens in a tenth of a second instead of three (migration 0053).
    index('run_entries_run_group').on(t.runId, t.action, t.reason),
    // Also search by object id across runs (services/record-history.ts).
    index('run_entries_org_origin').on(t.orgId, t.originId),
  ],
);

// The run's timeline: one row per page read (its URL with secrets masked, status, duration, objects),
// per retry of that page's request (why, how long it waited), and per step of the deletion phase.
// Written with the page's entries under the same `batchKey`, so a retried step replaces its rows.
export const runEvents = sqliteTable(
  'run_events',
  {
    id: primaryId('runEvent'),
    orgId: orgIdColumn(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    batchKey: text('batch_key').notNull(),
    // The order within the batch (a page's retries come before the page itself).
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: RUN_EVENT_KINDS }).notNull(),
    // When it happened (a page read ahead was fetched before the step that records it).
    at: timestamp('at').notNull(),
    page: integer('page'),
    url: text('url'),
    status: integer('status'),
    durationMs: integer('duration_ms'),
    objects: integer('objects'),
    waitMs: integer('wait_ms'),
    detail: text('detail'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [index('run_events_run_batch').on(t.runId, t.batchKey), index('run_events_org').on(t.orgId)],
);

// The origin ids a run listed: ONE row per page holding the page's ids as a JSON array (`ids`, `n` of
// them), so a run's bookkeeping costs a row per page, not per object (issue 14). Duplicate detection
// across pages (stores/listed-ids.ts) and deletion planning read it, also in test mode, where no
// contract is written. Each id sits on the first page that listed it. Cleared when the run ends.
export const runListed = sqliteTable(
  'run_listed',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    page: integer('page').notNull(),
    n: integer('n').notNull(),
    ids: text('ids').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.page] }),
    // The ledger's signature (rows and ids of a run, stores/listed-ids.ts), asked once or twice a page,
    // is read from this index alone: from the rows it read a table page per ledger row, so a run's
    // pages cost it time quadratic in their number (0.8 s at 1,000 pages; issue 14, migration 0026).
    index('run_listed_counts').on(t.runId, t.n),
  ],
);

// The embedded runner's memo: a step id that finished for a run is never executed again.
export const runSteps = sqliteTable(
  'run_steps',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    output: text('output', { mode: 'json' }).$type<unknown>(),
    finishedAt: timestamp('finished_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepId] })],
);
