// A new synchronisation (editors and up).
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { NewSync } from './new-sync';

export const metadata: Metadata = { title: 'New synchronisation' };

export default async function NewSynchronisationPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/synchronisations/new');
  if (!allowed('syncs.write')) return <NoAccess page="New synchronisation" role={membership.role} />;
  return (
    <>
      <PageHeader
        title="New synchronisation"
        description="Read a source, map each object, and write it to a register or another API."
      />
      <NewSync />
    </>
  );
}
