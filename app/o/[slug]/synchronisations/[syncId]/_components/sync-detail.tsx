'use client';
// One synchronisation: run it and watch it, approve held deletions, its webhook, its configuration
// and its recent runs. Viewers see the same page without the controls.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Badge, Button, ErrorText, Loading, PageHeader } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { isActive } from '../../_components/run-badges';
import { expectedTotal } from '../../_lib/run-stats';
import { useLookups } from '../../_lib/use-lookups';
import { ConfigSummary } from './config-summary';
import { ConflictsLink } from './conflicts-link';
import { SharedSchemaNotice } from '../../_components/shared-schema-notice';
import { SyncWarningsNotice } from '../../_components/sync-warnings-notice';
import { HeldCard } from './held-card';
import { IncrementalCard } from './incremental-card';
import { PageCapNotice } from './page-cap-notice';
import { RecentRuns } from './recent-runs';
import { RunPanel } from './run-panel';
import { TwoWayCard } from './two-way-card';
import { WebhookCard } from './webhook-card';

const linkClass = 'text-sm font-medium text-indigo-700 hover:underline';

export function SyncDetail({ syncId }: { syncId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const lookups = useLookups();
  const [startedRunId, setStartedRunId] = useState<string | null>(null);
  const sync = useQuery(trpc.synchronisations.get.queryOptions({ orgId: org.orgId, syncId }));
  const runs = useQuery({
    ...trpc.runs.list.queryOptions({ orgId: org.orgId, syncId, limit: 10 }),
    // A scheduled run may start while the page is open.
    refetchInterval: 10_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.synchronisations.pathKey() });
  const setEnabled = useMutation(trpc.synchronisations.setEnabled.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.synchronisations.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        router.push(`/o/${org.slug}/synchronisations`);
      },
    }),
  );

  if (sync.error) return <ErrorText>{errorMessage(sync.error)}</ErrorText>;
  if (sync.isPending) return <Loading what="the synchronisation" />;
  const s = sync.data;
  const recent = runs.data?.map((r) => r.run);
  const followed = startedRunId ?? recent?.find((r) => isActive(r))?.id ?? null;
  const base = `/o/${org.slug}/synchronisations/${syncId}`;
  const canWrite = org.can('syncs.write');

  return (
    <>
      <PageHeader
        title={s.name}
        description={s.description || undefined}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {s.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}
            {s.connectionId && (
              <Link
                href={`/o/${org.slug}/connections/${s.connectionId}`}
                className="text-sm text-indigo-700 hover:underline"
              >
                Part of a connection
              </Link>
            )}
            {canWrite && (
              <>
                <Button
                  variant="secondary"
                  disabled={setEnabled.isPending}
                  onClick={() => setEnabled.mutate({ orgId: org.orgId, syncId, enabled: !s.enabled })}
                >
                  {s.enabled ? 'Disable' : 'Enable'}
                </Button>
                <Link
                  href={`${base}/edit`}
                  className="rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
                >
                  Edit
                </Link>
                <ConfirmButton
                  variant="danger"
                  disabled={remove.isPending}
                  title={`Delete ${s.name} with its contracts and logs? The target objects stay.`}
                  confirmLabel="Delete"
                  onConfirm={() => remove.mutate({ orgId: org.orgId, syncId })}
                >
                  Delete
                </ConfirmButton>
              </>
            )}
          </div>
        }
      />
      <nav className="-mt-3 mb-5 flex flex-wrap gap-4" aria-label="Synchronisation">
        <Link className={linkClass} href={`/o/${org.slug}/synchronisations`}>
          ← All synchronisations
        </Link>
        <Link className={linkClass} href={`${base}/contracts`}>
          Contracts
        </Link>
        <ConflictsLink syncId={syncId} twoWay={s.direction === 'two-way'} />
        <Link className={linkClass} href={`/o/${org.slug}/logs?sync=${syncId}`}>
          Logs
        </Link>
      </nav>
      <div className="space-y-6">
        <ErrorText>
          {setEnabled.error
            ? errorMessage(setEnabled.error)
            : remove.error
              ? errorMessage(remove.error)
              : null}
        </ErrorText>
        {!s.enabled && s.disabledReason && (
          <p
            data-testid="disabled-reason"
            className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
          >
            {s.disabledReason}
          </p>
        )}
        {s.enabled && s.targetType === 'register' && <SharedSchemaNotice schemaId={s.targetSchemaId} />}
        <SyncWarningsNotice syncId={syncId} />
        <HeldCard syncId={syncId} onApproved={setStartedRunId} />
        <PageCapNotice sync={s} runs={recent} />
        <RunPanel
          syncId={syncId}
          enabled={s.enabled}
          runId={followed}
          onStarted={setStartedRunId}
          expectedTotal={recent ? expectedTotal(recent) : null}
        />
        <IncrementalCard syncId={syncId} enabled={s.enabled} onStarted={setStartedRunId} />
        <ConfigSummary sync={s} lookups={lookups} />
        <TwoWayCard sync={s} lookups={lookups} />
        <WebhookCard syncId={syncId} enabled={s.webhookEnabled} />
        <RecentRuns syncId={syncId} runs={recent} error={runs.error} />
      </div>
    </>
  );
}
