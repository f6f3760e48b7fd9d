// The mappings page: every mapping of the organisation, and the way to a new one.
import type { Metadata } from 'next';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { MappingList } from './_components/mapping-list';

export const metadata: Metadata = { title: 'Mappings' };

export default async function MappingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/mappings');
  if (!allowed('mappings.read')) return <NoAccess page="Mappings" role={membership.role} />;
  return (
    <>
      <PageHeader
        title="Mappings"
        description="How source objects become target objects, written in the mapping language and tried on samples."
        actions={
          allowed('mappings.write') && (
            <Link
              href={`/o/${slug}/mappings/new`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            >
              New mapping
            </Link>
          )
        }
      />
      <MappingList />
    </>
  );
}
