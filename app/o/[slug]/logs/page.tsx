// The organisation's sync log: every run, newest first, with a chart of the recent ones; `?sync=`
// narrows it to one synchronisation.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { LogsView } from './_components/logs-view';
import { ObjectSearch } from './_components/object-search';

export const metadata: Metadata = { title: 'Logs' };

export default async function LogsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ sync?: string | string[] }>;
}) {
  const { slug } = await params;
  const { sync } = await searchParams;
  const { membership, allowed } = await loadOrgPage(slug, '/logs');
  if (!allowed('runs.read')) return <NoAccess page="Logs" role={membership.role} />;
  return (
    <>
      <PageHeader
        title="Logs"
        description="Every run of your synchronisations: what it found, what it did, and what went wrong."
      />
      <div className="mb-6">
        <ObjectSearch />
      </div>
      <LogsView syncId={typeof sync === 'string' && sync ? sync : null} />
    </>
  );
}
