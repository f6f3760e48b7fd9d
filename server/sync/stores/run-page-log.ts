// What a run's log records of a batch (a page, a deletion batch), as plain statements for one write
// batch: its per-object entries and timeline lines, replacing those of the same batch key (a retried
// step writes them once), and — after a listing's page — the run's cumulative progress with them, so a
// page's bookkeeping is one commit instead of two.
//
// SQL text rather than drizzle's builders: building the three statements took about 0.25 ms a page, as
// long as SQLite took to run them (issue 14). The texts repeat (a page's one timeline line, entries in
// chunks of ENTRIES_PER_INSERT), so SQLite compiles each once per connection (db/statement-cache.ts).
import type { InStatement, InValue } from '@libsql/client';
import { newId } from '../../db/ids';
import { runEntries, runEvents, runs } from '../../db/schema';
import { RUN_COUNT_COLUMNS } from '../core/count-columns';
import type { RunEntry, RunProgress, TimelineEvent } from '../ports';
import { maskedUrl } from '../http/redact';
import { chunk } from './chunks';

const ENTRIES_PER_INSERT = 300;

/** The SQL names of these columns of a table, in this order. */
const columnsOf = <T extends Record<K, { name: string }>, K extends string>(table: T, names: readonly K[]) =>
  names.map((name) => table[name].name);

const EVENT_COLUMNS = columnsOf(runEvents, [
  'id',
  'orgId',
  'runId',
  'batchKey',
  'seq',
  'kind',
  'at',
  'page',
  'url',
  'status',
  'durationMs',
  'objects',
  'waitMs',
  'detail',
  'data',
  'createdAt',
  'updatedAt',
]);
const ENTRY_COLUMNS = columnsOf(runEntries, [
  'id',
  'orgId',
  'runId',
  'batchKey',
  'action',
  'originId',
  'reason',
  'data',
  'createdAt',
  'updatedAt',
]);

/** INSERT of `rows` rows of these columns, its text the same for the same number of rows. */
const insertText = (table: string, columns: readonly string[], rows: number) =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from(
    { length: rows },
    () => `(${columns.map(() => '?').join(', ')})`,
  ).join(', ')}`;

const PROGRESS = `UPDATE runs SET ${runs.pagesFetched.name} = ?, ${RUN_COUNT_COLUMNS.map(
  (name) => `${runs[name].name} = ?`,
).join(', ')}, ${runs.expectedTotal.name} = coalesce(?, ${runs.expectedTotal.name}), ${
  runs.heartbeatAt.name
} = ? WHERE ${runs.orgId.name} = ? AND ${runs.id.name} = ?`;

const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);
const whole = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms));

export interface BatchLog {
  readonly orgId: string;
  readonly runId: string;
  readonly batchKey: string;
  readonly entries: readonly RunEntry[];
  readonly timeline: readonly TimelineEvent[];
}

/** The statements writing a batch's log (and the run's progress, when given), for one write batch. */
export function batchLogStatements(log: BatchLog, progress?: RunProgress): InStatement[] {
  const { orgId, runId, batchKey } = log;
  const now = Date.now();
  const statements: InStatement[] = [
    { sql: 'DELETE FROM run_entries WHERE run_id = ? AND batch_key = ?', args: [runId, batchKey] },
    { sql: 'DELETE FROM run_events WHERE run_id = ? AND batch_key = ?', args: [runId, batchKey] },
  ];
  if (log.timeline.length > 0) {
    const args: InValue[] = [];
    log.timeline.forEach((e, seq) => {
      args.push(newId('runEvent'), orgId, runId, batchKey, seq, e.kind, e.at, e.page ?? null);
      args.push(e.url === undefined ? null : maskedUrl(e.url), e.status ?? null, whole(e.durationMs));
      args.push(e.objects ?? null, whole(e.waitMs), e.detail ?? null, json(e.data ? { ...e.data } : null));
      args.push(now, now);
    });
    statements.push({ sql: insertText('run_events', EVENT_COLUMNS, log.timeline.length), args });
  }
  for (const part of chunk(log.entries, ENTRIES_PER_INSERT)) {
    const args: InValue[] = [];
    for (const e of part) {
      args.push(newId('runEntry'), orgId, runId, batchKey, e.action, e.originId, e.reason ?? null);
      args.push(json(e.object), now, now);
    }
    statements.push({ sql: insertText('run_entries', ENTRY_COLUMNS, part.length), args });
  }
  if (progress) statements.push(progressStatement(log, progress, now));
  return statements;
}

/** The run's cumulative progress after a page (a retried step writes the same again), and its heartbeat. */
export function progressStatement(
  run: { readonly orgId: string; readonly runId: string },
  progress: RunProgress,
  now = Date.now(),
): InStatement {
  const counts = RUN_COUNT_COLUMNS.map((name) => progress.counts[name]);
  return {
    sql: PROGRESS,
    args: [progress.pagesFetched, ...counts, progress.total ?? null, now, run.orgId, run.runId],
  };
}
