// The sources of an organisation: what each reads from, and (editors and up) a way to add one.
import type { Metadata } from 'next';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { SourceList } from './source-list';

export const metadata: Metadata = { title: 'Sources' };

export default async function SourcesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/sources');
  if (!allowed('sources.read')) return <NoAccess page="Sources" role={membership.role} />;
  return (
    <>
      <PageHeader
        title="Sources"
        description="The systems and files synchronisations read from: REST APIs, uploaded files, registers."
        actions={
          allowed('sources.write') && (
            <Link
              href={`/o/${slug}/sources/new`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            >
              New source
            </Link>
          )
        }
      />
      <SourceList />
    </>
  );
}
