// One connection: its data types' synchronisations side by side, run and scheduled together.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadConnection } from '@/server/services/connections';
import { ConnectionDetail } from './connection-detail';

export const metadata: Metadata = { title: 'Connection' };

export default async function ConnectionPage({
  params,
}: {
  params: Promise<{ slug: string; connectionId: string }>;
}) {
  const { slug, connectionId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/connections/${connectionId}`);
  if (!allowed('syncs.read')) return <NoAccess page="Connections" role={membership.role} />;
  await orgRecordOr404((db) => loadConnection(db, membership.orgId, connectionId));
  return <ConnectionDetail connectionId={connectionId} />;
}
