'use client';
// Run now, Test (dry run) and Force (syncs.run), and the live progress of the run that is going.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Card, ErrorText, Notice } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { RunProgress } from './run-progress';

interface Props {
  syncId: string;
  enabled: boolean;
  /** The run to follow: one just started here, or one already under way. */
  runId: string | null;
  onStarted: (runId: string) => void;
  expectedTotal: number | null;
}

export function RunPanel({ syncId, enabled, runId, onStarted, expectedTotal }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const [already, setAlready] = useState(false);
  const run = useMutation(
    trpc.synchronisations.run.mutationOptions({
      onSuccess: (started) => {
        setAlready(started.alreadyActive);
        onStarted(started.runId);
      },
    }),
  );
  const start = (mode: { test?: boolean; force?: boolean }) =>
    run.mutate({ orgId: org.orgId, syncId, test: mode.test ?? false, force: mode.force ?? false });
  const canRun = org.can('syncs.run');
  return (
    <Card title="Run">
      {canRun && (
        <div className="mb-3 flex flex-wrap items-center gap-2">
          <Button disabled={run.isPending || !enabled} onClick={() => start({})}>
            Run now
          </Button>
          <Button variant="secondary" disabled={run.isPending} onClick={() => start({ test: true })}>
            Test (dry run)
          </Button>
          <Button
            variant="secondary"
            disabled={run.isPending || !enabled}
            aria-describedby="force-explained"
            onClick={() => start({ force: true })}
          >
            Force
          </Button>
          <span className="text-xs text-slate-500">
            {enabled
              ? 'A test run reads the source and reports what it would do, writing nothing.'
              : 'Disabled: only a test run can start. Enable it to run.'}
          </span>
          {enabled && (
            <p id="force-explained" className="basis-full text-xs text-slate-500">
              Force writes every object again, changed or not: for a target that lost or altered data behind
              Concord’s back. A normal run writes only what changed.
            </p>
          )}
        </div>
      )}
      <ErrorText>{run.error ? errorMessage(run.error) : null}</ErrorText>
      {already && <Notice>This synchronisation was already running; here is that run.</Notice>}
      {runId ? (
        <RunProgress key={runId} runId={runId} expectedTotal={expectedTotal} />
      ) : (
        <p className="text-sm text-slate-500">No run is going on now.</p>
      )}
    </Card>
  );
}
