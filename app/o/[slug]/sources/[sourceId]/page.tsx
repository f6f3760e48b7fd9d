// One source: its settings, and per type a connection test (REST) or its file, versions and preview.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadSource } from '@/server/services/sources';
import { SourceDetail } from './source-detail';

export const metadata: Metadata = { title: 'Source' };

export default async function SourcePage({
  params,
}: {
  params: Promise<{ slug: string; sourceId: string }>;
}) {
  const { slug, sourceId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/sources/${sourceId}`);
  if (!allowed('sources.read')) return <NoAccess page="Sources" role={membership.role} />;
  await orgRecordOr404((db) => loadSource(db, membership.orgId, sourceId));
  return <SourceDetail sourceId={sourceId} />;
}
