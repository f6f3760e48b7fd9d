'use client';
// Deletions held for approval: more objects vanished at once than the threshold allows. A person
// approves (a run deletes them) or rejects (the objects are kept).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '@/app/_components/dialogs';
import { ErrorText, Notice } from '@/app/_components/ui';
import { formatCount } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

export function HeldCard({ syncId, onApproved }: { syncId: string; onApproved: (runId: string) => void }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const held = useQuery(trpc.synchronisations.held.queryOptions({ orgId: org.orgId, syncId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.synchronisations.pathKey() });
  const approve = useMutation(
    trpc.synchronisations.approveHeld.mutationOptions({
      onSuccess: async ({ runId }) => {
        onApproved(runId);
        await refresh();
      },
      // Refused because the count moved since it was shown: show the count as it is now.
      onError: refresh,
    }),
  );
  const reject = useMutation(trpc.synchronisations.rejectHeld.mutationOptions({ onSuccess: refresh }));
  const count = held.data ?? 0;
  if (held.error) return <ErrorText>{errorMessage(held.error)}</ErrorText>;
  if (count === 0)
    return reject.data ? (
      <Notice>Deletion rejected: kept {formatCount(reject.data.kept)} objects.</Notice>
    ) : null;
  const busy = approve.isPending || reject.isPending;
  return (
    <section className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="held-deletions">
      <h2 className="text-sm font-semibold text-amber-900">
        {formatCount(count)} deletion{count === 1 ? '' : 's'} waiting for approval
      </h2>
      <p className="mt-1 text-sm text-amber-900">
        A run found that more objects vanished from the source than the approval threshold allows, so it
        deleted none of them. Approve to delete them now, or reject to keep them. If they are still missing
        next time, the deletion is held again — fix the source or the deletion settings to stop that.
      </p>
      <ErrorText>
        {approve.error ? errorMessage(approve.error) : reject.error ? errorMessage(reject.error) : null}
      </ErrorText>
      {org.can('syncs.write') && (
        <div className="mt-3 flex flex-wrap gap-2">
          <ConfirmButton
            variant="danger"
            disabled={busy}
            title={`Delete ${count} objects in the target?`}
            confirmLabel="Approve deletions"
            onConfirm={() => approve.mutate({ orgId: org.orgId, syncId, seen: count })}
          >
            Approve {formatCount(count)} deletions
          </ConfirmButton>
          <ConfirmButton
            variant="secondary"
            disabled={busy}
            title={`Keep the ${count} objects?`}
            confirmLabel="Keep them"
            onConfirm={() => reject.mutate({ orgId: org.orgId, syncId })}
          >
            Reject and keep them
          </ConfirmButton>
        </div>
      )}
    </section>
  );
}
