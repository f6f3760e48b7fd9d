'use client';
// One page of contracts (the server pages, filters and sorts). A row opens the contract's page. On the
// organisation's page each row names its synchronisation, and the table keeps to the essentials.
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import type { AppRouter } from '@/server/trpc/root';
import { actionLabel, ContractStatusBadge } from './contract-badges';
import { TableScroll } from '@/app/_components/ui';

type Contract = inferRouterOutputs<AppRouter>['contracts']['list']['rows'][number];

const column = createColumnHelper<Contract>();
const mono = 'font-mono text-xs break-all';

/** A link in a row, which opens its own page rather than the row's contract. */
const CellLink = ({
  href,
  className = '',
  children,
}: {
  href: string;
  className?: string;
  children: string;
}) => (
  <Link
    className={`${className} font-medium text-indigo-700 hover:underline`}
    href={href}
    onClick={(e) => e.stopPropagation()}
  >
    {children}
  </Link>
);

function columns(slug: string, acrossSynchronisations: boolean) {
  const synchronisation = column.accessor('synchronisationName', {
    header: 'Synchronisation',
    cell: (c) => (
      <CellLink href={`/o/${slug}/synchronisations/${c.row.original.synchronisationId}`}>
        {c.getValue()}
      </CellLink>
    ),
  });
  const originId = column.accessor('originId', {
    header: 'Origin id',
    cell: (c) => (
      <CellLink className={mono} href={`/o/${slug}/contracts/${c.row.original.id}`}>
        {c.getValue()}
      </CellLink>
    ),
  });
  const targetId = column.accessor('targetId', {
    header: 'Target id',
    cell: (c) => <span className={mono}>{c.getValue() ?? '—'}</span>,
  });
  const status = column.accessor('status', {
    header: 'Status',
    cell: (c) => <ContractStatusBadge status={c.getValue()} />,
  });
  const lastAction = column.accessor('lastAction', {
    header: 'Last action',
    cell: (c) => actionLabel(c.getValue()),
  });
  const lastError = column.accessor('lastError', {
    header: 'Last error',
    cell: (c) => {
      const error = c.getValue();
      return error ? (
        <span className="line-clamp-2 max-w-64 text-red-800" title={error}>
          {error}
        </span>
      ) : (
        <span className="text-slate-300">—</span>
      );
    },
  });
  const time = (key: 'sourceLastChanged' | 'sourceLastChecked' | 'targetLastSynced', header: string) =>
    column.accessor(key, { header, cell: (c) => formatTime(c.getValue()) });
  return acrossSynchronisations
    ? [
        synchronisation,
        originId,
        targetId,
        status,
        lastAction,
        time('targetLastSynced', 'Last synced'),
        lastError,
      ]
    : [
        originId,
        targetId,
        status,
        lastAction,
        lastError,
        time('sourceLastChanged', 'Source changed'),
        // No "source checked": an unchanged object is not rewritten, so that time is its last write.
        time('targetLastSynced', 'Target synced'),
      ];
}

export function ContractsTable({
  rows,
  acrossSynchronisations = false,
}: {
  rows: Contract[];
  acrossSynchronisations?: boolean;
}) {
  const org = useOrg();
  const router = useRouter();
  const table = useReactTable({
    data: rows,
    columns: columns(org.slug, acrossSynchronisations),
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualPagination: true,
    manualFiltering: true,
    manualSorting: true,
  });
  return (
    <TableScroll label="Contracts" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[56rem] text-left text-sm" data-testid="contracts-table">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 [--sticky-bg:var(--color-slate-50)]">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} className="whitespace-nowrap px-3 py-2 font-medium">
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              data-testid="contract-row"
              className="cursor-pointer hover:bg-indigo-50/50"
              onClick={() => router.push(`/o/${org.slug}/contracts/${row.id}`)}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className="px-3 py-2 align-top">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
