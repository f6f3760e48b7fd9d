'use client';
// The connections table, or how to make the first one (Discover on a source's page).
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { EmptyState, ErrorText, Loading, TableScroll } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

export function ConnectionList() {
  const trpc = useTRPC();
  const org = useOrg();
  const list = useQuery(trpc.connections.list.queryOptions({ orgId: org.orgId }));
  if (list.error) return <ErrorText>{errorMessage(list.error)}</ErrorText>;
  if (list.isPending) return <Loading what="connections" />;
  if (list.data.length === 0)
    return (
      <EmptyState title="No connections yet">
        Open an SQL, REST or file source and press <strong>Discover</strong>: select its tables or endpoints
        to create their synchronisations in one go.
      </EmptyState>
    );
  return (
    <TableScroll label="Connections" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-4 py-2">Name</th>
            <th className="px-4 py-2">Schedule</th>
            <th className="px-4 py-2">Next run</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.data.map((c) => (
            <tr key={c.id}>
              <td className="px-4 py-2">
                <Link
                  className="font-medium text-indigo-700 hover:underline"
                  href={`/o/${org.slug}/connections/${c.id}`}
                >
                  {c.name}
                </Link>
              </td>
              <td className="px-4 py-2 text-slate-700">
                {c.scheduleCron ? `${c.scheduleCron} (${c.scheduleTimezone})` : 'Not scheduled'}
              </td>
              <td className="px-4 py-2 text-slate-700">{c.nextRunAt ? formatTime(c.nextRunAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
