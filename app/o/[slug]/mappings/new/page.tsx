// A new mapping, with its test bench (editors and up).
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { MappingWorkbench } from '../_components/mapping-workbench';

export const metadata: Metadata = { title: 'New mapping' };

export default async function NewMappingPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/mappings/new');
  if (!allowed('mappings.write')) return <NoAccess page="New mapping" role={membership.role} />;
  return <MappingWorkbench />;
}
