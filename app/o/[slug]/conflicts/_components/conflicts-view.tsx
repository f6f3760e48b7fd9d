'use client';
// The conflict queue: a table of conflicts (synchronisation, object, kind, when found, status), newest
// first, filtered by status and synchronisation (kept in the URL), older ones a page at a time.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import {
  Button,
  EmptyState,
  ErrorText,
  Loading,
  PageHeader,
  Select,
  TableScroll,
} from '@/app/_components/ui';
import { formatCount, formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { ConflictStatusBadge, kindLabel, STATUS_HINTS, STATUS_LABELS, STATUSES } from './conflict-labels';
import { conflictQueryString, type ConflictListQuery } from './query';

const PAGE = 50;
const linkClass = 'font-medium text-indigo-700 hover:underline';

export function ConflictsView({ initial }: { initial: ConflictListQuery }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [q, setQ] = useState(initial);
  const syncs = useQuery(trpc.synchronisations.list.queryOptions({ orgId: org.orgId }));
  const list = useInfiniteQuery(
    trpc.conflicts.list.infiniteQueryOptions(
      {
        orgId: org.orgId,
        status: q.status === 'any' ? undefined : q.status,
        syncId: q.sync || undefined,
        limit: PAGE,
      },
      {
        initialCursor: undefined,
        getNextPageParam: (last) => (last.more ? last.rows.at(-1)?.id : undefined),
        // A run may find conflicts, and another person resolve them, while the page is open.
        refetchInterval: 15_000,
      },
    ),
  );
  const queryString = conflictQueryString(q);
  useEffect(() => {
    if (window.location.search !== queryString)
      window.history.replaceState(null, '', `${window.location.pathname}${queryString}`);
  }, [queryString]);

  const rows = list.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const base = `/o/${org.slug}`;
  return (
    <>
      <PageHeader
        title="Conflicts"
        description="Objects that both sides of a two-way synchronisation changed since they were last synchronised, into different versions. Open one to choose what to keep."
      />
      <div className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Status</span>
          <Select
            aria-label="Status"
            value={q.status}
            onChange={(e) => setQ({ ...q, status: e.target.value as ConflictListQuery['status'] })}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s} title={STATUS_HINTS[s]}>
                {STATUS_LABELS[s]}
              </option>
            ))}
            <option value="any">Any status</option>
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Synchronisation</span>
          <Select
            aria-label="Synchronisation"
            value={q.sync}
            disabled={syncs.isPending}
            onChange={(e) => setQ({ ...q, sync: e.target.value })}
          >
            <option value="">All synchronisations</option>
            {syncs.data
              ?.filter(({ sync: s }) => s.direction === 'two-way' || s.id === q.sync)
              .map(({ sync: s }) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </Select>
        </label>
      </div>
      <ErrorText>{list.error ? errorMessage(list.error) : null}</ErrorText>
      {!list.data ? (
        !list.error && <Loading what="conflicts" />
      ) : rows.length === 0 ? (
        <EmptyState title={q.status === 'open' ? 'No open conflicts' : 'No conflict matches'}>
          {q.status === 'open'
            ? 'Nothing waits for a person. A conflict appears here when both sides of a two-way synchronisation change the same object differently and its policy is manual.'
            : 'Try another status or synchronisation.'}
        </EmptyState>
      ) : (
        <TableScroll label="Conflicts" className="rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="conflicts-table">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-3 py-2">Synchronisation</th>
                <th className="px-3 py-2">Object</th>
                <th className="px-3 py-2">Kind</th>
                <th className="px-3 py-2">Found</th>
                <th className="px-3 py-2">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((c) => (
                <tr key={c.id} data-testid="conflict-row">
                  <td className="px-3 py-2">
                    <Link className={linkClass} href={`${base}/synchronisations/${c.synchronisationId}`}>
                      {c.synchronisationName}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <Link
                      className={`${linkClass} break-all font-mono text-xs`}
                      href={`${base}/conflicts/${c.id}`}
                      aria-label={`Conflict on object ${c.originId}`}
                    >
                      {c.originId}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-slate-700">{kindLabel(c)}</td>
                  <td className="px-3 py-2 text-slate-700">{formatTime(c.createdAt)}</td>
                  <td className="px-3 py-2">
                    <ConflictStatusBadge status={c.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="flex items-center justify-between px-3 py-2 text-sm text-slate-600">
            <span>
              {formatCount(rows.length)} of {formatCount(total)}
            </span>
            {list.hasNextPage && (
              <Button
                variant="secondary"
                disabled={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                Show older conflicts
              </Button>
            )}
          </div>
        </TableScroll>
      )}
    </>
  );
}
