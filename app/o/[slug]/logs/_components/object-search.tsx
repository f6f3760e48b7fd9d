'use client';
// Search by object id across runs: an origin id or a register object id finds every run that wrote a
// version of it or logged a line about it (an error, a held deletion, a conflict), with links to each
// run's log and the object's contract. `?object=` in the URL opens with a search.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, ErrorText, Input, Loading, TableScroll } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { VERSION_ACTIONS, type VersionAction } from '@/server/sync/core/versions';
import { VersionBadge } from '../../contracts/_components/version-badge';
import { triggerLabel } from './run-labels';

const isVersion = (action: string): action is VersionAction =>
  (VERSION_ACTIONS as readonly string[]).includes(action);

const ENTRY_WORDS: Record<string, string> = {
  invalid: 'invalid',
  failed: 'failed',
  hold: 'deletion held',
  conflict: 'conflict',
  create: 'would create (test)',
  update: 'would update (test)',
  delete: 'would delete',
};

export function ObjectSearch() {
  const trpc = useTRPC();
  const org = useOrg();
  const initial = useSearchParams().get('object') ?? '';
  const [text, setText] = useState(initial);
  const [objectId, setObjectId] = useState(initial.trim());
  const found = useQuery({
    ...trpc.history.object.queryOptions({ orgId: org.orgId, objectId: objectId || '-' }),
    enabled: objectId.length > 0,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = text.trim();
    setObjectId(next);
    const url = new URL(window.location.href);
    if (next) url.searchParams.set('object', next);
    else url.searchParams.delete('object');
    window.history.replaceState(null, '', url);
  };

  return (
    <Card title="Find an object’s runs">
      <form className="flex flex-wrap items-end gap-2" onSubmit={submit} role="search">
        <label className="min-w-[12rem] flex-1 text-sm text-slate-700">
          <span className="mb-1 block font-medium">Object id</span>
          <Input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="An id at the source, or a register object id"
            aria-label="Object id"
          />
        </label>
        <Button type="submit">Search</Button>
      </form>
      {objectId && (
        <div className="mt-4">
          {found.error ? (
            <ErrorText>{errorMessage(found.error)}</ErrorText>
          ) : found.isPending ? (
            <Loading what="the runs" />
          ) : found.data.runs.length === 0 ? (
            <p className="text-sm text-slate-600" data-testid="object-search-none">
              No run touched an object with the id “{objectId}”. Ids are matched exactly: check its case, or
              search the register object id instead.
            </p>
          ) : (
            <TableScroll label="Runs of the object">
              <table className="w-full min-w-[36rem] text-left text-sm" data-testid="object-runs">
                <thead className="text-xs uppercase text-slate-500">
                  <tr>
                    <th className="py-2 pr-2">Run</th>
                    <th className="py-2 pr-2">Synchronisation</th>
                    <th className="py-2 pr-2">Started by</th>
                    <th className="py-2 pr-2">What happened to it</th>
                    <th className="py-2">Contract</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {found.data.runs.map((run) => (
                    <tr key={run.id} data-testid="object-run">
                      <td className="whitespace-nowrap py-2 pr-2">
                        <Link
                          className="font-medium text-indigo-700 hover:underline"
                          href={`/o/${org.slug}/logs/${run.id}`}
                        >
                          {formatTime(run.startedAt ?? run.createdAt)}
                        </Link>
                      </td>
                      <td className="py-2 pr-2 text-slate-700">{run.syncName}</td>
                      <td className="py-2 pr-2 text-slate-700">
                        {triggerLabel({ ...run, force: false, requestedBy: null, cursor: null })}
                      </td>
                      <td className="py-2 pr-2">
                        <span className="flex flex-wrap gap-1">
                          {run.actions.map((a) =>
                            isVersion(a) && !run.test ? (
                              <VersionBadge key={a} action={a} />
                            ) : (
                              <Badge key={a} tone={a === 'hold' || a === 'conflict' ? 'amber' : 'red'}>
                                {ENTRY_WORDS[a] ?? a}
                              </Badge>
                            ),
                          )}
                        </span>
                        {run.reasons[0] && <p className="mt-1 text-xs text-slate-600">{run.reasons[0]}</p>}
                      </td>
                      <td className="py-2">
                        {run.contractId ? (
                          <Link
                            className="text-indigo-700 hover:underline"
                            href={`/o/${org.slug}/contracts/${run.contractId}`}
                          >
                            Contract
                          </Link>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </div>
      )}
    </Card>
  );
}
