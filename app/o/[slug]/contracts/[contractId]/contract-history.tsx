'use client';
// A contract's history: each run that changed its object (what it did, both hashes, when, which trigger
// and who asked), with a link to that run's log and the fields it changed since the version before.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Fragment, useState } from 'react';
import { Button, Card, ErrorText, Loading, Notice, TableScroll } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { CONTRACT_VERSIONS_KEPT } from '@/server/sync/core/versions';
import { triggerLabel } from '../../logs/_components/run-labels';
import { ShortHash, VersionBadge } from '../_components/version-badge';
import { VersionChanges } from './version-changes';

export function ContractHistory({ contractId }: { contractId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const history = useQuery(trpc.history.contract.queryOptions({ orgId: org.orgId, contractId }));
  // The newest version's changes are open at first: that is what a person comes to see.
  const [open, setOpen] = useState<Set<number> | null>(null);

  if (history.error) return <ErrorText>{errorMessage(history.error)}</ErrorText>;
  if (history.isPending) return <Loading what="the history" />;
  const { versions } = history.data;
  const shown = open ?? new Set(versions.slice(0, 1).map((v) => v.id));
  const toggle = (id: number) => {
    const next = new Set(shown);
    if (!next.delete(id)) next.add(id);
    setOpen(next);
  };

  return (
    <Card title={`History (${versions.length} ${versions.length === 1 ? 'version' : 'versions'})`}>
      {versions.length === 0 ? (
        <Notice>
          No run has changed this object since Concord began keeping histories. The next run that creates,
          updates or deletes it starts one.
        </Notice>
      ) : (
        <div>
          <TableScroll label="Contract history">
            <table className="w-full min-w-[40rem] text-left text-sm" data-testid="contract-history">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-2">Version</th>
                  <th className="py-2 pr-2">What the run did</th>
                  <th className="py-2 pr-2">When</th>
                  <th className="py-2 pr-2">Started by</th>
                  <th className="py-2 pr-2">Source hash</th>
                  <th className="py-2 pr-2">Target hash</th>
                  <th className="py-2 text-right">
                    <span className="sr-only">Links</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {versions.map((v) => (
                  <Fragment key={v.id}>
                    <tr data-testid="contract-version">
                      <td className="py-2 pr-2 font-medium text-slate-800">{v.number}</td>
                      <td className="py-2 pr-2">
                        <VersionBadge action={v.action} />
                      </td>
                      <td className="whitespace-nowrap py-2 pr-2 text-slate-700">{formatTime(v.at)}</td>
                      <td className="py-2 pr-2 text-slate-700">
                        {v.trigger
                          ? triggerLabel({
                              trigger: v.trigger,
                              test: false,
                              force: v.force ?? false,
                              requestedBy: null,
                              cursor: null,
                            })
                          : '—'}
                        {v.requestedByName && <span className="text-slate-500"> · {v.requestedByName}</span>}
                      </td>
                      <td className="py-2 pr-2">
                        <ShortHash value={v.originHash} />
                      </td>
                      <td className="py-2 pr-2">
                        <ShortHash value={v.targetHash} />
                      </td>
                      <td className="whitespace-nowrap py-2 text-right">
                        {v.runId ? (
                          <Link
                            className="mr-2 font-medium text-indigo-700 hover:underline"
                            href={`/o/${org.slug}/logs/${v.runId}`}
                          >
                            Run log
                          </Link>
                        ) : (
                          <span className="mr-2 text-xs text-slate-400" title="Removed by log retention">
                            log removed
                          </span>
                        )}
                        {v.action !== 'delete' && (
                          <Button variant="ghost" onClick={() => toggle(v.id)}>
                            {shown.has(v.id) ? 'Hide changes' : 'Changes'}
                          </Button>
                        )}
                      </td>
                    </tr>
                    {shown.has(v.id) && v.action !== 'delete' && (
                      <tr>
                        <td colSpan={7} className="pb-4">
                          <p className="mb-1 text-xs text-slate-500">
                            {v.number === 1 && versions.length < CONTRACT_VERSIONS_KEPT
                              ? 'Version 1: every field is new.'
                              : `Version ${v.number} compared with version ${v.number - 1}:`}
                          </p>
                          <VersionChanges changes={v.changes} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <p className="mt-2 text-xs text-slate-500">
            Concord keeps the last {CONTRACT_VERSIONS_KEPT} versions of each object.
          </p>
        </div>
      )}
    </Card>
  );
}
