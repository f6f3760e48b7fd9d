'use client';
// One run, live: polled every second while queued or running — the page, objects processed, counts by
// action, the rate and the time left when the total is knowable; Cancel; then the result and its log.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Button, ErrorText, Loading } from '@/app/_components/ui';
import { formatCount, formatDuration } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { isActive, RunStatusBadge } from '../../_components/run-badges';
import { runStats } from '../../_lib/run-stats';
import type { RunRow } from '../../_lib/types';

// [key, label, a test run's label: it only plans its writes]
const ACTIONS = [
  ['created', 'Created', 'Would create'],
  ['updated', 'Updated', 'Would update'],
  ['rewritten', 'Rewritten, unchanged', 'Would rewrite, unchanged'],
  ['skipped', 'Unchanged', 'Unchanged'],
  ['filtered', 'Filtered out', 'Filtered out'],
  ['invalid', 'Invalid', 'Invalid'],
  ['failed', 'Failed', 'Failed'],
  ['deleted', 'Deleted', 'Would delete'],
  ['held', 'Held for approval', 'Would hold for approval'],
] as const satisfies readonly (readonly [keyof RunRow, string, string])[];

export function RunProgress({ runId, expectedTotal }: { runId: string; expectedTotal: number | null }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const run = useQuery({
    ...trpc.runs.get.queryOptions({ orgId: org.orgId, runId }),
    staleTime: 0,
    refetchInterval: (query) => (isActive(query.state.data) ? 1000 : false),
  });
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ orgId: org.orgId, runId }) }),
    }),
  );
  const active = isActive(run.data);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  // When the run ends, everything that shows its outcome is out of date — the open conflicts counted in
  // the navigation too: a two-way run may have found some.
  useEffect(() => {
    if (run.data && !active) {
      void queryClient.invalidateQueries({ queryKey: trpc.synchronisations.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.conflicts.pathKey() });
    }
  }, [active, run.data, queryClient, trpc]);

  if (run.error) return <ErrorText>{errorMessage(run.error)}</ErrorText>;
  if (run.isPending) return <Loading what="the run" />;
  const r = run.data;
  const stats = runStats(r, now, expectedTotal);
  const share = stats.total ? Math.min(1, stats.processed / stats.total) : null;
  return (
    <div
      className="space-y-3 rounded-md border border-slate-200 p-3"
      data-testid="run-progress"
      aria-live="polite"
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <RunStatusBadge run={r} />
        {r.test && <span className="text-xs text-slate-500">test (dry run)</span>}
        {r.force && <span className="text-xs text-slate-500">forced</span>}
        <span className="text-slate-700" data-testid="run-summary">
          {r.status === 'queued'
            ? 'Waiting to start…'
            : `${r.trigger === 'approval' ? 'Approved deletions' : `Page ${formatCount(r.pagesFetched)}`} · ${formatCount(stats.processed)} objects processed`}
        </span>
      </div>
      {share !== null && active && (
        <div
          className="h-2 overflow-hidden rounded bg-slate-100"
          role="progressbar"
          aria-valuenow={Math.round(share * 100)}
        >
          <div className="h-full bg-indigo-500 transition-all" style={{ width: `${share * 100}%` }} />
        </div>
      )}
      <p className="text-xs text-slate-600">
        Elapsed {formatDuration(stats.elapsedMs)}
        {stats.rate !== null && ` · ${stats.rate.toFixed(stats.rate < 10 ? 1 : 0)} objects/s`}
        {stats.remainingMs !== null &&
          ` · about ${formatDuration(stats.remainingMs)} left (the last complete run found ${formatCount(stats.total)})`}
      </p>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
        {ACTIONS.map(([key, label, planned]) => (
          <div key={key} className="flex justify-between gap-2">
            <dt className="text-slate-500">{r.test ? planned : label}</dt>
            <dd className="font-medium tabular-nums" data-testid={`count-${key}`}>
              {formatCount(r[key])}
            </dd>
          </div>
        ))}
      </dl>
      {r.message && <p className="text-sm text-slate-700">{r.message}</p>}
      <ErrorText>{cancel.error ? errorMessage(cancel.error) : null}</ErrorText>
      <div className="flex flex-wrap items-center gap-3">
        {active && org.can('syncs.run') && (
          <Button
            variant="danger"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ orgId: org.orgId, runId })}
          >
            Cancel run
          </Button>
        )}
        <Link
          className="text-sm font-medium text-indigo-700 hover:underline"
          href={`/o/${org.slug}/logs/${runId}`}
        >
          Open the log
        </Link>
      </div>
    </div>
  );
}
