'use client';
// Duplicates by accident: shown beside the target schema in the form (before saving) and on a
// synchronisation's page (after), when other enabled synchronisations write into the same schema.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';

export function SharedSchemaNotice({ schemaId }: { schemaId: string | null }) {
  const trpc = useTRPC();
  const org = useOrg();
  // On a synchronisation's own pages (its page, its edit form) it is not one of the others.
  const syncId = useParams<{ syncId?: string }>().syncId ?? null;
  const warning = useQuery({
    ...trpc.history.schemaWarning.queryOptions({
      orgId: org.orgId,
      schemaId: schemaId ?? '-',
      exceptSyncId: syncId,
    }),
    enabled: Boolean(schemaId),
  });
  if (!schemaId || !warning.data) return null;
  return (
    <div
      role="status"
      data-testid="shared-schema-warning"
      className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <p>{warning.data.message}</p>
      <p className="mt-1 flex flex-wrap gap-3">
        {warning.data.others.map((o) => (
          <Link key={o.id} className="font-medium underline" href={`/o/${org.slug}/synchronisations/${o.id}`}>
            Open “{o.name}”
          </Link>
        ))}
      </p>
    </div>
  );
}
