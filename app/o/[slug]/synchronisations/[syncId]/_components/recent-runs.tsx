'use client';
// The last ten runs of this synchronisation, each linking to its log.
import Link from 'next/link';
import { Card, ErrorText, Loading, TableScroll } from '@/app/_components/ui';
import { formatCount, formatDuration, formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage } from '@/app/_lib/trpc';
import { triggerLabel } from '../../../logs/_components/run-labels';
import { RunStatusBadge } from '../../_components/run-badges';
import type { RunRow } from '../../_lib/types';

interface Props {
  syncId: string;
  runs: RunRow[] | undefined;
  error: unknown;
}

const duration = (r: RunRow) =>
  r.startedAt && r.finishedAt ? formatDuration(r.finishedAt.getTime() - r.startedAt.getTime()) : '—';

export function RecentRuns({ syncId, runs, error }: Props) {
  const org = useOrg();
  return (
    <Card
      title="Recent runs"
      actions={
        <Link className="text-sm text-indigo-700 hover:underline" href={`/o/${org.slug}/logs?sync=${syncId}`}>
          All logs
        </Link>
      }
    >
      <ErrorText>{error ? errorMessage(error) : null}</ErrorText>
      {!runs ? (
        !error && <Loading what="runs" />
      ) : runs.length === 0 ? (
        <p className="text-sm text-slate-500">No runs yet. Start one with Run now or Test.</p>
      ) : (
        <TableScroll label="Recent runs">
          <table className="w-full min-w-[36rem] text-left text-sm [&_td]:pr-3 [&_th]:pr-3">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">Started</th>
                <th className="py-2">Trigger</th>
                <th className="py-2">Result</th>
                <th className="py-2 text-right">Found</th>
                <th className="py-2 text-right">Created · updated · deleted</th>
                <th className="py-2 text-right">Duration</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {runs.map((r) => (
                <tr key={r.id} data-testid="recent-run">
                  <td className="py-2">
                    <Link className="text-indigo-700 hover:underline" href={`/o/${org.slug}/logs/${r.id}`}>
                      {formatTime(r.startedAt ?? r.createdAt)}
                    </Link>
                  </td>
                  <td className="py-2 text-slate-600">
                    {triggerLabel(r)}
                    {r.test ? ' · test' : ''}
                    {r.force ? ' · force' : ''}
                  </td>
                  <td className="py-2">
                    <RunStatusBadge run={r} />
                  </td>
                  <td className="py-2 text-right tabular-nums">{formatCount(r.found)}</td>
                  <td
                    className={`py-2 text-right tabular-nums ${r.test ? 'italic text-sky-700' : ''}`}
                    data-testid="recent-run-counts"
                  >
                    {r.test && 'would '}
                    {formatCount(r.created)} · {formatCount(r.updated)} · {formatCount(r.deleted)}
                    {r.rewritten > 0 && (
                      <span className="block text-xs text-slate-500">
                        {r.test ? 'would rewrite' : 'rewrote'} {formatCount(r.rewritten)} unchanged
                      </span>
                    )}
                  </td>
                  <td className="py-2 text-right">{duration(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Card>
  );
}
