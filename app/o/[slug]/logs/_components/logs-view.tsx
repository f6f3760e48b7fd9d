'use client';
// The logs page: the filters (kept in the URL, so a link reproduces the view), the chart of recent runs
// and the history a page at a time.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Button, ErrorText, Input, Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { logFiltersQuery, RESULT_FILTERS, type LogFilters, type ResultFilter } from './log-filters';
import { RunHistory } from './run-history';
import { TRIGGERS } from './run-labels';
import { RunsChart } from './runs-chart';

const NO_FILTERS: LogFilters = { sync: null, result: null, trigger: null, from: null, to: null, page: 1 };

/**
 * `objectSearch`: the place for a search by object id across runs (the per-object history), at the
 * end of the filters bar.
 */
export function LogsView({ initial, objectSearch }: { initial: LogFilters; objectSearch?: ReactNode }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [filters, setFilters] = useState(initial);
  const syncs = useQuery(trpc.synchronisations.list.queryOptions({ orgId: org.orgId }));

  const apply = (next: LogFilters) => {
    setFilters(next);
    // The URL follows without a round trip to the server (Next keeps its router in step).
    window.history.replaceState(null, '', `${window.location.pathname}${logFiltersQuery(next)}`);
  };
  // Any change of filter starts again at the first page.
  const set = (change: Partial<LogFilters>) => apply({ ...filters, ...change, page: 1 });
  const filtered = logFiltersQuery({ ...filters, page: 1 }) !== '';

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3 text-sm text-slate-700" data-testid="log-filters">
        <label className="flex flex-col gap-1">
          <span className="font-medium">Synchronisation</span>
          <Select
            aria-label="Synchronisation"
            value={filters.sync ?? ''}
            onChange={(e) => set({ sync: e.target.value || null })}
            disabled={syncs.isPending}
          >
            <option value="">All synchronisations</option>
            {syncs.data?.map(({ sync }) => (
              <option key={sync.id} value={sync.id}>
                {sync.name}
              </option>
            ))}
            {filters.sync && syncs.data && !syncs.data.some(({ sync }) => sync.id === filters.sync) && (
              <option value={filters.sync}>Unknown synchronisation</option>
            )}
          </Select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">Result</span>
          <Select
            aria-label="Result"
            value={filters.result ?? ''}
            onChange={(e) => set({ result: (e.target.value || null) as ResultFilter | null })}
          >
            <option value="">Any result</option>
            {Object.entries(RESULT_FILTERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">Trigger</span>
          <Select
            aria-label="Trigger"
            value={filters.trigger ?? ''}
            onChange={(e) => set({ trigger: (e.target.value || null) as LogFilters['trigger'] })}
          >
            <option value="">Any trigger</option>
            {Object.entries(TRIGGERS).map(([trigger, label]) => (
              <option key={trigger} value={trigger}>
                {label}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">From</span>
          <Input
            type="date"
            aria-label="From"
            value={filters.from ?? ''}
            onChange={(e) => set({ from: e.target.value || null })}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">To</span>
          <Input
            type="date"
            aria-label="To"
            value={filters.to ?? ''}
            onChange={(e) => set({ to: e.target.value || null })}
          />
        </label>
        {filtered && (
          <Button variant="ghost" onClick={() => apply(NO_FILTERS)}>
            Clear filters
          </Button>
        )}
        {objectSearch}
        <ErrorText>{syncs.error ? errorMessage(syncs.error) : null}</ErrorText>
      </div>
      <RunsChart syncId={filters.sync} />
      <RunHistory filters={filters} onPage={(page) => apply({ ...filters, page })} filtered={filtered} />
    </div>
  );
}
