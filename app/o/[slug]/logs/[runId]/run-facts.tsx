// What a run did (counts by action) and the facts around it: pages, completeness, interruptions,
// trigger and mode, who asked, and when.
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Card } from '@/app/_components/ui';
import { formatCount, formatDuration, formatTime } from '@/app/_lib/format';
import { RUN_COUNT_COLUMNS } from '@/server/sync/core/count-columns';
import type { AppRouter } from '@/server/trpc/root';
import {
  COUNT_COLOURS,
  COUNT_HINTS,
  countLabel,
  LISTING_WORDS,
  triggerLabel,
  type CountKey,
} from '../_components/run-labels';

type Run = inferRouterOutputs<AppRouter>['runs']['get'];

const KEYS = RUN_COUNT_COLUMNS;
type Key = (typeof KEYS)[number];

const OTHER_LABELS = { found: 'Found', filtered: 'Filtered out', held: 'Held for approval' } as const;

/** The label of a count; a test run's writes read as planned ("Would create"). */
function label(key: Key, test: boolean): string {
  if (key === 'held') return test ? 'Would hold for approval' : OTHER_LABELS.held;
  return key === 'found' || key === 'filtered' ? OTHER_LABELS[key] : countLabel(key, test);
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function completeness(run: Run): string {
  if (run.trigger === 'approval' || run.trigger === 'push' || run.trigger === 'retry' || run.cursor?.object)
    return 'Not a listing, so nothing else was deleted';
  if (run.complete === null) return '—';
  if (run.complete && run.unreadable > 0) {
    const n = run.unreadable;
    return (
      `Not for deletions: the file was read to its end, but ${formatCount(n)} ${n === 1 ? 'record' : 'records'} ` +
      `in it could not be read (see the objects that need attention), so nothing was deleted`
    );
  }
  return run.complete ? 'Yes: every page was read' : 'No: the listing did not finish, so nothing was deleted';
}

export function RunFacts({ run, requestedByName }: { run: Run; requestedByName: string | null }) {
  const end = run.finishedAt ?? null;
  // While the run goes, the live panel shows the counts.
  const live = run.status === 'queued' || run.status === 'running';
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {!live && (
        <Card title={run.test ? 'What the run would do (test)' : 'Objects'}>
          <dl className="grid grid-cols-3 gap-3" data-testid="run-counts">
            {KEYS.map((key) => (
              <div
                key={key}
                className="rounded-md bg-slate-50 px-3 py-2"
                title={key in COUNT_HINTS ? COUNT_HINTS[key as CountKey] : undefined}
              >
                <dt className="flex items-center gap-1.5 text-xs text-slate-500" data-testid={`label-${key}`}>
                  {key in COUNT_COLOURS && (
                    <span
                      className="inline-block h-2 w-2 rounded-full"
                      style={{ background: COUNT_COLOURS[key as keyof typeof COUNT_COLOURS] }}
                    />
                  )}
                  {label(key, run.test)}
                </dt>
                <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${key}`}>
                  {formatCount(run[key])}
                </dd>
              </div>
            ))}
          </dl>
        </Card>
      )}
      <Card title="Details">
        <dl className="grid grid-cols-2 gap-x-4 gap-y-3">
          <Fact label="Trigger">{triggerLabel(run)}</Fact>
          <Fact label="Mode">
            {[
              run.test ? 'Test (dry run: nothing written)' : 'Normal',
              run.force ? 'forced' : null,
              run.listing ? LISTING_WORDS[run.listing] : null,
            ]
              .filter(Boolean)
              .join(', ')}
          </Fact>
          <Fact label="Requested by">{requestedByName ?? (run.requestedBy ? 'A former member' : '—')}</Fact>
          {run.requestedByRunId && (
            <Fact label="Follow-up of">
              {/* Relative to this log's address: the run that requested this one. */}
              <Link className="text-indigo-700 hover:underline" href={run.requestedByRunId}>
                run {run.requestedByRunId}
              </Link>
            </Fact>
          )}
          <Fact label="Pages fetched">{formatCount(run.pagesFetched)}</Fact>
          <Fact label="Complete listing">{completeness(run)}</Fact>
          <Fact label="Interruptions">
            {run.interruptions ? `${run.interruptions} (resumed where it stopped)` : 'None'}
          </Fact>
          <Fact label="Started">{formatTime(run.startedAt)}</Fact>
          <Fact label="Ended">{formatTime(end)}</Fact>
          <Fact label="Duration">
            {formatDuration(run.startedAt && end ? end.getTime() - run.startedAt.getTime() : null)}
          </Fact>
          <Fact label="Queued">{formatTime(run.createdAt)}</Fact>
        </dl>
      </Card>
    </div>
  );
}
