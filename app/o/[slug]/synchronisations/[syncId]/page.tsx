// One synchronisation: run it, watch it, approve held deletions, its webhook and recent runs.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadSynchronisation } from '@/server/services/synchronisations';
import { SyncDetail } from './_components/sync-detail';

export const metadata: Metadata = { title: 'Synchronisation' };

export default async function SynchronisationPage({
  params,
}: {
  params: Promise<{ slug: string; syncId: string }>;
}) {
  const { slug, syncId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/synchronisations/${syncId}`);
  if (!allowed('syncs.read')) return <NoAccess page="Synchronisations" role={membership.role} />;
  await orgRecordOr404((db) => loadSynchronisation(db, membership.orgId, syncId));
  return <SyncDetail syncId={syncId} />;
}
