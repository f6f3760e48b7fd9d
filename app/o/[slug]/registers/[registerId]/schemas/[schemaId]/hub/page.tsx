// A schema's hub page: the systems that feed it, the schema, the systems it feeds (seed 004).
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { schemaOfRegisterOr404 } from '@/app/_lib/org-record';
import { HubView } from '../../../../_components/hub/hub-view';

export const metadata: Metadata = { title: 'Hub' };

export default async function HubPage({
  params,
}: {
  params: Promise<{ slug: string; registerId: string; schemaId: string }>;
}) {
  const { slug, registerId, schemaId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/registers/${registerId}/schemas/${schemaId}/hub`);
  if (!allowed('registers.read')) return <NoAccess page="Registers" role={membership.role} />;
  await schemaOfRegisterOr404(membership.orgId, registerId, schemaId);
  return <HubView registerId={registerId} schemaId={schemaId} />;
}
