// How a conflict's kind, status and the synchronisation's policy read on the conflict pages.
import { Badge } from '@/app/_components/ui';
import type { ConflictKind, ConflictStatus } from '@/server/db/schema';
import type { ConflictPolicy } from '@/server/sync/core/two-way/settings';

export const KIND_LABELS: Record<ConflictKind, string> = {
  'both-changed': 'Both sides changed',
  'source-deleted': 'Deleted at the source, changed in the register',
  'target-deleted': 'Deleted in the register, changed at the source',
};

/** Both sides hold the object with different values, and Concord had never synchronised it (no base). */
export const FIRST_MATCH_LABEL = 'Different on both sides, never synchronised';

/** How a conflict's kind reads; `firstMatch` (the server says) is a both-changed conflict without a base. */
export const kindLabel = (c: { kind: ConflictKind; firstMatch: boolean }) =>
  c.firstMatch ? FIRST_MATCH_LABEL : KIND_LABELS[c.kind];

export const STATUS_LABELS: Record<ConflictStatus, string> = {
  open: 'Open',
  resolving: 'Resolving',
  resolved: 'Resolved',
};

// The schema's lists are not imported here: the schema module does not belong in the browser bundle.
export const STATUSES = Object.keys(STATUS_LABELS) as ConflictStatus[];

export const STATUS_HINTS: Record<ConflictStatus, string> = {
  open: 'Waiting for a person to choose what to keep. Nothing is written to this object until then.',
  resolving: 'Will be written to both sides by the next run.',
  // The version that lost, when one did (a whole side kept), shows below it under its own heading.
  resolved: 'Written to both sides.',
};

const STATUS_TONES = { open: 'amber', resolving: 'blue', resolved: 'green' } as const;

export const POLICY_LABELS: Record<ConflictPolicy, string> = {
  'source-wins': 'source wins',
  'target-wins': 'target wins',
  'newer-wins': 'newer wins',
  manual: 'manual (a person decides)',
};

/** Who settled it: a person, or the policy that names itself. */
export function resolvedByLabel(resolvedBy: string | null): string {
  if (!resolvedBy) return 'nobody yet';
  if (resolvedBy === 'person') return 'a person';
  return `the policy “${POLICY_LABELS[resolvedBy as ConflictPolicy] ?? resolvedBy}”`;
}

export function ConflictStatusBadge({ status }: { status: ConflictStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
