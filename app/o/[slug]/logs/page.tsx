// The organisation's sync log: every run, newest first, with a chart of the recent ones; the filters
// (`?sync=&result=&trigger=&from=&to=&page=`) are read from the URL, so a link reproduces the view.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { readLogFilters } from './_components/log-filters';
import { LogsView } from './_components/logs-view';
import { ObjectSearch } from './_components/object-search';

export const metadata: Metadata = { title: 'Logs' };

export default async function LogsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const filters = readLogFilters(await searchParams);
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
      <LogsView initial={filters} />
    </>
  );
}
