// Editing a synchronisation's configuration (editors and up).
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadSynchronisation } from '@/server/services/synchronisations';
import { EditSync } from './edit-sync';

export const metadata: Metadata = { title: 'Edit synchronisation' };

export default async function EditSynchronisationPage({
  params,
}: {
  params: Promise<{ slug: string; syncId: string }>;
}) {
  const { slug, syncId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/synchronisations/${syncId}/edit`);
  if (!allowed('syncs.write')) return <NoAccess page="Edit synchronisation" role={membership.role} />;
  await orgRecordOr404((db) => loadSynchronisation(db, membership.orgId, syncId));
  return (
    <>
      <PageHeader title="Edit synchronisation" />
      <EditSync syncId={syncId} />
    </>
  );
}
