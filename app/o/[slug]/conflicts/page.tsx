// The conflict queue: every two-way synchronisation's conflicts, the open ones first, with status and
// synchronisation filters kept in the URL.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { ConflictsView } from './_components/conflicts-view';
import { parseConflictQuery } from './_components/query';

export const metadata: Metadata = { title: 'Conflicts' };

export default async function ConflictsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/conflicts');
  if (!allowed('contracts.read')) return <NoAccess page="Conflicts" role={membership.role} />;
  return <ConflictsView initial={parseConflictQuery(await searchParams)} />;
}
