'use client';
// The logs page: which synchronisation to show (kept in the URL), the chart of recent runs and the history.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorText, Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { RunHistory } from './run-history';
import { RunsChart } from './runs-chart';

export function LogsView({ syncId: initial }: { syncId: string | null }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [syncId, setSyncId] = useState(initial);
  const syncs = useQuery(trpc.synchronisations.list.queryOptions({ orgId: org.orgId }));

  const choose = (next: string) => {
    setSyncId(next || null);
    // The URL follows without a round trip to the server (Next keeps its router in step).
    const path = window.location.pathname;
    window.history.replaceState(null, '', next ? `${path}?sync=${encodeURIComponent(next)}` : path);
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex min-w-0 max-w-full flex-wrap items-center gap-2 text-sm text-slate-700">
          <span className="font-medium">Synchronisation</span>
          <Select
            aria-label="Synchronisation"
            value={syncId ?? ''}
            onChange={(e) => choose(e.target.value)}
            disabled={syncs.isPending}
          >
            <option value="">All synchronisations</option>
            {syncs.data?.map(({ sync }) => (
              <option key={sync.id} value={sync.id}>
                {sync.name}
              </option>
            ))}
            {syncId && syncs.data && !syncs.data.some(({ sync }) => sync.id === syncId) && (
              <option value={syncId}>Unknown synchronisation</option>
            )}
          </Select>
        </label>
        <ErrorText>{syncs.error ? errorMessage(syncs.error) : null}</ErrorText>
      </div>
      <RunsChart syncId={syncId} />
      <RunHistory syncId={syncId} />
    </div>
  );
}
