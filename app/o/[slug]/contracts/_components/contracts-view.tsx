'use client';
// The contracts pages: one synchronisation's (`syncId`), or the organisation's across its
// synchronisations with a synchronisation filter. Filters (status, last action, id prefix, page size)
// are kept in the URL, and the table comes a page at a time from the server.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { CursorPager } from '@/app/_components/cursor-pager';
import { EmptyState, ErrorText, Input, Loading, PageHeader, Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { CONTRACT_ACTIONS, CONTRACT_STATUSES } from '@/server/sync/core/contracts';
import { useDebounced } from '../../synchronisations/_lib/use-debounced';
import { ACTION_LABELS, STATUS_HINTS, STATUS_LABELS } from './contract-badges';
import { ContractsTable } from './contracts-table';
import { contractQueryString, PAGE_SIZES, type ContractTableQuery } from './query';

/** `syncId`: one synchronisation's contracts; without it, the organisation's. */
export function ContractsView({ syncId, initial }: { syncId?: string; initial: ContractTableQuery }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [q, setQ] = useState(initial);
  const [searchText, setSearchText] = useState(initial.search);
  const search = useDebounced(searchText.trim(), 300);
  // A settled new search starts again at the first page.
  const current = search === q.search ? q : { ...q, search, cursor: '', page: 1 };
  const sync = useQuery({
    ...trpc.synchronisations.get.queryOptions({ orgId: org.orgId, syncId: syncId ?? '' }),
    enabled: Boolean(syncId),
  });
  const syncs = useQuery({
    ...trpc.synchronisations.list.queryOptions({ orgId: org.orgId }),
    enabled: !syncId,
  });
  const list = useQuery({
    ...trpc.contracts.list.queryOptions({
      orgId: org.orgId,
      syncId: syncId ?? (current.sync || undefined),
      status: current.status || undefined,
      lastAction: current.action || undefined,
      search: current.search || undefined,
      cursor: current.cursor || undefined,
      pageSize: current.pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  // The URL follows the view without a round trip to the server (Next keeps its router in step).
  const queryString = contractQueryString(syncId ? { ...current, sync: '' } : current);
  useEffect(() => {
    if (window.location.search !== queryString)
      window.history.replaceState(null, '', `${window.location.pathname}${queryString}`);
  }, [queryString]);

  // A new filter starts again at the first page.
  const update = (changes: Partial<ContractTableQuery>) =>
    setQ({ ...current, cursor: '', page: 1, ...changes });

  const filtered = Boolean(current.status || current.action || current.search || (!syncId && current.sync));
  const syncHref = `/o/${org.slug}/synchronisations${syncId ? `/${syncId}` : ''}`;
  return (
    <>
      <PageHeader
        title="Contracts"
        description={
          !syncId
            ? 'One per object your synchronisations have synchronised: which synchronisation, both ids, and how it went.'
            : sync.data
              ? `One per object “${sync.data.name}” has synchronised: both ids, hashes, times and how it went.`
              : undefined
        }
        actions={
          syncId && (
            <Link className="text-sm font-medium text-indigo-700 hover:underline" href={syncHref}>
              Back to the synchronisation
            </Link>
          )
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-3" role="search">
        {!syncId && (
          <label className="text-sm">
            <span className="mb-1 block font-medium text-slate-700">Synchronisation</span>
            <Select
              aria-label="Synchronisation"
              value={current.sync}
              onChange={(e) => update({ sync: e.target.value })}
              disabled={syncs.isPending}
            >
              <option value="">All synchronisations</option>
              {syncs.data?.map(({ sync: s }) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
              {current.sync && syncs.data && !syncs.data.some(({ sync: s }) => s.id === current.sync) && (
                <option value={current.sync}>Unknown synchronisation</option>
              )}
            </Select>
          </label>
        )}
        <label className="min-w-56 flex-1 text-sm">
          <span className="mb-1 block font-medium text-slate-700">Search</span>
          <Input
            type="search"
            placeholder="Start of an origin or target id"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Status</span>
          <Select
            value={current.status}
            onChange={(e) => update({ status: e.target.value as ContractTableQuery['status'] })}
          >
            <option value="">Any status</option>
            {CONTRACT_STATUSES.map((s) => (
              <option key={s} value={s} title={STATUS_HINTS[s]}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Last action</span>
          <Select
            value={current.action}
            onChange={(e) => update({ action: e.target.value as ContractTableQuery['action'] })}
          >
            <option value="">Any action</option>
            {CONTRACT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Rows</span>
          <Select value={current.pageSize} onChange={(e) => update({ pageSize: Number(e.target.value) })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n} per page
              </option>
            ))}
          </Select>
        </label>
      </div>
      <ErrorText>
        {list.error ? errorMessage(list.error) : syncs.error ? errorMessage(syncs.error) : null}
      </ErrorText>
      {!list.data ? (
        !list.error && <Loading what="contracts" />
      ) : list.data.total === 0 && !filtered ? (
        <EmptyState title="No contracts yet">
          A contract appears for each object once {syncId ? 'the synchronisation' : 'a synchronisation'} has
          run.{' '}
          <Link className="font-medium text-indigo-700 hover:underline" href={syncHref}>
            {syncId ? 'Run it' : 'Run one'}
          </Link>{' '}
          and come back.
        </EmptyState>
      ) : list.data.total === 0 ? (
        <EmptyState title="No contract matches">
          Search matches the start of an id, with upper and lower case as they are. Try fewer characters or
          another status.
        </EmptyState>
      ) : (
        <div className={list.isPlaceholderData ? 'opacity-60 transition-opacity' : undefined}>
          <ContractsTable rows={list.data.rows} acrossSynchronisations={!syncId} />
          <CursorPager
            page={current.page}
            data={list.data}
            onPage={(cursor, page) => update({ cursor, page })}
          />
        </div>
      )}
    </>
  );
}
