'use client';
// Where a register object came from: each synchronisation that wrote it, with the object's id at the
// source and a link to its contract (its history), and the runs that touched it. Two objects with the
// same content from two synchronisations are duplicates by accident: their origins tell them apart.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';

export function ObjectOrigins({ objectId }: { objectId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const allowed = org.can('contracts.read');
  const origins = useQuery({
    ...trpc.history.origins.queryOptions({ orgId: org.orgId, objectId }),
    enabled: allowed,
  });
  if (!allowed || !origins.data) return null;
  return (
    <div className="rounded-md border border-slate-200 px-3 py-2 text-sm" data-testid="object-origins">
      <p className="font-medium text-slate-700">Came from</p>
      {origins.data.length === 0 ? (
        <p className="text-slate-600">No synchronisation: it was made in Concord (by a person or the API).</p>
      ) : (
        <ul className="mt-1 space-y-1">
          {origins.data.map((o) => (
            <li key={o.contractId} data-testid="object-origin">
              <Link
                className="font-medium text-indigo-700 hover:underline"
                href={`/o/${org.slug}/synchronisations/${o.syncId}`}
              >
                {o.syncName}
              </Link>
              <span className="text-slate-600">
                {' '}
                · id at the source <code className="font-mono text-xs">{o.originId}</code> ·{' '}
              </span>
              <Link
                className="text-indigo-700 hover:underline"
                href={`/o/${org.slug}/contracts/${o.contractId}`}
              >
                contract and history
              </Link>
            </li>
          ))}
        </ul>
      )}
      {org.can('runs.read') && (
        <Link
          className="mt-1 inline-block text-xs text-indigo-700 hover:underline"
          href={`/o/${org.slug}/logs?object=${encodeURIComponent(objectId)}`}
        >
          Every run that touched it
        </Link>
      )}
    </div>
  );
}
