// A synchronisation's contracts: one per synchronised object, in a server-side paged table with
// filters and search kept in the URL (so Back from a contract returns to the same view).
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadSynchronisation } from '@/server/services/synchronisations';
import { ContractsView } from '../../../contracts/_components/contracts-view';
import { parseContractQuery } from '../../../contracts/_components/query';

export const metadata: Metadata = { title: 'Contracts' };

export default async function ContractsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; syncId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug, syncId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/synchronisations/${syncId}/contracts`);
  if (!allowed('contracts.read')) return <NoAccess page="Contracts" role={membership.role} />;
  await orgRecordOr404((db) => loadSynchronisation(db, membership.orgId, syncId));
  return <ContractsView syncId={syncId} initial={parseContractQuery(await searchParams)} />;
}
