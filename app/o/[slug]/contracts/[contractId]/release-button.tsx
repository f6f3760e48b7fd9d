'use client';
// Releases an object the flap breaker quarantined, so the next run decides it again.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, ErrorText } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

export function ReleaseButton({ contractId }: { contractId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const release = useMutation(
    trpc.contracts.release.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.contracts.detail.pathKey() }),
    }),
  );
  if (!org.can('syncs.run')) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        disabled={release.isPending}
        title="Let the next run write this object again"
        onClick={() => release.mutate({ orgId: org.orgId, contractId })}
      >
        {release.isPending ? 'Releasing…' : 'Release from quarantine'}
      </Button>
      <ErrorText>{release.error ? errorMessage(release.error) : null}</ErrorText>
    </div>
  );
}
