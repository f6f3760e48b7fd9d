// How a run's status and result read, the same in the list, the detail page and the progress panel.
import { Badge } from '@/app/_components/ui';

const RESULTS = {
  success: { tone: 'green', label: 'Success' },
  warning: { tone: 'amber', label: 'Warning' },
  error: { tone: 'red', label: 'Error' },
} as const;

export function ResultBadge({ result }: { result: string | null | undefined }) {
  const known = result ? RESULTS[result as keyof typeof RESULTS] : undefined;
  if (!known) return <Badge>{result ?? 'Never run'}</Badge>;
  return <Badge tone={known.tone}>{known.label}</Badge>;
}

export function RunStatusBadge({ run }: { run: { status: string; result: string | null } }) {
  if (run.status === 'queued') return <Badge tone="blue">Queued</Badge>;
  if (run.status === 'running') return <Badge tone="blue">Running</Badge>;
  if (run.status === 'cancelled') return <Badge>Cancelled</Badge>;
  return <ResultBadge result={run.result} />;
}

export const isActive = (run: { status: string } | null | undefined) =>
  run?.status === 'queued' || run?.status === 'running';
