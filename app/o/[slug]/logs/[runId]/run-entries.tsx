'use client';
// A run's per-object lines, a page at a time: errors (invalid, failed), held deletions, and in test mode
// what the run would do, with the mapped object it would write.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { Fragment, useState } from 'react';
import { Badge, Button, Card, ErrorText, Loading, Pager, TableScroll } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';
import { COUNT_HINTS } from '../_components/run-labels';

type Run = inferRouterOutputs<AppRouter>['runs']['get'];

const PAGE_SIZE = 50;
const ACTIONS = {
  create: { tone: 'green', label: 'create', hint: undefined },
  update: { tone: 'blue', label: 'update', hint: undefined },
  delete: { tone: 'amber', label: 'delete', hint: undefined },
  hold: { tone: 'amber', label: 'held', hint: 'The deletion waits for approval.' },
  invalid: { tone: 'red', label: 'invalid', hint: COUNT_HINTS.invalid },
  failed: { tone: 'red', label: 'failed', hint: COUNT_HINTS.failed },
  conflict: {
    tone: 'amber',
    label: 'conflict',
    hint: 'Both sides changed this object: nothing was written; it waits in Conflicts.',
  },
} as const;

export function RunEntries({ run }: { run: Run }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const entries = useQuery({
    ...trpc.runs.entries.queryOptions({ orgId: org.orgId, runId: run.id, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: run.status === 'queued' || run.status === 'running' ? 3000 : false,
  });
  const title = run.test ? 'What the run would do, object by object' : 'Objects that need attention';

  if (entries.error) return <ErrorText>{errorMessage(entries.error)}</ErrorText>;
  if (entries.isPending) return <Loading what="the entries" />;
  const { rows, total } = entries.data;
  if (total === 0) {
    return (
      <Card title={title}>
        <p className="text-sm text-slate-600">
          {run.status === 'queued' || run.status === 'running'
            ? 'Nothing to report so far.'
            : run.test
              ? 'This test run found nothing to create, update or delete.'
              : 'No object was refused, invalid or held: there is nothing to act on.'}
        </p>
      </Card>
    );
  }
  return (
    <Card title={`${title} (${total.toLocaleString()})`}>
      <TableScroll label="Log entries">
        <table className="w-full min-w-[36rem] text-left text-sm" data-testid="run-entries">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="w-24 py-2 pr-2">Action</th>
              <th className="py-2 pr-2">Origin id</th>
              <th className="py-2 pr-2">Reason</th>
              <th className="w-28 py-2 text-right">
                <span className="sr-only">Object</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((entry) => (
              <Fragment key={entry.id}>
                <tr data-testid="run-entry">
                  <td className="py-2 pr-2" title={ACTIONS[entry.action].hint}>
                    <Badge tone={ACTIONS[entry.action].tone}>{ACTIONS[entry.action].label}</Badge>
                  </td>
                  <td className="break-all py-2 pr-2 font-mono text-xs">
                    {entry.contractId ? (
                      <Link
                        className="text-indigo-700 hover:underline"
                        href={`/o/${org.slug}/contracts/${entry.contractId}`}
                      >
                        {entry.originId}
                      </Link>
                    ) : (
                      (entry.originId ?? '—')
                    )}
                  </td>
                  <td className="py-2 pr-2 text-slate-700">{entry.reason ?? '—'}</td>
                  <td className="py-2 text-right">
                    {entry.data !== null && entry.data !== undefined && (
                      <Button variant="ghost" onClick={() => setOpen(open === entry.id ? null : entry.id)}>
                        {open === entry.id ? 'Hide object' : 'Show object'}
                      </Button>
                    )}
                  </td>
                </tr>
                {open === entry.id && (
                  <tr>
                    <td colSpan={4} className="pb-3">
                      <pre className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
                        {JSON.stringify(entry.data, null, 2)}
                      </pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {total > PAGE_SIZE && <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={setPage} />}
    </Card>
  );
}
