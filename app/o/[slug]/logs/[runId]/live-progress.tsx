'use client';
// A queued or running run as it goes (the page polls it every second): the page it is on, objects
// processed with counts by action, the rate, and the share done with the time left when the total is
// known — the total the source reported (kept on the run, so a reload shows it again), else the count
// of an earlier complete run (otherwise the time so far). Cancel for those who may run syncs.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useEffect, useState } from 'react';
import { ConfirmButton } from '@/app/_components/dialogs';
import { ErrorText } from '@/app/_components/ui';
import { formatCount, formatDuration } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';
import { expectedTotal, runStats } from '../../synchronisations/_lib/run-stats';
import { COUNT_COLOURS, COUNT_KEYS, countLabel } from '../_components/run-labels';

type Run = inferRouterOutputs<AppRouter>['runs']['get'];

export function LiveProgress({ run }: { run: Run }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const history = useQuery(
    trpc.runs.list.queryOptions({ orgId: org.orgId, syncId: run.synchronisationId, limit: 10 }),
  );
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey() }),
    }),
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const reported = run.expectedTotal !== null && run.expectedTotal > 0 ? run.expectedTotal : null;
  const total =
    reported ?? expectedTotal((history.data ?? []).map((r) => r.run).filter((r) => r.id !== run.id));
  const stats = runStats(run, now, total);
  const share = stats.total ? Math.min(1, stats.processed / stats.total) : null;
  const totalWords = reported
    ? `the source reports ${formatCount(stats.total)} objects`
    : `the last complete run found ${formatCount(stats.total)} objects`;
  const queued = run.status === 'queued';
  return (
    <section
      className="space-y-4 rounded-lg border border-blue-200 bg-blue-50 px-4 py-4"
      data-testid="live-progress"
      aria-live="polite"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-sm font-semibold text-blue-900">{queued ? 'Waiting to start…' : 'Running'}</h2>
          {!queued && (
            <p className="text-base text-blue-950" data-testid="progress-summary">
              {run.trigger === 'approval'
                ? 'Deleting the approved objects'
                : `On page ${formatCount(run.pagesFetched + 1)} (${formatCount(run.pagesFetched)} read)`}{' '}
              · {formatCount(stats.processed)}
              {share !== null
                ? ` of ${formatCount(stats.total)} objects (${Math.floor(share * 100)} %)`
                : ' objects'}{' '}
              processed
            </p>
          )}
        </div>
        {org.can('syncs.run') && (
          <ConfirmButton
            variant="danger"
            disabled={cancel.isPending}
            title={'Cancel this run? It stops before its next step; what it wrote stays.'}
            confirmLabel="Cancel run"
            cancelLabel="Keep running"
            onConfirm={() => cancel.mutate({ orgId: org.orgId, runId: run.id })}
          >
            Cancel run
          </ConfirmButton>
        )}
      </div>
      {share !== null && (
        <div
          className="h-2 overflow-hidden rounded bg-white"
          role="progressbar"
          aria-label="Share of the expected objects processed"
          aria-valuenow={Math.round(share * 100)}
        >
          <div className="h-full bg-blue-600 transition-all" style={{ width: `${share * 100}%` }} />
        </div>
      )}
      <p className="text-sm text-blue-900">
        {stats.rate !== null ? `${stats.rate.toFixed(stats.rate < 10 ? 1 : 0)} objects/s · ` : ''}
        {stats.remainingMs !== null
          ? `about ${formatDuration(stats.remainingMs)} left (${totalWords})`
          : `${formatDuration(stats.elapsedMs)} so far`}
      </p>
      <dl className="grid grid-cols-4 gap-2 sm:grid-cols-7">
        {COUNT_KEYS.map((key) => (
          <div key={key} className="rounded-md bg-white px-2 py-1.5">
            <dt className="flex items-center gap-1 text-xs text-slate-500">
              <span
                className="inline-block h-2 w-2 rounded-full"
                style={{ background: COUNT_COLOURS[key] }}
              />
              {countLabel(key, run.test)}
            </dt>
            <dd className="font-semibold tabular-nums" data-testid={`live-${key}`}>
              {formatCount(run[key])}
            </dd>
          </div>
        ))}
      </dl>
      <ErrorText>{cancel.error ? errorMessage(cancel.error) : null}</ErrorText>
    </section>
  );
}
