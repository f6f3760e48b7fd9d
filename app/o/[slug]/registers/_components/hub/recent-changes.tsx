'use client';
// The latest changes that left the hub, one line per change id, with each subscriber it went to and
// how that delivery ended (a link to the run that delivered it).
import Link from 'next/link';
import { Badge, Card } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { OUTCOME_LABELS } from '../../../logs/[runId]/changes-delivered';
import type { Hub } from './types';

export function RecentChanges({ changes }: { changes: Hub['recentChanges'] }) {
  const org = useOrg();
  return (
    <Card title="Latest changes delivered">
      {changes.length === 0 ? (
        <p className="text-sm text-slate-500">No change has been delivered from this hub yet.</p>
      ) : (
        <ul className="space-y-3 text-sm" data-testid="hub-changes">
          {changes.map((change) => (
            <li key={change.changeId}>
              <p className="flex flex-wrap items-baseline gap-x-2">
                <code className="text-xs text-slate-800">{change.changeId}</code>
                <span className="text-xs text-slate-500">
                  object {change.objectId} · {formatTime(change.at)}
                </span>
              </p>
              <ul className="mt-1 flex flex-wrap gap-2">
                {change.deliveries.map((d) => (
                  <li key={d.syncId}>
                    <Link href={`/o/${org.slug}/logs/${d.runId}`} className="hover:underline">
                      {d.syncName}
                    </Link>{' '}
                    <Badge tone={OUTCOME_LABELS[d.outcome as keyof typeof OUTCOME_LABELS]?.tone ?? 'neutral'}>
                      {OUTCOME_LABELS[d.outcome as keyof typeof OUTCOME_LABELS]?.label ?? d.outcome}
                    </Badge>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
