'use client';
// The page of one connection: Run all, one schedule for all, and each data type's synchronisation side
// by side — its latest run (result and counts), its contracts, its schema and mapping.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Button, Card, ErrorText, Loading, Notice, PageHeader, TableScroll } from '@/app/_components/ui';
import { formatCount, formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';
import { isActive, RunStatusBadge } from '../../synchronisations/_components/run-badges';
import { ConnectionSchedule } from './connection-schedule';

type Status = inferRouterOutputs<AppRouter>['connections']['get'];
type Member = Status['members'][number];

const link = 'text-indigo-700 hover:underline';
const COUNTS = ['found', 'created', 'updated', 'skipped', 'deleted', 'invalid', 'failed'] as const;

export function ConnectionDetail({ connectionId }: { connectionId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const input = { orgId: org.orgId, connectionId };
  const status = useQuery({
    ...trpc.connections.get.queryOptions(input),
    // Follow running members closely, otherwise now and then.
    refetchInterval: (query) => (query.state.data?.members.some((m) => isActive(m.lastRun)) ? 1000 : 15_000),
  });
  const run = useMutation(
    trpc.connections.run.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.connections.get.queryKey(input) }),
    }),
  );
  const remove = useMutation(
    trpc.connections.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.connections.list.queryKey() });
        router.push(`/o/${org.slug}/connections`);
      },
    }),
  );
  const back = (
    <Link href={`/o/${org.slug}/connections`} className="text-sm text-indigo-700 hover:underline">
      ← All connections
    </Link>
  );
  if (status.isPending) return <Loading what="the connection" />;
  if (status.error)
    return (
      <div className="space-y-3">
        {back}
        <ErrorText>{errorMessage(status.error)}</ErrorText>
      </div>
    );
  const { connection, source, members } = status.data;
  return (
    <>
      <div className="mb-2">{back}</div>
      <PageHeader
        title={connection.name}
        description={`${members.length} synchronisation${members.length === 1 ? '' : 's'} from ${source.name}`}
        actions={
          org.can('syncs.run') && (
            <span className="flex gap-2">
              <Button disabled={run.isPending} onClick={() => run.mutate({ ...input, test: false })}>
                Run all
              </Button>
              <Button
                variant="secondary"
                disabled={run.isPending}
                onClick={() => run.mutate({ ...input, test: true })}
              >
                Test all (dry run)
              </Button>
            </span>
          )
        }
      />
      <div className="space-y-6">
        <ErrorText>{run.error ? errorMessage(run.error) : null}</ErrorText>
        {run.data && <RunsStarted result={run.data} members={members} test={run.variables?.test ?? false} />}
        <Card title="Data types">
          <MemberTable members={members} />
        </Card>
        <ConnectionSchedule connection={connection} />
        {org.can('syncs.write') && (
          <Card title="Ungroup">
            <p className="mb-3 text-sm text-slate-600">
              Deleting the connection keeps its synchronisations, schemas and mappings; they are then run on
              their own.
            </p>
            <ErrorText>{remove.error ? errorMessage(remove.error) : null}</ErrorText>
            <ConfirmButton
              variant="danger"
              disabled={remove.isPending}
              title={`Delete the connection “${connection.name}” (its synchronisations stay)?`}
              confirmLabel="Delete connection"
              onConfirm={() => remove.mutate(input)}
            >
              Delete connection
            </ConfirmButton>
          </Card>
        )}
      </div>
    </>
  );
}

/** What Run all (or Test all) started, each run linked to its log; disabled members are named. */
function RunsStarted(props: {
  result: { runs: { syncId: string; runId: string; alreadyActive: boolean }[]; skipped: { name: string }[] };
  members: Member[];
  test: boolean;
}) {
  const org = useOrg();
  const { runs, skipped } = props.result;
  const name = (syncId: string) => props.members.find((m) => m.sync.id === syncId)?.sync.name ?? syncId;
  return (
    <Notice>
      Started {runs.length} {props.test ? 'test ' : ''}run{runs.length === 1 ? '' : 's'}
      {runs.length > 0 && ': '}
      {runs.map((r, i) => (
        <span key={r.runId}>
          {i > 0 && ', '}
          <Link className={link} href={`/o/${org.slug}/logs/${r.runId}`}>
            {name(r.syncId)}
          </Link>
          {r.alreadyActive && ' (already running)'}
        </span>
      ))}
      .{skipped.length > 0 && ` Not run, being disabled: ${skipped.map((s) => s.name).join(', ')}.`}
    </Notice>
  );
}

function MemberTable({ members }: { members: Member[] }) {
  const org = useOrg();
  if (members.length === 0) return <Notice>This connection has no synchronisations left.</Notice>;
  return (
    <TableScroll label="Members of the connection">
      <table className="w-full min-w-[48rem] text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-3 py-2">Synchronisation</th>
            <th className="px-3 py-2">Schema and mapping</th>
            <th className="px-3 py-2">Last run</th>
            {COUNTS.map((c) => (
              <th key={c} className="px-2 py-2 text-right">
                {c === 'skipped' ? 'unchanged' : c}
              </th>
            ))}
            <th className="px-3 py-2 text-right">Contracts</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {members.map((m) => (
            <tr key={m.sync.id} data-testid={`member-${m.schemaName ?? m.sync.name}`}>
              <td className="px-3 py-2 align-top">
                <Link className={`font-medium ${link}`} href={`/o/${org.slug}/synchronisations/${m.sync.id}`}>
                  {m.sync.name}
                </Link>
                <p className="text-xs text-slate-500">
                  reads <code>{m.sync.sourceEndpoint || 'the file'}</code>
                  {m.sync.enabled ? '' : ' · disabled'}
                </p>
              </td>
              <td className="px-3 py-2 align-top text-xs">
                {m.schemaName && m.sync.targetRegisterId && (
                  <Link
                    className={link}
                    href={`/o/${org.slug}/registers/${m.sync.targetRegisterId}/schemas/${m.sync.targetSchemaId}`}
                  >
                    {m.schemaName}
                  </Link>
                )}
                {m.mappingName && (
                  <p>
                    <Link className={link} href={`/o/${org.slug}/mappings/${m.sync.mappingId}`}>
                      {m.mappingName}
                    </Link>
                  </p>
                )}
              </td>
              <td className="px-3 py-2 align-top" data-testid="last-run">
                {m.lastRun ? (
                  <div className="space-y-1">
                    <RunStatusBadge run={m.lastRun} />
                    <p className="text-xs">
                      <Link className={link} href={`/o/${org.slug}/logs/${m.lastRun.id}`}>
                        {formatTime(m.lastRun.finishedAt ?? m.lastRun.createdAt)}
                      </Link>
                    </p>
                  </div>
                ) : (
                  <span className="text-xs text-slate-500">Never run</span>
                )}
              </td>
              {COUNTS.map((c) => (
                <td
                  key={c}
                  className="px-2 py-2 text-right align-top tabular-nums"
                  data-testid={`count-${c}`}
                >
                  {m.lastRun ? formatCount(m.lastRun[c]) : '—'}
                </td>
              ))}
              <td className="px-3 py-2 text-right align-top">
                <Link
                  className={link}
                  href={`/o/${org.slug}/synchronisations/${m.sync.id}/contracts`}
                  data-testid="contracts"
                >
                  {formatCount(m.contracts.total)}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
