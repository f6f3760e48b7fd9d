'use client';
// The run's timeline: each page read (its URL with keys and tokens masked, the status, how long it
// took, how many objects), each retry of a request with its reason and wait, how the listing ended,
// and the deletion phase. A page at a time; it follows a running run.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { Badge, Card, ErrorText, Loading, Pager, TableScroll } from '@/app/_components/ui';
import { formatCount, formatDuration } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';

type Run = inferRouterOutputs<AppRouter>['runs']['get'];
type Line = inferRouterOutputs<AppRouter>['runs']['timeline']['rows'][number];

const PAGE_SIZE = 100;

const KINDS: Record<Line['kind'], { label: string; tone: 'green' | 'red' | 'amber' | 'blue' | 'neutral' }> = {
  page: { label: 'page', tone: 'blue' },
  'page-failed': { label: 'page failed', tone: 'red' },
  retry: { label: 'retry', tone: 'amber' },
  'listing-end': { label: 'listing', tone: 'neutral' },
  'deletion-plan': { label: 'deletions', tone: 'neutral' },
  deletions: { label: 'deletions', tone: 'amber' },
  schedule: { label: 'schedule', tone: 'amber' },
};

const CAUSES: Record<string, string> = {
  'rate-limit': 'rate limit',
  server: 'server error',
  network: 'network error',
  timeout: 'timeout',
};

/** What a line says beyond its columns; a page says the source's total when it is new. */
function words(line: Line, previousTotal: unknown): string {
  if (line.kind === 'retry') {
    const cause = CAUSES[String(line.data?.['cause'])] ?? 'error';
    const attempt = line.data?.['attempt'];
    // A write's retry names its write in the detail ("POST for 17: …"); a read's is the page's request.
    const what = line.data?.['write'] === true ? 'A write to the target: attempt' : 'Attempt';
    return `${what} ${typeof attempt === 'number' ? attempt : '?'} met a ${cause} (${line.detail ?? '—'}); tried again after ${formatDuration(line.waitMs)}`;
  }
  if (line.kind === 'page') {
    const total = line.data?.['total'];
    // A run that reads no URL (a push, one object, a batch pushed in) says what it read instead.
    return typeof total === 'number' && total !== previousTotal
      ? `The source reports ${formatCount(total)} objects in all`
      : (line.detail ?? '');
  }
  return line.detail ?? '';
}

export function RunTimeline({ run }: { run: Run }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [page, setPage] = useState(1);
  const active = run.status === 'queued' || run.status === 'running';
  const timeline = useQuery({
    ...trpc.runs.timeline.queryOptions({ orgId: org.orgId, runId: run.id, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: active ? 2000 : false,
  });
  if (timeline.error) return <ErrorText>{errorMessage(timeline.error)}</ErrorText>;
  if (timeline.isPending) return <Loading what="the timeline" />;
  const { rows, total } = timeline.data;
  // Runs from before the timeline existed, and runs that read no page (approvals, one object).
  if (total === 0) return null;
  const start = run.startedAt?.getTime() ?? rows[0]?.at.getTime() ?? 0;
  return (
    <Card title="Timeline">
      <TableScroll label="Run timeline">
        <table className="w-full min-w-[44rem] text-left text-sm" data-testid="run-timeline">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2 pr-2">At</th>
              <th className="py-2 pr-2">Step</th>
              <th className="py-2 pr-2">Request</th>
              <th className="py-2 pr-2 text-right">Status</th>
              <th className="py-2 pr-2 text-right">Took</th>
              <th className="py-2 pr-2 text-right">Objects</th>
              <th className="py-2">Note</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((line, i) => (
              <tr
                key={line.id}
                data-testid="timeline-line"
                data-kind={line.kind}
                className={line.kind === 'retry' ? 'bg-amber-50/60' : undefined}
              >
                <td
                  className="whitespace-nowrap py-1.5 pr-2 tabular-nums text-slate-500"
                  title={line.at.toISOString()}
                >
                  +{formatDuration(Math.max(0, line.at.getTime() - start))}
                </td>
                <td className="whitespace-nowrap py-1.5 pr-2">
                  <Badge tone={KINDS[line.kind].tone}>{KINDS[line.kind].label}</Badge>
                  {line.page !== null && <span className="ml-1.5 text-xs text-slate-600">{line.page}</span>}
                </td>
                <td
                  className="max-w-[22rem] truncate py-1.5 pr-2 font-mono text-xs"
                  title={line.url ?? undefined}
                >
                  {line.url ?? ''}
                </td>
                <td className="py-1.5 pr-2 text-right tabular-nums">{line.status ?? ''}</td>
                <td className="whitespace-nowrap py-1.5 pr-2 text-right tabular-nums">
                  {line.durationMs === null ? '' : formatDuration(line.durationMs)}
                </td>
                <td className="py-1.5 pr-2 text-right tabular-nums">
                  {line.objects === null ? '' : formatCount(line.objects)}
                </td>
                <td className="py-1.5 text-slate-700">
                  {words(line, rows.slice(0, i).findLast((l) => l.kind === 'page')?.data?.['total'])}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {total > PAGE_SIZE && <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={setPage} />}
    </Card>
  );
}
