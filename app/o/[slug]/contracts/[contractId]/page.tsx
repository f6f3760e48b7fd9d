// One contract: the source object as last seen, the target object, what differs between the mapped
// source and the target, hashes and times, and re-syncing that one object.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { getContract } from '@/server/services/contracts';
import { ContractView } from './contract-view';

export const metadata: Metadata = { title: 'Contract' };

export default async function ContractPage({
  params,
}: {
  params: Promise<{ slug: string; contractId: string }>;
}) {
  const { slug, contractId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/contracts/${contractId}`);
  if (!allowed('contracts.read')) return <NoAccess page="Contracts" role={membership.role} />;
  await orgRecordOr404((db) => getContract(db, membership.orgId, contractId));
  return <ContractView contractId={contractId} />;
}
