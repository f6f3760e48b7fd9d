// One mapping: its editor (read-only for viewers) and its test bench.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadMapping } from '@/server/services/mappings';
import { MappingLoader } from '../_components/mapping-loader';

export const metadata: Metadata = { title: 'Mapping' };

export default async function MappingPage({
  params,
}: {
  params: Promise<{ slug: string; mappingId: string }>;
}) {
  const { slug, mappingId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/mappings/${mappingId}`);
  if (!allowed('mappings.read')) return <NoAccess page="Mappings" role={membership.role} />;
  await orgRecordOr404((db) => loadMapping(db, membership.orgId, mappingId));
  return <MappingLoader mappingId={mappingId} />;
}
