// How a version's action reads: on a contract's history, a run's changed objects and the object search.
import { Badge } from '@/app/_components/ui';
import type { VersionAction } from '@/server/sync/core/versions';

export const VERSION_WORDS: Record<
  VersionAction,
  { label: string; tone: 'green' | 'blue' | 'neutral' | 'amber' }
> = {
  create: { label: 'created', tone: 'green' },
  update: { label: 'updated', tone: 'blue' },
  rewrite: { label: 'rewritten, unchanged', tone: 'neutral' },
  delete: { label: 'deleted', tone: 'amber' },
  'write-back': { label: 'written back to the source', tone: 'blue' },
  match: { label: 'matched', tone: 'neutral' },
};

export function VersionBadge({ action }: { action: VersionAction }) {
  const words = VERSION_WORDS[action];
  return <Badge tone={words.tone}>{words.label}</Badge>;
}

/** A hash shortened for a table; the whole of it on hover. */
export function ShortHash({ value }: { value: string | null }) {
  if (!value) return <span className="text-slate-400">—</span>;
  return (
    <code className="text-xs text-slate-700" title={value}>
      {value.slice(0, 10)}
    </code>
  );
}
