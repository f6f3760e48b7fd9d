// A new schema in a register (editors and up).
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadRegister } from '@/server/services/registers';
import { Breadcrumbs } from '../../../_components/breadcrumbs';
import { SchemaEditor } from '../../../_components/schema-editor';

export const metadata: Metadata = { title: 'New schema' };

export default async function NewSchemaPage({
  params,
}: {
  params: Promise<{ slug: string; registerId: string }>;
}) {
  const { slug, registerId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/registers/${registerId}/schemas/new`);
  if (!allowed('registers.write')) return <NoAccess page="New schema" role={membership.role} />;
  await orgRecordOr404((db) => loadRegister(db, membership.orgId, registerId));
  return (
    <>
      <Breadcrumbs registerId={registerId} current="New schema" />
      <PageHeader
        title="New schema"
        description="A JSON Schema that every object in this schema must satisfy. Start from a template if you like."
      />
      <SchemaEditor registerId={registerId} />
    </>
  );
}
