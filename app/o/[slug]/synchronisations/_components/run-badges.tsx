// How a run's status and result read, the same in the list, the detail page and the progress panel.
// A test run's result is never a plain "Success": it planned, it did not write.
import { Badge } from '@/app/_components/ui';

const RESULTS = {
  success: { tone: 'green', label: 'Success' },
  warning: { tone: 'amber', label: 'Warning' },
  error: { tone: 'red', label: 'Error' },
} as const;

const TEST_RESULTS = {
  success: { tone: 'blue', label: 'Test run' },
  warning: { tone: 'amber', label: 'Test run: warning' },
  error: { tone: 'red', label: 'Test run: error' },
} as const;

export function ResultBadge({ result, test = false }: { result: string | null | undefined; test?: boolean }) {
  const known = result ? (test ? TEST_RESULTS : RESULTS)[result as keyof typeof RESULTS] : undefined;
  if (!known) return <Badge>{result ?? 'Never run'}</Badge>;
  return <Badge tone={known.tone}>{known.label}</Badge>;
}

export function RunStatusBadge({ run }: { run: { status: string; result: string | null; test?: boolean } }) {
  if (run.status === 'queued') return <Badge tone="blue">Queued</Badge>;
  if (run.status === 'running') return <Badge tone="blue">Running</Badge>;
  if (run.status === 'cancelled') return <Badge>Cancelled</Badge>;
  return <ResultBadge result={run.result} test={run.test} />;
}

export const isActive = (run: { status: string } | null | undefined) =>
  run?.status === 'queued' || run?.status === 'running';
