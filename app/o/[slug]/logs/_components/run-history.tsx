'use client';
// The run history, newest first, filtered and paged on the server (the page is in the URL); it
// refreshes itself while a run it shows is still going.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Card, EmptyState, ErrorText, Loading, Pager, TableScroll } from '@/app/_components/ui';
import { formatDuration, formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { isActive, RunStatusBadge } from '../../synchronisations/_components/run-badges';
import { dateRange, type LogFilters } from './log-filters';
import {
  COUNT_HINTS,
  COUNT_LABELS,
  CountCells,
  countKeysFor,
  ModeBadges,
  shortTime,
  triggerLabel,
} from './run-labels';

const PAGE = 25;

export function RunHistory({
  filters,
  onPage,
  filtered,
}: {
  filters: LogFilters;
  onPage: (page: number) => void;
  filtered: boolean;
}) {
  const trpc = useTRPC();
  const org = useOrg();
  const syncId = filters.sync;
  const runs = useQuery({
    ...trpc.runs.search.queryOptions({
      orgId: org.orgId,
      ...(filters.sync ? { syncId: filters.sync } : {}),
      ...(filters.result ? { result: filters.result } : {}),
      ...(filters.trigger ? { trigger: filters.trigger } : {}),
      ...dateRange(filters),
      page: filters.page,
      pageSize: PAGE,
    }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.rows.some((r) => isActive(r.run)) ? 3000 : false),
  });
  const rows = runs.data?.rows ?? [];
  const total = runs.data?.total ?? 0;
  const keys = countKeysFor(rows.map((r) => r.run));
  const base = `/o/${org.slug}`;

  if (runs.error) return <ErrorText>{errorMessage(runs.error)}</ErrorText>;
  if (runs.isPending) return <Loading what="the run history" />;
  if (rows.length === 0 && filtered) {
    return (
      <EmptyState title="No run matches these filters">
        Widen the dates, or choose another result, trigger or synchronisation.
      </EmptyState>
    );
  }
  if (rows.length === 0) {
    return (
      <EmptyState title="No runs yet">
        {syncId ? 'This synchronisation has not run yet.' : 'None of your synchronisations has run yet.'} Open
        a{' '}
        <Link className="font-medium text-indigo-700 hover:underline" href={`${base}/synchronisations`}>
          synchronisation
        </Link>{' '}
        and press Run now, or give it a schedule.
      </EmptyState>
    );
  }
  return (
    <Card title="Run history">
      <TableScroll label="Runs">
        <table className="w-full min-w-[46rem] text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2 pr-2">Run</th>
              <th className="px-2 py-2">Synchronisation</th>
              <th className="px-2 py-2">Result</th>
              <th className="px-2 py-2 text-right">Duration</th>
              {keys.map((key) => (
                <th key={key} className="px-1.5 py-2 text-right" title={COUNT_HINTS[key]}>
                  {COUNT_LABELS[key]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map(({ run, syncName }) => (
              <tr key={run.id} data-testid="run-row" className="hover:bg-slate-50">
                <td className="whitespace-nowrap py-2 pr-2">
                  <Link
                    className="font-medium text-indigo-700 hover:underline"
                    href={`${base}/logs/${run.id}`}
                  >
                    <span title={formatTime(run.startedAt ?? run.createdAt)}>
                      {shortTime(run.startedAt ?? run.createdAt)}
                    </span>
                  </Link>
                  <span className="mt-0.5 flex items-center gap-1 text-xs text-slate-500">
                    {triggerLabel(run)} <ModeBadges run={run} />
                  </span>
                </td>
                <td className="max-w-48 truncate px-2 py-2" title={syncName}>
                  {syncName}
                </td>
                <td className="px-2 py-2">
                  <RunStatusBadge run={run} />
                  {run.test && !isActive(run) && (
                    <span className="mt-0.5 block whitespace-nowrap text-xs text-sky-700">planned only</span>
                  )}
                </td>
                <td className="whitespace-nowrap px-2 py-2 text-right tabular-nums">
                  {isActive(run)
                    ? '…'
                    : formatDuration(run.startedAt && run.finishedAt && +run.finishedAt - +run.startedAt)}
                </td>
                <CountCells run={run} keys={keys} />
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Pager page={filters.page} pageSize={PAGE} total={total} onPage={onPage} />
    </Card>
  );
}
