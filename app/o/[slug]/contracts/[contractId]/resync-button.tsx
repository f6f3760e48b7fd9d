'use client';
// Re-sync this one object: a forced run of the source object as last seen; then a link to its log.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Button, ErrorText } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

export function ResyncButton({
  contractId,
  disabledReason,
}: {
  contractId: string;
  disabledReason: string | null;
}) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const resync = useMutation(
    trpc.contracts.resync.mutationOptions({
      onSuccess: () => {
        // The contract changes once the run has written; refresh it a moment later too.
        const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.contracts.detail.pathKey() });
        void refresh();
        setTimeout(() => void refresh(), 2000);
      },
    }),
  );
  if (!org.can('syncs.run')) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        disabled={resync.isPending || disabledReason !== null}
        title={disabledReason ?? 'Write this object to the target again, even if nothing changed'}
        onClick={() => resync.mutate({ orgId: org.orgId, contractId })}
      >
        {resync.isPending ? 'Re-syncing…' : 'Re-sync this object'}
      </Button>
      {disabledReason && <p className="max-w-xs text-right text-xs text-slate-500">{disabledReason}</p>}
      {resync.data && (
        <p className="text-sm text-slate-700" role="status">
          Re-sync started.{' '}
          <Link
            className="font-medium text-indigo-700 hover:underline"
            href={`/o/${org.slug}/logs/${resync.data.runId}`}
          >
            Open its log
          </Link>
        </p>
      )}
      <ErrorText>{resync.error ? errorMessage(resync.error) : null}</ErrorText>
    </div>
  );
}
