// Whether a save of a synchronisation changes how it synchronises. Its `updatedAt` is the engine's
// "configuration changed at" (run/engine-context.ts): the skip rule and the page memos look at every
// object again after it, and an incremental synchronisation lists everything again (its cursor only says
// what was read and written with the settings of then: core/incremental/window.ts `chooseListing`). So
// an edit that changes neither what is read nor what is written keeps it, as switching on or off does.
import type { synchronisations } from '../db/schema';
import { canonicalJson } from '../sync/core/canonical-json';

type Row = typeof synchronisations.$inferSelect;

/**
 * The columns no run reads to decide what it reads or writes: what the synchronisation is called, when
 * it runs (its schedule, its time zone — which only places the schedules — a one-time run), and how long
 * its logs are kept. Every other column counts, a column added later included: the source and its
 * endpoint, how it is read (the id field, paging, conditions, selected ids, the changes query, its
 * field and lookback), the mapping, the target and how it is written, deletions (applied by the full
 * reconciliation an edit brings), and the two-way settings.
 */
const NOT_READ_BY_RUNS = new Set<string>([
  'name',
  'description',
  'enabled',
  'scheduleCron',
  'scheduleTimezone',
  'oneTime',
  'runOnceAt',
  'successRetentionDays',
  'errorRetentionDays',
]);

/**
 * Settings of the reading that only say when a full reconciliation comes (every N runs, on its own cron
 * schedule): a run still reads the same window from the same cursor, which means what it meant.
 */
const RECONCILIATION_TIMING = ['reconcileEveryRuns', 'reconcileCron'];

/** The source settings as a run reads them, without when the full reconciliations come. */
function readingSettings(sourceConfig: unknown): unknown {
  if (typeof sourceConfig !== 'object' || sourceConfig === null) return sourceConfig;
  const { incremental, ...rest } = sourceConfig as Record<string, unknown>;
  if (typeof incremental !== 'object' || incremental === null) return sourceConfig;
  const reading = { ...(incremental as Record<string, unknown>) };
  for (const key of RECONCILIATION_TIMING) delete reading[key];
  return { ...rest, incremental: reading };
}

/**
 * Whether saving `after` over `before` changes what the synchronisation reads or writes. Compared as
 * canonical JSON, so a key order the database or the form chose does not count; `secretsChanged`: its
 * own secrets (sent with its reading requests) were changed or dropped.
 */
export function changesHowItSynchronises(
  before: Row,
  after: Record<string, unknown>,
  secretsChanged: boolean,
): boolean {
  if (secretsChanged) return true;
  const saved = before as unknown as Record<string, unknown>;
  return Object.keys(after).some((column) => {
    if (NOT_READ_BY_RUNS.has(column)) return false;
    if (column === 'sourceConfig')
      return canonicalJson(readingSettings(saved[column])) !== canonicalJson(readingSettings(after[column]));
    return canonicalJson(saved[column] ?? null) !== canonicalJson(after[column] ?? null);
  });
}
