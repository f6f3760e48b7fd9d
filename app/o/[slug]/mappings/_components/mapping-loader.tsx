'use client';
// Loads one mapping, then opens it in the workbench.
import { useQuery } from '@tanstack/react-query';
import { ErrorText, Loading } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { MappingWorkbench } from './mapping-workbench';

export function MappingLoader({ mappingId }: { mappingId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const mapping = useQuery(trpc.mappings.get.queryOptions({ orgId: org.orgId, mappingId }));
  if (mapping.isPending) return <Loading what="the mapping" />;
  if (mapping.error) return <ErrorText>{errorMessage(mapping.error)}</ErrorText>;
  return <MappingWorkbench key={mapping.data.id} mapping={mapping.data} />;
}
