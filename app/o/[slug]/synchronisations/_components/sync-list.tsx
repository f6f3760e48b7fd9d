'use client';
// The synchronisations table, or what to do first when there are none.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, EmptyState, ErrorText, Loading, TableScroll } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { SyncListItem } from '../_lib/types';
import { useLookups, type Lookups } from '../_lib/use-lookups';
import { ResultBadge } from './run-badges';

const link = 'font-medium text-indigo-700 hover:underline';

export function SyncList() {
  const trpc = useTRPC();
  const org = useOrg();
  const lookups = useLookups();
  const list = useQuery({
    ...trpc.synchronisations.list.queryOptions({ orgId: org.orgId }),
    // Last and next runs move on their own; keep the table current.
    refetchInterval: 15_000,
  });
  if (list.error) return <ErrorText>{errorMessage(list.error)}</ErrorText>;
  if (list.isPending) return <Loading what="synchronisations" />;
  if (list.data.length === 0) return <NoSyncs lookups={lookups} />;
  return (
    <TableScroll label="Synchronisations" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-4 py-2">Name</th>
            <th className="px-4 py-2">Source → target</th>
            <th className="px-4 py-2">Enabled</th>
            <th className="px-4 py-2">Last run</th>
            <th className="px-4 py-2">Next run</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.data.map((item) => (
            <SyncRow key={item.sync.id} item={item} lookups={lookups} />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function SyncRow({ item: { sync, state }, lookups }: { item: SyncListItem; lookups: Lookups }) {
  const org = useOrg();
  const target =
    sync.targetType === 'register'
      ? lookups.schemaName(sync.targetRegisterId, sync.targetSchemaId)
      : lookups.sourceName(sync.targetSourceId);
  return (
    <tr data-testid={`sync-${sync.name}`}>
      <td className="px-4 py-2">
        <Link className={link} href={`/o/${org.slug}/synchronisations/${sync.id}`}>
          {sync.name}
        </Link>
        {sync.description && <p className="line-clamp-1 text-xs text-slate-500">{sync.description}</p>}
      </td>
      <td className="px-4 py-2 text-slate-700">
        {lookups.sourceName(sync.sourceId)} → {target}
      </td>
      <td className="px-4 py-2">
        <span className="flex flex-wrap items-center gap-1" title={sync.disabledReason ?? undefined}>
          {sync.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}
          {sync.oneTime && <Badge>One-time</Badge>}
        </span>
      </td>
      <td className="px-4 py-2">
        <div className="flex flex-wrap items-center gap-2">
          <ResultBadge result={state?.lastResult} />
          {state?.lastRunId && (
            <Link
              className="text-xs text-slate-600 hover:underline"
              href={`/o/${org.slug}/logs/${state.lastRunId}`}
            >
              {formatTime(state.lastRunAt)}
            </Link>
          )}
        </div>
      </td>
      <td className="px-4 py-2 text-slate-700">
        {!sync.enabled ? '—' : state?.nextRunAt ? formatTime(state.nextRunAt) : 'On demand'}
      </td>
    </tr>
  );
}

function NoSyncs({ lookups }: { lookups: Lookups }) {
  const org = useOrg();
  const ready = lookups.sources.length > 0 && lookups.registers.length > 0;
  return (
    <EmptyState
      title="No synchronisations yet"
      action={
        org.can('syncs.write') &&
        ready && (
          <Link
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            href={`/o/${org.slug}/synchronisations/new`}
          >
            Create the first synchronisation
          </Link>
        )
      }
    >
      A synchronisation reads a source and writes into a register. First{' '}
      <Link className={link} href={`/o/${org.slug}/sources`}>
        create a source
      </Link>{' '}
      {lookups.sources.length > 0 && '(done) '}and{' '}
      <Link className={link} href={`/o/${org.slug}/registers`}>
        a register
      </Link>{' '}
      {lookups.registers.length > 0 && '(done) '}with a schema, then create the synchronisation.
    </EmptyState>
  );
}
