// How a run's trigger, mode and counts read on the logs pages.
import { Badge } from '@/app/_components/ui';
import { formatCount } from '@/app/_lib/format';

interface RunLike {
  trigger: string;
  test: boolean;
  force: boolean;
  requestedBy: string | null;
  cursor: Record<string, unknown> | null;
}

/** A compact time for tables and charts (the year only when it is not this one). */
export function shortTime(value: Date | null): string {
  if (!value) return '—';
  const sameYear = value.getFullYear() === new Date().getFullYear();
  return value.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    year: sameYear ? undefined : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export const TRIGGERS: Record<string, string> = {
  manual: 'Run now',
  schedule: 'Schedule',
  api: 'API',
  webhook: 'Webhook',
  approval: 'Approved deletions',
  continuation: 'Continuation',
  'follow-up': 'Follow-up',
  push: 'Register change',
  resolution: 'Conflict resolved',
  retry: 'Undelivered, tried again',
};

/** A run that carries one object: a webhook's push, or a person re-syncing one contract. */
export function triggerLabel(run: RunLike): string {
  if (run.cursor?.object) return run.trigger === 'webhook' ? 'Webhook object' : 'Re-sync of one object';
  return TRIGGERS[run.trigger] ?? run.trigger;
}

/** Incremental synchronisations: which kind of listing the run made (null for the others). */
export const LISTING_WORDS = { full: 'full reconciliation', incremental: 'incremental' } as const;

export function ModeBadges({
  run,
}: {
  run: Pick<RunLike, 'test' | 'force'> & { listing?: keyof typeof LISTING_WORDS | null };
}) {
  return (
    <>
      {run.test && <Badge tone="blue">test</Badge>}
      {run.force && <Badge tone="amber">force</Badge>}
      {run.listing && (
        <Badge tone={run.listing === 'full' ? 'amber' : 'neutral'}>{LISTING_WORDS[run.listing]}</Badge>
      )}
    </>
  );
}

export const COUNT_KEYS = [
  'created',
  'updated',
  'rewritten',
  'deleted',
  'skipped',
  'invalid',
  'failed',
] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

export const COUNT_LABELS: Record<CountKey, string> = {
  created: 'Created',
  updated: 'Updated',
  rewritten: 'Rewritten',
  deleted: 'Deleted',
  skipped: 'Unchanged',
  invalid: 'Invalid',
  failed: 'Failed',
};

/** A test run writes nothing: its counts are what a real run would do. */
const PLANNED_LABELS: Record<CountKey, string> = {
  created: 'Would create',
  updated: 'Would update',
  rewritten: 'Would rewrite',
  deleted: 'Would delete',
  skipped: 'Unchanged',
  invalid: 'Invalid',
  failed: 'Failed',
};

/** What each count means, in the words of the README ("What a run's counts mean"). */
export const COUNT_HINTS: Record<CountKey, string> = {
  created: 'New in the target.',
  updated: 'Written, and the content in the target changed.',
  rewritten:
    'Written again with the content in the target unchanged (a forced run, or a change the mapping does not carry).',
  deleted: 'Gone from the source and deleted in the target.',
  skipped: 'Not written: nothing changed since the last run.',
  invalid:
    'Refused by Concord before writing: no usable id, a repeated id, invalid for the schema, or a mapping or conditions error.',
  failed: 'Refused by the target, or it did not answer; the next run tries again.',
};

export function countLabel(key: CountKey, test: boolean): string {
  return (test ? PLANNED_LABELS : COUNT_LABELS)[key];
}

/** Counts a test run only planned: created, updated, rewritten, deleted. */
export const isPlanned = (key: string, test: boolean) =>
  test && (key === 'created' || key === 'updated' || key === 'rewritten' || key === 'deleted');

/** The colours of the actions, the same in the chart and the counts. */
export const COUNT_COLOURS: Record<CountKey, string> = {
  created: '#16a34a',
  updated: '#2563eb',
  rewritten: '#93c5fd',
  deleted: '#d97706',
  skipped: '#94a3b8',
  invalid: '#db2777',
  failed: '#dc2626',
};

/** The counts worth a column for these runs: rewrites only appear where some run rewrote (forced runs). */
export function countKeysFor(runs: readonly Record<CountKey, number>[]): readonly CountKey[] {
  return runs.some((r) => r.rewritten > 0) ? COUNT_KEYS : COUNT_KEYS.filter((k) => k !== 'rewritten');
}

export function CountCells({
  run,
  keys = COUNT_KEYS,
}: {
  run: Record<CountKey, number> & { test: boolean };
  keys?: readonly CountKey[];
}) {
  return (
    <>
      {keys.map((key) => {
        const planned = isPlanned(key, run.test);
        const refused = (key === 'invalid' || key === 'failed') && run[key];
        return (
          <td
            key={key}
            title={
              planned
                ? `${countLabel(key, true)} ${formatCount(run[key])} (a test run: nothing was written)`
                : undefined
            }
            data-testid={`cell-${key}`}
            className={`px-1.5 py-2 text-right tabular-nums ${run[key] ? '' : 'text-slate-300'} ${planned && run[key] ? 'italic text-sky-700' : ''} ${refused ? 'font-semibold text-red-700' : ''}`}
          >
            {formatCount(run[key])}
          </td>
        );
      })}
    </>
  );
}
