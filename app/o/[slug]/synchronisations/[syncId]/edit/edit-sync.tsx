'use client';
// Loads the saved configuration into the form.
import { useQuery } from '@tanstack/react-query';
import { ErrorText, Loading } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { SyncForm } from '../../_components/sync-form';
import { SyncWarningsNotice } from '../../_components/sync-warnings-notice';
import { formFromSync } from '../../_lib/form-state';

export function EditSync({ syncId }: { syncId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const sync = useQuery({
    ...trpc.synchronisations.get.queryOptions({ orgId: org.orgId, syncId }),
    // The form starts from what is saved now, not from a cached copy.
    staleTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  if (sync.error) return <ErrorText>{errorMessage(sync.error)}</ErrorText>;
  if (!sync.data || !sync.isFetchedAfterMount) return <Loading what="the synchronisation" />;
  return (
    <div className="space-y-4">
      <SyncWarningsNotice syncId={syncId} />
      <SyncForm initial={formFromSync(sync.data)} syncId={syncId} contractsKept={sync.data.contractsKept} />
    </div>
  );
}
