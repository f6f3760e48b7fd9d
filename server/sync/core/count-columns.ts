// The counts a run's log keeps, each in a column of `runs` by the same name, in the order the log shows
// them. A module of its own, without the engine behind it: the run page (a client component) reads it.
import type { RunCounts } from './run-result';

export const RUN_COUNT_COLUMNS = [
  'found',
  'created',
  'updated',
  'rewritten',
  'deleted',
  'skipped',
  'invalid',
  'failed',
  'filtered',
  'held',
] as const satisfies readonly (keyof RunCounts)[];
