// The registers page: every register of the organisation with its schemas.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { RegisterList } from './_components/register-list';

export const metadata: Metadata = { title: 'Registers' };

export default async function RegistersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/registers');
  if (!allowed('registers.read')) return <NoAccess page="Registers" role={membership.role} />;
  return (
    <>
      <PageHeader
        title="Registers"
        description="Concord’s own store: a register groups schemas, and each schema (a JSON Schema) holds the objects synchronisations write into it."
      />
      <RegisterList />
    </>
  );
}
