'use client';
// The organisation's latest runs, newest first, each linking to its log.
import Link from 'next/link';
import { formatCount } from '@/app/_lib/format';
import { RunStatusBadge } from '../synchronisations/_components/run-badges';
import { relativeTime } from './relative-time';
import type { RecentRun } from './types';

export function RecentRuns({ runs, base }: { runs: RecentRun[]; base: string }) {
  if (runs.length === 0) return <p className="text-sm text-slate-600">No run yet.</p>;
  return (
    <ul className="divide-y divide-slate-100" data-testid="recent-runs">
      {runs.map((r) => (
        <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
          <Link
            className="min-w-0 truncate font-medium text-indigo-700 hover:underline"
            href={`${base}/logs/${r.id}`}
          >
            {r.syncName}
          </Link>
          <span className="flex items-center gap-2 text-xs text-slate-600">
            {r.status === 'finished' && (
              <span className="tabular-nums">
                +{formatCount(r.created)} ~{formatCount(r.updated)} −{formatCount(r.deleted)}
                {r.failed > 0 && <span className="text-red-700"> · {formatCount(r.failed)} failed</span>}
              </span>
            )}
            <span>{relativeTime(r.finishedAt ?? r.createdAt)}</span>
            <RunStatusBadge run={r} />
          </span>
        </li>
      ))}
    </ul>
  );
}
