'use client';
// A push run's "Changes delivered": each change id it carried to its subscriber, the register object,
// and how it ended. The same change id appears in the log of every subscriber it went to.
import { useQuery } from '@tanstack/react-query';
import { Badge, Card } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';
import type { RunChangeOutcome } from '@/server/db/schema/run-changes';

export const OUTCOME_LABELS: Record<
  RunChangeOutcome,
  { label: string; tone: 'green' | 'red' | 'neutral' | 'amber' | 'blue' }
> = {
  pending: { label: 'Being delivered', tone: 'blue' },
  sent: { label: 'Sent', tone: 'green' },
  unchanged: { label: 'Nothing to send', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'red' },
  deleted: { label: 'Deleted', tone: 'green' },
  kept: { label: 'Not deleted', tone: 'amber' },
};

export function ChangesDelivered({ run }: { run: { id: string; trigger: string; status: string } }) {
  const trpc = useTRPC();
  const org = useOrg();
  const changes = useQuery({
    ...trpc.runs.changes.queryOptions({ orgId: org.orgId, runId: run.id }),
    enabled: run.trigger === 'push' || run.trigger === 'retry',
  });
  if ((run.trigger !== 'push' && run.trigger !== 'retry') || !changes.data || changes.data.length === 0)
    return null;
  return (
    <Card title="Changes delivered">
      <ul className="space-y-1 text-sm" data-testid="changes-delivered">
        {changes.data.map((change) => (
          <li key={change.changeId} className="flex flex-wrap items-center gap-2">
            <code className="text-xs text-slate-800">{change.changeId}</code>
            <span className="text-xs text-slate-500">object {change.objectId}</span>
            <Badge tone={OUTCOME_LABELS[change.outcome].tone}>{OUTCOME_LABELS[change.outcome].label}</Badge>
          </li>
        ))}
      </ul>
    </Card>
  );
}
