// The organisation's contracts: every synchronisation's, in one server-side paged table with the
// synchronisation, status, last action and id prefix filters kept in the URL.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { ContractsView } from './_components/contracts-view';
import { parseContractQuery } from './_components/query';

export const metadata: Metadata = { title: 'Contracts' };

export default async function OrgContractsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug, '/contracts');
  if (!allowed('contracts.read')) return <NoAccess page="Contracts" role={membership.role} />;
  return <ContractsView initial={parseContractQuery(await searchParams)} />;
}
