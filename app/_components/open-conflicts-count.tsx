'use client';
// The number of conflicts waiting for a person, beside "Conflicts" in the navigation (nothing when none).
import { useQuery } from '@tanstack/react-query';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';
import { formatCount } from '@/app/_lib/format';

export function OpenConflictsCount() {
  const trpc = useTRPC();
  const org = useOrg();
  // A run may find conflicts while the page is open.
  const open = useQuery({
    ...trpc.conflicts.openCount.queryOptions({ orgId: org.orgId }),
    refetchInterval: 30_000,
  });
  if (!open.data) return null;
  return (
    <span
      data-testid="open-conflicts"
      title={`${open.data} conflict${open.data === 1 ? '' : 's'} waiting for a person`}
      className="rounded-full bg-amber-100 px-1.5 text-xs font-semibold tabular-nums text-amber-800"
    >
      {formatCount(open.data)}
    </span>
  );
}
