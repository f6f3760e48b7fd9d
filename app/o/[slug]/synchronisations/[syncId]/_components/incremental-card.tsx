'use client';
// An incremental synchronisation's cursor (the source's own value the next run reads from), when the
// next full reconciliation comes, and the ways to start one now or to forget the cursor.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Button, Card, ErrorText } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

interface Props {
  syncId: string;
  enabled: boolean;
  onStarted: (runId: string) => void;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase text-slate-500">{label}</dt>
      <dd className="break-words text-sm text-slate-800">{children}</dd>
    </div>
  );
}

export function IncrementalCard({ syncId, enabled, onStarted }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const input = { orgId: org.orgId, syncId };
  // A run moves the cursor while the page is open.
  const state = useQuery({
    ...trpc.synchronisations.incremental.queryOptions(input),
    refetchInterval: 10_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.synchronisations.pathKey() });
  const reset = useMutation(trpc.synchronisations.resetCursor.mutationOptions({ onSuccess: refresh }));
  const full = useMutation(
    trpc.synchronisations.run.mutationOptions({ onSuccess: (started) => onStarted(started.runId) }),
  );
  if (state.error) return <ErrorText>{errorMessage(state.error)}</ErrorText>;
  const s = state.data;
  if (!s) return null;
  const next: string[] = [];
  if (s.runsUntilFull === 0) next.push('the next run');
  else if (s.runsUntilFull !== null)
    next.push(`after ${s.runsUntilFull} more incremental run${s.runsUntilFull === 1 ? '' : 's'}`);
  if (s.nextReconcileAt) next.push(`on schedule at ${formatTime(s.nextReconcileAt)}`);
  return (
    <Card title="Incremental reading">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="incremental-state">
        <Fact label="Cursor">
          {s.cursor === null ? (
            'none yet: the next run lists everything'
          ) : (
            <code className="rounded bg-slate-100 px-1 text-xs" data-testid="incremental-cursor">
              {String(s.cursor)}
            </code>
          )}
        </Fact>
        <Fact label="Field · lookback">
          <code className="rounded bg-slate-100 px-1 text-xs">{s.field}</code> · {s.lookbackSeconds} s
        </Fact>
        <Fact label="Taken by the run started">{formatTime(s.cursorSetAt)}</Fact>
        <Fact label="Next full reconciliation">
          <span data-testid="next-reconciliation">
            {next.length ? next.join(', or ') : 'only when asked for'}
          </span>
        </Fact>
      </dl>
      <ErrorText>
        {reset.error ? errorMessage(reset.error) : full.error ? errorMessage(full.error) : null}
      </ErrorText>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        {org.can('syncs.run') && (
          <Button
            variant="secondary"
            disabled={full.isPending || !enabled}
            onClick={() => full.mutate({ ...input, test: false, force: false, full: true })}
          >
            Run full reconciliation
          </Button>
        )}
        {org.can('syncs.write') && (
          <ConfirmButton
            variant="secondary"
            disabled={reset.isPending || s.cursor === null}
            title={'Forget the cursor? The next run lists everything and takes a new one.'}
            confirmLabel="Reset cursor"
            onConfirm={() => reset.mutate(input)}
          >
            Reset cursor
          </ConfirmButton>
        )}
        <span className="text-xs text-slate-500">
          Incremental runs delete nothing they did not read (only sub-objects taken out of an object they
          read); a full reconciliation lists everything and deletes what vanished.
        </span>
      </div>
    </Card>
  );
}
