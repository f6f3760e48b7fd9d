'use client';
// The organisation's mappings; a row opens the mapping with its test bench.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, EmptyState, ErrorText, Loading, TableScroll } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

const keyCount = (config: Record<string, unknown>) => {
  const mapping = config.mapping;
  return mapping && typeof mapping === 'object' ? Object.keys(mapping).length : 0;
};

export function MappingList() {
  const trpc = useTRPC();
  const org = useOrg();
  const list = useQuery(trpc.mappings.list.queryOptions({ orgId: org.orgId }));
  const base = `/o/${org.slug}/mappings`;

  if (list.isPending) return <Loading what="mappings" />;
  if (list.error) return <ErrorText>{errorMessage(list.error)}</ErrorText>;
  if (list.data.length === 0)
    return (
      <EmptyState
        title="No mappings yet"
        action={
          org.can('mappings.write') && (
            <Link
              href={`${base}/new`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            >
              Create a mapping
            </Link>
          )
        }
      >
        <p>
          A mapping turns each source object into the object a target expects: output keys read from source
          paths, templates or fixed text, with casts.{' '}
          {org.can('mappings.write')
            ? 'Create one and try it on a sample in the test bench.'
            : 'An editor or admin can create one.'}
        </p>
      </EmptyState>
    );
  return (
    <TableScroll label="Mappings" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-4 py-2">Name</th>
            <th className="px-4 py-2">Description</th>
            <th className="px-4 py-2">Keys</th>
            <th className="px-4 py-2">Updated</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.data.map((m) => (
            <tr key={m.id} className="hover:bg-slate-50">
              <td className="px-4 py-2 font-medium">
                <Link href={`${base}/${m.id}`} className="text-indigo-700 hover:underline">
                  {m.name}
                </Link>
              </td>
              <td className="px-4 py-2 text-slate-600">{m.description || '—'}</td>
              <td className="px-4 py-2">
                {keyCount(m.config)}
                {m.config.passThrough === true && (
                  <span className="ml-2">
                    <Badge tone="blue">pass-through</Badge>
                  </span>
                )}
              </td>
              <td className="whitespace-nowrap px-4 py-2">{formatTime(m.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
