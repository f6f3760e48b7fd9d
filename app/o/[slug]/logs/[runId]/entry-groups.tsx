'use client';
// The run's entries grouped by what happened and why: thousands of identical error lines read as one
// group with its count and a few example objects (linked to their contracts). "Show them" narrows the
// list below to that group.
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { Badge, Button, Card, ErrorText } from '@/app/_components/ui';
import { formatCount } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';
import { ENTRY_ACTIONS } from './entry-actions';

type Run = inferRouterOutputs<AppRouter>['runs']['get'];
type Group = inferRouterOutputs<AppRouter>['runs']['entryGroups']['groups'][number];

export function EntryGroups({ run, onShow }: { run: Run; onShow: (group: Group) => void }) {
  const trpc = useTRPC();
  const org = useOrg();
  const active = run.status === 'queued' || run.status === 'running';
  const groups = useQuery({
    ...trpc.runs.entryGroups.queryOptions({ orgId: org.orgId, runId: run.id }),
    refetchInterval: active ? 3000 : false,
  });
  if (groups.error) return <ErrorText>{errorMessage(groups.error)}</ErrorText>;
  if (!groups.data || groups.data.groups.length === 0) return null;
  return (
    <Card title={run.test ? 'What the run would do, by reason' : 'By reason'}>
      <ul className="divide-y divide-slate-100" data-testid="entry-groups">
        {groups.data.groups.map((group) => (
          <li
            key={`${group.action}:${group.reason ?? ''}`}
            className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2"
            data-testid="entry-group"
          >
            <Badge tone={ENTRY_ACTIONS[group.action].tone}>{ENTRY_ACTIONS[group.action].label}</Badge>
            <span className="font-semibold tabular-nums" data-testid="entry-group-count">
              {formatCount(group.count)} ×
            </span>
            <span className="min-w-0 flex-1 text-sm text-slate-800" data-testid="entry-group-reason">
              {group.reason ?? 'No reason given'}
              <span className="mt-0.5 block text-xs text-slate-500">
                For example{' '}
                {group.examples.map((example, i) => (
                  <span key={example.originId}>
                    {i > 0 && ', '}
                    {example.contractId ? (
                      <Link
                        className="font-mono text-indigo-700 hover:underline"
                        href={`/o/${org.slug}/contracts/${example.contractId}`}
                      >
                        {example.originId}
                      </Link>
                    ) : (
                      <code>{example.originId}</code>
                    )}
                  </span>
                ))}
                {group.examples.length === 0 && 'objects without an id'}
              </span>
            </span>
            <Button variant="ghost" onClick={() => onShow(group)}>
              Show {group.count === 1 ? 'it' : `all ${formatCount(group.count)}`}
            </Button>
          </li>
        ))}
      </ul>
      {groups.data.more && (
        <p className="mt-2 text-xs text-slate-500">
          More reasons than shown here: the list below has every line.
        </p>
      )}
    </Card>
  );
}
