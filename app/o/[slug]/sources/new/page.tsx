// Adding a source (editors and up): choose its type, then fill in that type's fields.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { NewSource } from './new-source';

export const metadata: Metadata = { title: 'New source' };

export default async function NewSourcePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/sources/new');
  if (!allowed('sources.write')) return <NoAccess page="New source" role={membership.role} />;
  return (
    <>
      <PageHeader title="New source" description="Where a synchronisation reads its objects from." />
      <NewSource />
    </>
  );
}
