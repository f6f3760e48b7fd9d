'use client';
// The Overview's live part: what needs attention, every synchronisation's health, the latest runs, and
// — until the organisation has run a synchronisation — its first steps. Refreshed while the page is open.
import { useQuery } from '@tanstack/react-query';
import { Card, ErrorText, Loading } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { AttentionCard } from './attention-card';
import { FirstSteps } from './first-steps';
import { HealthTable } from './health-table';
import { RecentRuns } from './recent-runs';

export function OverviewView() {
  const trpc = useTRPC();
  const org = useOrg();
  const base = `/o/${org.slug}`;
  const overview = useQuery({
    ...trpc.overview.get.queryOptions({ orgId: org.orgId }),
    refetchInterval: 15_000,
  });
  if (overview.error) return <ErrorText>{errorMessage(overview.error)}</ErrorText>;
  if (!overview.data) return <Loading what="the overview" />;
  const { synchronisations, attention, recentRuns, firstSteps } = overview.data;
  const started = firstSteps.every((s) => s.done);
  return (
    <div className="space-y-4">
      {!started && (
        <Card title="First steps">
          <FirstSteps steps={firstSteps} base={base} canWrite={org.can('syncs.write')} />
        </Card>
      )}
      {synchronisations.length > 0 && <AttentionCard items={attention} base={base} />}
      {synchronisations.length > 0 && (
        <Card title="Synchronisations">
          <HealthTable syncs={synchronisations} base={base} />
        </Card>
      )}
      {recentRuns.length > 0 && (
        <Card title="Recent runs">
          <RecentRuns runs={recentRuns} base={base} />
        </Card>
      )}
    </div>
  );
}
