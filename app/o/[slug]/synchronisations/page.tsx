// The organisation's synchronisations: what flows where, how the last run went, when the next one is.
import type { Metadata } from 'next';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { SyncList } from './_components/sync-list';

export const metadata: Metadata = { title: 'Synchronisations' };

export default async function SynchronisationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/synchronisations');
  if (!allowed('syncs.read')) return <NoAccess page="Synchronisations" role={membership.role} />;
  return (
    <>
      <PageHeader
        title="Synchronisations"
        description="Each one reads a source, maps the objects and writes them to a register or an API."
        actions={
          allowed('syncs.write') && (
            <Link
              href={`/o/${slug}/synchronisations/new`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            >
              New synchronisation
            </Link>
          )
        }
      />
      <SyncList />
    </>
  );
}
