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

const TRIGGERS: Record<string, string> = {
  manual: 'Run now',
  schedule: 'Schedule',
  api: 'API',
  webhook: 'Webhook',
  approval: 'Approved deletions',
  continuation: 'Continuation',
};

/** A run that carries one object: a webhook's push, or a person re-syncing one contract. */
export function triggerLabel(run: RunLike): string {
  if (run.cursor?.object) return run.trigger === 'webhook' ? 'Webhook object' : 'Re-sync of one object';
  return TRIGGERS[run.trigger] ?? run.trigger;
}

export function ModeBadges({ run }: { run: Pick<RunLike, 'test' | 'force'> }) {
  return (
    <>
      {run.test && <Badge tone="blue">test</Badge>}
      {run.force && <Badge tone="amber">force</Badge>}
    </>
  );
}

export const COUNT_KEYS = ['created', 'updated', 'deleted', 'skipped', 'invalid', 'failed'] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

export const COUNT_LABELS: Record<CountKey, string> = {
  created: 'Created',
  updated: 'Updated',
  deleted: 'Deleted',
  skipped: 'Unchanged',
  invalid: 'Invalid',
  failed: 'Failed',
};

/** The colours of the actions, the same in the chart and the counts. */
export const COUNT_COLOURS: Record<CountKey, string> = {
  created: '#16a34a',
  updated: '#2563eb',
  deleted: '#d97706',
  skipped: '#94a3b8',
  invalid: '#db2777',
  failed: '#dc2626',
};

export function CountCells({ run }: { run: Record<CountKey, number> }) {
  return (
    <>
      {COUNT_KEYS.map((key) => (
        <td
          key={key}
          className={`px-1.5 py-2 text-right tabular-nums ${run[key] ? '' : 'text-slate-300'} ${(key === 'invalid' || key === 'failed') && run[key] ? 'font-semibold text-red-700' : ''}`}
        >
          {formatCount(run[key])}
        </td>
      ))}
    </>
  );
}
