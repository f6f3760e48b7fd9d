'use client';
// A run's per-object lines, a page at a time: errors (invalid, failed), held deletions, and in test mode
// what the run would do, with the mapped object it would write.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { Fragment, useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  ErrorText,
  Input,
  Loading,
  Pager,
  Select,
  TableScroll,
} from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';
import { formatCount } from '@/app/_lib/format';
import { ENTRY_ACTIONS } from './entry-actions';
import { EntryGroups } from './entry-groups';

type Run = inferRouterOutputs<AppRouter>['runs']['get'];

const PAGE_SIZE = 50;
const ACTIONS = ENTRY_ACTIONS;

type Action = keyof typeof ENTRY_ACTIONS;
export interface EntryFilter {
  action?: Action;
  /** An exact reason: the group "Show them" was pressed on. */
  reason?: string;
  search?: string;
}

/** The download link of the entries as the list shows them. */
function downloadHref(orgId: string, runId: string, format: 'ndjson' | 'csv', filter: EntryFilter) {
  const query = new URLSearchParams({ format });
  for (const key of ['action', 'reason', 'search'] as const) {
    const value = filter[key];
    if (value) query.set(key, value);
  }
  return `/api/orgs/${encodeURIComponent(orgId)}/runs/${encodeURIComponent(runId)}/entries?${query}`;
}

/** The groups by reason and, below them, every entry with its filters, search and downloads. */
export function RunObjects({ run }: { run: Run }) {
  const [filter, setFilter] = useState<EntryFilter>({});
  return (
    <>
      <EntryGroups
        run={run}
        onShow={(group) => {
          setFilter({ action: group.action, ...(group.reason === null ? {} : { reason: group.reason }) });
          document.getElementById('run-entries')?.scrollIntoView({ behavior: 'smooth' });
        }}
      />
      {/* A new group or action starts the list again at its first page. */}
      <RunEntries
        key={`${filter.action ?? ''}:${filter.reason ?? ''}`}
        run={run}
        filter={filter}
        onFilter={setFilter}
      />
    </>
  );
}

export function RunEntries({
  run,
  filter,
  onFilter,
}: {
  run: Run;
  filter: EntryFilter;
  onFilter: (filter: EntryFilter) => void;
}) {
  const trpc = useTRPC();
  const org = useOrg();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [typed, setTyped] = useState(filter.search ?? '');
  // The search follows the typing after a pause, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((filter.search ?? '') !== typed.trim()) {
        setPage(1);
        onFilter({ ...filter, search: typed.trim() || undefined });
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [typed, filter, onFilter]);
  const narrowed = Boolean(filter.action || filter.reason || filter.search);
  const entries = useQuery({
    ...trpc.runs.entries.queryOptions({
      orgId: org.orgId,
      runId: run.id,
      page,
      pageSize: PAGE_SIZE,
      ...filter,
    }),
    placeholderData: keepPreviousData,
    refetchInterval: run.status === 'queued' || run.status === 'running' ? 3000 : false,
  });
  const title = run.test ? 'What the run would do, object by object' : 'Objects that need attention';

  const bar = (
    <div className="mb-3 flex flex-wrap items-center gap-2 text-sm" data-testid="entry-filters">
      <Select
        aria-label="Action"
        value={filter.action ?? ''}
        onChange={(e) => {
          setPage(1);
          // The search box as it reads now (its pause may not have passed yet).
          onFilter({
            action: (e.target.value || undefined) as Action | undefined,
            search: typed.trim() || undefined,
          });
        }}
      >
        <option value="">Every action</option>
        {(Object.keys(ACTIONS) as Action[]).map((action) => (
          <option key={action} value={action}>
            {ACTIONS[action].label}
          </option>
        ))}
      </Select>
      <Input
        aria-label="Search object id or reason"
        placeholder="Search object id or reason"
        className="w-64"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
      />
      {filter.reason && (
        <span
          className="flex items-center gap-1 rounded bg-slate-100 px-2 py-1 text-xs"
          data-testid="reason-filter"
        >
          Only “{filter.reason.length > 60 ? `${filter.reason.slice(0, 60)}…` : filter.reason}”
          <button
            type="button"
            className="text-slate-500 hover:text-slate-900"
            aria-label="Show every reason"
            onClick={() => onFilter({ action: filter.action, search: typed.trim() || undefined })}
          >
            ×
          </button>
        </span>
      )}
      <span className="ml-auto flex gap-3">
        <a
          className="font-medium text-indigo-700 hover:underline"
          href={downloadHref(org.orgId, run.id, 'ndjson', filter)}
          download
        >
          Download NDJSON
        </a>
        <a
          className="font-medium text-indigo-700 hover:underline"
          href={downloadHref(org.orgId, run.id, 'csv', filter)}
          download
        >
          Download CSV
        </a>
      </span>
    </div>
  );

  if (entries.error) return <ErrorText>{errorMessage(entries.error)}</ErrorText>;
  if (entries.isPending) return <Loading what="the entries" />;
  const { rows, total } = entries.data;
  if (total === 0 && !narrowed) {
    return (
      <Card title={title}>
        <p className="text-sm text-slate-600">
          {run.status === 'queued' || run.status === 'running'
            ? 'Nothing to report so far.'
            : run.test
              ? 'This test run found nothing to create, update or delete.'
              : 'No object was refused, invalid or held: there is nothing to act on.'}
        </p>
      </Card>
    );
  }
  return (
    <Card title={`${title} (${formatCount(total)}${narrowed ? ' shown' : ''})`}>
      <div id="run-entries">{bar}</div>
      {total === 0 && <p className="text-sm text-slate-600">No entry matches these filters.</p>}
      <TableScroll label="Log entries">
        <table className="w-full min-w-[36rem] text-left text-sm" data-testid="run-entries">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="w-24 py-2 pr-2">Action</th>
              <th className="py-2 pr-2">Origin id</th>
              <th className="py-2 pr-2">Reason</th>
              <th className="w-28 py-2 text-right">
                <span className="sr-only">Object</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((entry) => (
              <Fragment key={entry.id}>
                <tr data-testid="run-entry">
                  <td className="py-2 pr-2" title={ACTIONS[entry.action].hint}>
                    <Badge tone={ACTIONS[entry.action].tone}>{ACTIONS[entry.action].label}</Badge>
                  </td>
                  <td className="break-all py-2 pr-2 font-mono text-xs">
                    {entry.contractId ? (
                      <Link
                        className="text-indigo-700 hover:underline"
                        href={`/o/${org.slug}/contracts/${entry.contractId}`}
                      >
                        {entry.originId}
                      </Link>
                    ) : (
                      (entry.originId ?? '—')
                    )}
                  </td>
                  <td className="py-2 pr-2 text-slate-700">{entry.reason ?? '—'}</td>
                  <td className="py-2 text-right">
                    {entry.data !== null && entry.data !== undefined && (
                      <Button variant="ghost" onClick={() => setOpen(open === entry.id ? null : entry.id)}>
                        {open === entry.id ? 'Hide object' : 'Show object'}
                      </Button>
                    )}
                  </td>
                </tr>
                {open === entry.id && (
                  <tr>
                    <td colSpan={4} className="pb-3">
                      <pre className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
                        {JSON.stringify(entry.data, null, 2)}
                      </pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {total > PAGE_SIZE && <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={setPage} />}
    </Card>
  );
}
