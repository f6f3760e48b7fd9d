// The organisation's connections: synchronisations created together from one source's data types.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { ConnectionList } from './connection-list';

export const metadata: Metadata = { title: 'Connections' };

export default async function ConnectionsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/connections');
  if (!allowed('syncs.read')) return <NoAccess page="Connections" role={membership.role} />;
  return (
    <>
      <PageHeader
        title="Connections"
        description="Data types discovered in a source and synchronised together: run and scheduled as one."
      />
      <ConnectionList />
    </>
  );
}
