'use client';
// The hub page: the picture of who feeds the schema and whom it feeds, what waits in the outbox, and
// where the latest changes went. It refreshes while open, as runs finish.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ErrorText, Loading, Notice, PageHeader } from '@/app/_components/ui';
import { formatCount, formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { Breadcrumbs } from '../breadcrumbs';
import { HubDiagram } from './hub-diagram';
import { RecentChanges } from './recent-changes';

export function HubView({ registerId, schemaId }: { registerId: string; schemaId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const hub = useQuery({
    ...trpc.hub.get.queryOptions({ orgId: org.orgId, schemaId }),
    refetchInterval: 5000,
  });
  if (hub.isPending) return <Loading what="the hub" />;
  if (hub.error) return <ErrorText>{errorMessage(hub.error)}</ErrorText>;
  const h = hub.data;
  const schemaHref = `/o/${org.slug}/registers/${registerId}/schemas/${schemaId}`;
  return (
    <>
      <Breadcrumbs registerId={registerId} current={`${h.schema.name} hub`} />
      <PageHeader
        title={`${h.schema.name} hub`}
        description="Systems that feed this schema on the left, systems it feeds on the right. A change that comes in goes out to every other subscriber, never back to where it came from."
        actions={
          <Link className="text-sm font-medium text-indigo-700 hover:underline" href={schemaHref}>
            Schema and objects
          </Link>
        }
      />
      <div className="space-y-6">
        {h.subscribers.length === 0 ? (
          <Notice>
            No synchronisation feeds this schema or reads from it yet. Create one whose target is this schema
            (it feeds the hub), or one whose source is a register source on it (the hub feeds it).
          </Notice>
        ) : (
          <HubDiagram hub={h} />
        )}
        <p className="text-sm text-slate-600" data-testid="hub-backlog">
          {h.backlog.objects === 0
            ? 'Outbox: empty — every change has been handed to the subscribers.'
            : `Outbox: ${formatCount(h.backlog.objects)} ${h.backlog.objects === 1 ? 'object' : 'objects'} (${formatCount(h.backlog.changes)} changes) waiting to go out, the oldest since ${formatTime(h.backlog.oldest)}.`}
        </p>
        <RecentChanges changes={h.recentChanges} />
      </div>
    </>
  );
}
