'use client';
// What a saved synchronisation's configuration is warned about (services/sync-warnings.ts), on its page
// and above its edit form: saved and working, but probably not what was meant. The shared schema's
// warning has its own notice (SharedSchemaNotice, which the form also shows before saving): left out here.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';

export function SyncWarningsNotice({ syncId }: { syncId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const warnings = useQuery(trpc.synchronisations.warnings.queryOptions({ orgId: org.orgId, syncId }));
  const shown = (warnings.data ?? []).filter((w) => w.field !== 'targetSchemaId');
  if (shown.length === 0) return null;
  return (
    <>
      {shown.map((warning) => (
        <div
          key={warning.message}
          role="status"
          data-testid="sync-warning"
          className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          <p>{warning.message}</p>
          <p className="mt-1 flex flex-wrap gap-3">
            {warning.others.map((o) => (
              <Link
                key={o.id}
                className="font-medium underline"
                href={`/o/${org.slug}/synchronisations/${o.id}`}
              >
                Open “{o.name}”
              </Link>
            ))}
          </p>
        </div>
      ))}
    </>
  );
}
