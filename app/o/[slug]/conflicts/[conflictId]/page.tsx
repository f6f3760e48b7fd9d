// One conflict: base, source and target side by side per field, and a person's resolution.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadConflict } from '@/server/services/conflicts';
import { ConflictView } from './conflict-view';

export const metadata: Metadata = { title: 'Conflict' };

export default async function ConflictPage({
  params,
}: {
  params: Promise<{ slug: string; conflictId: string }>;
}) {
  const { slug, conflictId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/conflicts/${conflictId}`);
  if (!allowed('contracts.read')) return <NoAccess page="Conflicts" role={membership.role} />;
  await orgRecordOr404((db) => loadConflict(db, membership.orgId, conflictId));
  return <ConflictView conflictId={conflictId} />;
}
