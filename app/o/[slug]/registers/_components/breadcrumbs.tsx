'use client';
// Registers › register name › current page, above a schema's pages.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';

export function Breadcrumbs({ registerId, current }: { registerId: string; current: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const list = useQuery(trpc.registers.list.queryOptions({ orgId: org.orgId }));
  const register = list.data?.find((r) => r.id === registerId);
  return (
    <nav aria-label="Breadcrumbs" className="mb-2 text-sm text-slate-500">
      <Link href={`/o/${org.slug}/registers`} className="hover:underline">
        Registers
      </Link>
      <span className="mx-1">›</span>
      <span>{register?.name ?? '…'}</span>
      <span className="mx-1">›</span>
      <span className="text-slate-700">{current}</span>
    </nav>
  );
}
