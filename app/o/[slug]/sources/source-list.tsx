'use client';
// The table of sources: name, type, enabled, and what each points at; an empty state that says what next.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, Card, EmptyState, ErrorText, Loading, TableScroll } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { pointsAt, TYPE_LABELS } from './_parts/describe';

export function SourceList() {
  const trpc = useTRPC();
  const org = useOrg();
  const sources = useQuery(trpc.sources.list.queryOptions({ orgId: org.orgId }));
  const registers = useQuery(trpc.registers.list.queryOptions({ orgId: org.orgId }));
  const schemaName = (registerId: string, schemaId: string) => {
    const register = registers.data?.find((r) => r.id === registerId);
    const schema = register?.schemas.find((s) => s.id === schemaId);
    return register && schema ? `${register.name} › ${schema.name}` : registers.isPending ? '…' : undefined;
  };
  const base = `/o/${org.slug}/sources`;

  if (sources.isPending) return <Loading what="sources" />;
  if (sources.error) return <ErrorText>{errorMessage(sources.error)}</ErrorText>;
  if (sources.data.length === 0) {
    return (
      <EmptyState
        title="No sources yet"
        action={
          org.can('sources.write') && (
            <Link
              href={`${base}/new`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            >
              Add your first source
            </Link>
          )
        }
      >
        {org.can('sources.write')
          ? 'Add a REST API or upload a CSV file; synchronisations then read from it.'
          : 'An editor adds REST APIs and uploaded files here; you will see them once they exist.'}
      </EmptyState>
    );
  }
  return (
    <Card>
      <TableScroll label="Sources">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2 pr-3">Name</th>
              <th className="py-2 pr-3">Type</th>
              <th className="py-2 pr-3">Status</th>
              <th className="py-2">Points at</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sources.data.map((source) => (
              <tr key={source.id} data-testid={`source-${source.name}`}>
                <td className="py-2 pr-3 font-medium">
                  <Link href={`${base}/${source.id}`} className="text-indigo-700 hover:underline">
                    {source.name}
                  </Link>
                </td>
                <td className="py-2 pr-3 whitespace-nowrap">{TYPE_LABELS[source.type]}</td>
                <td className="py-2 pr-3">
                  {source.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}
                </td>
                <td className="max-w-xs truncate py-2 text-slate-600" title={pointsAt(source, schemaName)}>
                  {pointsAt(source, schemaName)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </Card>
  );
}
