'use client';
// A run's page. While the run is queued or running it polls every second and shows live progress;
// once it ends the same page is its final log.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect } from 'react';
import { ErrorText, Loading, PageHeader } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { isActive, RunStatusBadge } from '../../synchronisations/_components/run-badges';
import { ModeBadges } from '../_components/run-labels';
import { ChangedObjects } from './changed-objects';
import { ChangesDelivered } from './changes-delivered';
import { LiveProgress } from './live-progress';
import { ResultMessage } from './result-message';
import { RunObjects } from './run-entries';
import { RunTimeline } from './run-timeline';
import { RunFacts } from './run-facts';

export function RunView({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const run = useQuery({
    ...trpc.runs.get.queryOptions({ orgId: org.orgId, runId }),
    staleTime: 0,
    refetchInterval: (query) => (isActive(query.state.data) ? 1000 : false),
  });
  const names = useQuery(trpc.runs.names.queryOptions({ orgId: org.orgId, runId }));
  const active = isActive(run.data);
  // When the run ends, its entries and the history are out of date.
  useEffect(() => {
    if (run.data && !active) {
      void queryClient.invalidateQueries({
        queryKey: trpc.runs.entries.queryKey({ orgId: org.orgId, runId }),
      });
      void queryClient.invalidateQueries({
        queryKey: trpc.runs.entryGroups.queryKey({ orgId: org.orgId, runId }),
      });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.timeline.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.search.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.stats.pathKey() });
    }
  }, [active, run.data, queryClient, trpc, org.orgId, runId]);

  if (run.error) return <ErrorText>{errorMessage(run.error)}</ErrorText>;
  if (run.isPending) return <Loading what="the run" />;
  const r = run.data;
  const syncHref = `/o/${org.slug}/synchronisations/${r.synchronisationId}`;
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Run of ${formatTime(r.startedAt ?? r.createdAt)}`}
        description={names.data ? `Synchronisation “${names.data.syncName}”` : undefined}
        actions={
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <RunStatusBadge run={r} />
            <ModeBadges run={r} />
            <Link className="font-medium text-indigo-700 hover:underline" href={syncHref}>
              Synchronisation
            </Link>
            <Link
              className="font-medium text-indigo-700 hover:underline"
              href={`/o/${org.slug}/logs?sync=${r.synchronisationId}`}
            >
              Its other runs
            </Link>
          </div>
        }
      />
      {active ? <LiveProgress run={r} /> : <ResultMessage run={r} />}
      <RunFacts run={r} requestedByName={names.data?.requestedByName ?? null} />
      <ChangesDelivered key={`${r.id}:${r.status}`} run={r} />
      <RunTimeline run={r} />
      <RunObjects run={r} />
      <ChangedObjects key={`objects:${r.id}:${r.status}`} run={r} />
    </div>
  );
}
