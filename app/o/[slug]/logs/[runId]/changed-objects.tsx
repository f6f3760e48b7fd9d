'use client';
// The objects a run created, updated and deleted, each linked to its contract, with a filter by what
// the run did and a page at a time (a first run can create thousands).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useState } from 'react';
import { Card, ErrorText, Loading, Pager, TableScroll } from '@/app/_components/ui';
import { formatCount } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { VersionAction } from '@/server/sync/core/versions';
import type { AppRouter } from '@/server/trpc/root';
import { VERSION_WORDS, VersionBadge } from '../../contracts/_components/version-badge';

type Run = inferRouterOutputs<AppRouter>['runs']['get'];

const PAGE_SIZE = 50;
const FILTERS: { value: VersionAction | null; label: string }[] = [
  { value: null, label: 'All' },
  { value: 'create', label: 'Created' },
  { value: 'update', label: 'Updated' },
  { value: 'rewrite', label: 'Rewritten' },
  { value: 'delete', label: 'Deleted' },
  { value: 'write-back', label: 'Written back' },
  { value: 'match', label: 'Matched' },
];

export function ChangedObjects({ run }: { run: Run }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [action, setAction] = useState<VersionAction | null>(null);
  const [page, setPage] = useState(1);
  const active = run.status === 'queued' || run.status === 'running';
  const objects = useQuery({
    ...trpc.history.runObjects.queryOptions({
      orgId: org.orgId,
      runId: run.id,
      page,
      pageSize: PAGE_SIZE,
      ...(action ? { action } : {}),
    }),
    placeholderData: keepPreviousData,
    enabled: !run.test,
    refetchInterval: active ? 3000 : false,
  });
  // A test run writes nothing, so it changed nothing: its plan is in the entries below.
  if (run.test) return null;
  if (objects.error) return <ErrorText>{errorMessage(objects.error)}</ErrorText>;
  if (objects.isPending) return <Loading what="the changed objects" />;
  const { rows, total, counts } = objects.data;
  const all = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  const choose = (next: VersionAction | null) => {
    setAction(next);
    setPage(1);
  };

  return (
    <Card title={`Objects this run changed (${formatCount(all)})`}>
      {all === 0 ? (
        <p className="text-sm text-slate-600" data-testid="changed-objects-none">
          {active
            ? 'Nothing changed so far.'
            : 'This run created, updated and deleted nothing: every object it read was unchanged.'}
        </p>
      ) : (
        <>
          <div className="mb-3 flex flex-wrap gap-2" role="group" aria-label="Show objects">
            {FILTERS.filter((f) => f.value === null || counts[f.value]).map((f) => (
              <button
                key={f.label}
                type="button"
                aria-pressed={action === f.value}
                onClick={() => choose(f.value)}
                className={`rounded-full px-3 py-1 text-xs font-medium ring-1 ${
                  action === f.value
                    ? 'bg-indigo-600 text-white ring-indigo-600'
                    : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'
                }`}
              >
                {f.label} ({formatCount(f.value === null ? all : counts[f.value])})
              </button>
            ))}
          </div>
          <TableScroll label="Changed objects">
            <table className="w-full min-w-[28rem] text-left text-sm" data-testid="changed-objects">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-2">Origin id</th>
                  <th className="w-40 py-2 pr-2">What the run did</th>
                  <th className="py-2">Target id</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr key={row.contractId} data-testid="changed-object">
                    <td className="break-all py-2 pr-2 font-mono text-xs">
                      <Link
                        className="text-indigo-700 hover:underline"
                        href={`/o/${org.slug}/contracts/${row.contractId}`}
                        title={`Open the contract: ${VERSION_WORDS[row.action].label} by this run`}
                      >
                        {row.originId}
                      </Link>
                    </td>
                    <td className="py-2 pr-2">
                      <VersionBadge action={row.action} />
                    </td>
                    <td className="break-all py-2 font-mono text-xs text-slate-600">{row.targetId ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {total > PAGE_SIZE && <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={setPage} />}
        </>
      )}
    </Card>
  );
}
