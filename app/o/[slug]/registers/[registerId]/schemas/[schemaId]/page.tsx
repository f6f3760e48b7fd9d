// A schema's page: its JSON Schema and its objects.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { schemaOfRegisterOr404 } from '@/app/_lib/org-record';
import { SchemaDetail } from '../../../_components/schema-detail';

export const metadata: Metadata = { title: 'Schema' };

export default async function SchemaPage({
  params,
}: {
  params: Promise<{ slug: string; registerId: string; schemaId: string }>;
}) {
  const { slug, registerId, schemaId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/registers/${registerId}/schemas/${schemaId}`);
  if (!allowed('registers.read')) return <NoAccess page="Registers" role={membership.role} />;
  await schemaOfRegisterOr404(membership.orgId, registerId, schemaId);
  return <SchemaDetail registerId={registerId} schemaId={schemaId} />;
}
