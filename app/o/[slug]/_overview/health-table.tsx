'use client';
// Every synchronisation's health in one table: its state (failing since when), the last run, the next
// run of its schedule (in its time zone), and the objects it keeps in step.
import Link from 'next/link';
import { Badge } from '@/app/_components/ui';
import { formatCount, formatTime } from '@/app/_lib/format';
import { ResultBadge } from '../synchronisations/_components/run-badges';
import { relativeTime } from './relative-time';
import type { SyncOverview } from './types';

function Health({ sync }: { sync: SyncOverview }) {
  if (sync.active?.status === 'running') return <Badge tone="blue">Running</Badge>;
  const h = sync.health;
  switch (h.state) {
    case 'failing':
      return (
        <span className="space-y-0.5">
          <Badge tone="red">Failing</Badge>
          <span className="block text-xs text-red-800" title={relativeTime(h.since)}>
            failing since {formatTime(h.since)}
          </span>
        </span>
      );
    case 'warning':
      return <Badge tone="amber">Warning</Badge>;
    case 'ok':
      return <Badge tone="green">Healthy</Badge>;
    case 'never-run':
      return <Badge>Never run</Badge>;
  }
}

function NextRun({ sync }: { sync: SyncOverview }) {
  if (!sync.enabled) return <span className="text-slate-500">Disabled</span>;
  if (!sync.nextRunAt) return <span className="text-slate-500">On demand</span>;
  return (
    <span title={`${formatTime(sync.nextRunAt)} (schedule in ${sync.scheduleTimezone ?? 'UTC'})`}>
      {relativeTime(sync.nextRunAt)}
    </span>
  );
}

export function HealthTable({ syncs, base }: { syncs: SyncOverview[]; base: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm" data-testid="sync-health">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Synchronisation</th>
            <th className="py-2 pr-3">Health</th>
            <th className="py-2 pr-3">Last run</th>
            <th className="py-2 pr-3">Next run</th>
            <th
              className="py-2 text-right"
              title="Objects the target holds as last synchronised: refused, invalid and failed ones are not counted"
            >
              Objects
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {syncs.map((s) => (
            <tr key={s.id} data-testid={`health-${s.id}`}>
              <td className="py-2 pr-3">
                <Link
                  className="font-medium text-indigo-700 hover:underline"
                  href={`${base}/synchronisations/${s.id}`}
                >
                  {s.name}
                </Link>
              </td>
              <td className="py-2 pr-3">
                <Health sync={s} />
              </td>
              <td className="py-2 pr-3">
                {s.lastRun ? (
                  <Link
                    className="inline-flex items-center gap-2 hover:underline"
                    href={`${base}/logs/${s.lastRun.id}`}
                  >
                    <ResultBadge result={s.lastRun.result} />
                    <span className="text-xs text-slate-600">{relativeTime(s.lastRun.at)}</span>
                  </Link>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </td>
              <td className="py-2 pr-3 text-slate-700">
                <NextRun sync={s} />
              </td>
              <td className="py-2 text-right tabular-nums">{formatCount(s.objects)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
