'use client';
// A conflict's page: how it stands, the three-way diff with the controls to resolve it (for people who
// may run synchronisations, until a run has applied it), what will be or was written, and the version
// that lost.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Card, ErrorText, Loading, Notice, PageHeader } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import {
  ConflictStatusBadge,
  kindLabel,
  POLICY_LABELS,
  resolvedByLabel,
  STATUS_HINTS,
} from '../_components/conflict-labels';
import { ResolvePanel } from './resolve-panel';
import { ThreeWayTable } from './three-way-table';
import type { ConflictPage } from './types';

const linkClass = 'font-medium text-indigo-700 hover:underline';

const Json = ({ value, testId }: { value: unknown; testId: string }) => (
  <pre
    className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100"
    data-testid={testId}
  >
    {value === null ? 'Deleted on both sides.' : JSON.stringify(value, null, 2)}
  </pre>
);

function Outcome({ data }: { data: ConflictPage }) {
  const org = useOrg();
  const { conflict: c, run, sync } = data;
  const merged = (c.resolution as { merged?: unknown } | null)?.merged;
  const runLink = run && (
    <Link className={linkClass} href={`/o/${org.slug}/logs/${run.id}`}>
      Open the run’s log
    </Link>
  );
  return (
    <Card title="How it stands">
      <div className="space-y-3 text-sm">
        <div className="flex flex-wrap items-center gap-3" data-testid="conflict-status">
          <ConflictStatusBadge status={c.status} />
          <span className="text-slate-700">{STATUS_HINTS[c.status]}</span>
          {c.status !== 'open' && runLink}
        </div>
        {c.status === 'resolving' && !run && (
          <Notice>
            No run is queued{sync.enabled ? '' : ': the synchronisation is disabled'}. Its next run writes
            this resolution; {sync.enabled ? 'run it now from its page' : 'enable it to run'}.
          </Notice>
        )}
        {c.status !== 'open' && (
          <p className="text-slate-600">
            Resolved by {resolvedByLabel(c.resolvedBy)} on {formatTime(c.resolvedAt)}.
          </p>
        )}
        {merged !== undefined && (
          <div>
            <h3 className="mb-1 font-medium text-slate-800">
              {c.status === 'resolved' ? 'Written to both sides' : 'To be written to both sides'}
            </h3>
            <Json value={merged} testId="merged-object" />
          </div>
        )}
        {c.status !== 'open' && c.losingData !== null && c.losingData !== undefined && (
          <details>
            <summary className="cursor-pointer font-medium text-slate-800">The version that lost</summary>
            <Json value={c.losingData} testId="losing-object" />
          </details>
        )}
      </div>
    </Card>
  );
}

export function ConflictView({ conflictId }: { conflictId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const detail = useQuery({
    ...trpc.conflicts.get.queryOptions({ orgId: org.orgId, conflictId }),
    // While resolving, the run that applies it may finish any moment.
    refetchInterval: (query) => (query.state.data?.conflict.status === 'resolving' ? 3_000 : false),
  });
  if (detail.error) return <ErrorText>{errorMessage(detail.error)}</ErrorText>;
  if (detail.isPending) return <Loading what="the conflict" />;
  const data = detail.data;
  const { conflict: c, sync } = data;
  const canResolve = org.can('syncs.write') && c.status !== 'resolved';
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Conflict on object ${c.originId}`}
        description={`${kindLabel({ kind: c.kind, firstMatch: data.firstMatch })} · synchronisation “${sync.name}” · conflict policy: ${POLICY_LABELS[sync.conflictPolicy]} · found ${formatTime(c.createdAt)}`}
      />
      <p className="-mt-4 flex flex-wrap gap-4 text-sm">
        <Link className={linkClass} href={`/o/${org.slug}/conflicts`}>
          ← All conflicts
        </Link>
        <Link className={linkClass} href={`/o/${org.slug}/synchronisations/${sync.id}`}>
          The synchronisation
        </Link>
        {c.runId && (
          <Link className={linkClass} href={`/o/${org.slug}/logs/${c.runId}`}>
            The run that found it
          </Link>
        )}
      </p>
      {data.firstMatch && (
        <Notice>
          <span data-testid="first-match-notice">
            Concord found this object in both systems (paired by the match field) before it had ever
            synchronised it, and the two hold different values. Neither side changed anything: there is no
            earlier version to compare with, so choose which values to keep.
          </span>
        </Notice>
      )}
      <Outcome data={data} />
      {canResolve ? (
        <ResolvePanel key={`${c.id}-${String(c.resolvedAt)}`} data={data} />
      ) : (
        <Card title="Field by field">
          <ThreeWayTable
            rows={data.rows}
            noBase={data.firstMatch}
            sourceDeleted={c.kind === 'source-deleted'}
            targetDeleted={c.kind === 'target-deleted'}
          />
        </Card>
      )}
    </div>
  );
}
