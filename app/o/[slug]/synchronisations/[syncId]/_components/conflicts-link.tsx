'use client';
// The synchronisation's conflicts, with how many wait for a person: shown for a two-way
// synchronisation, or any that has open conflicts (it may have been made one-way since).
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';
import { formatCount } from '@/app/_lib/format';

export function ConflictsLink({ syncId, twoWay }: { syncId: string; twoWay: boolean }) {
  const trpc = useTRPC();
  const org = useOrg();
  const open = useQuery({
    ...trpc.conflicts.openCount.queryOptions({ orgId: org.orgId, syncId }),
    enabled: org.can('contracts.read'),
    refetchInterval: 30_000,
  });
  const count = open.data ?? 0;
  if (!org.can('contracts.read') || (!twoWay && count === 0)) return null;
  return (
    <Link
      className="text-sm font-medium text-indigo-700 hover:underline"
      href={`/o/${org.slug}/conflicts?sync=${syncId}`}
      data-testid="sync-conflicts"
    >
      Conflicts
      {count > 0 && (
        <span className="ml-1.5 rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-800">
          {formatCount(count)} open
        </span>
      )}
    </Link>
  );
}
