// How a contract's status and last action read, in the contracts table and on a contract's page.
import { Badge } from '@/app/_components/ui';
import type { ContractAction, ContractStatus } from '@/server/sync/core/contracts';

export const STATUS_LABELS: Record<ContractStatus, string> = {
  synced: 'Synced',
  failed: 'Failed',
  rejected: 'Rejected',
  invalid: 'Invalid',
  held: 'Held',
  deleted: 'Deleted',
  conflict: 'Conflict',
  quarantined: 'Quarantined',
};

const STATUS_TONES = {
  synced: 'green',
  failed: 'red',
  rejected: 'red',
  invalid: 'red',
  held: 'amber',
  deleted: 'neutral',
  conflict: 'amber',
  quarantined: 'red',
} as const satisfies Record<ContractStatus, string>;

export const ACTION_LABELS: Record<ContractAction, string> = {
  create: 'Created',
  update: 'Updated',
  rewrite: 'Rewritten, unchanged',
  skip: 'Unchanged',
  filter: 'Filtered out',
  reject: 'Refused as invalid',
  hold: 'Deletion held',
  delete: 'Deleted',
  'write-back': 'Written back to the source',
  conflict: 'Conflict found',
  match: 'Matched to an existing object',
  quarantine: 'Quarantined',
};

export const STATUS_HINTS: Record<ContractStatus, string> = {
  synced: 'The target holds the last version Concord wrote.',
  failed:
    'The last write or delete did not go through for a reason that may pass (the target was busy, failing or unreachable); the next run tries again.',
  rejected:
    'The target refused this version of the object (its answer is kept); it is sent again when the object or the synchronisation changes, or in a forced run.',
  invalid:
    'Concord refused the object before writing it: no usable id, a repeated id, invalid for the schema, or a mapping or conditions error.',
  held: 'The source no longer lists this object; its deletion waits for approval.',
  deleted: 'The source no longer lists this object and the target object was deleted.',
  conflict:
    'Both sides changed this object since the last synchronisation, into different versions. Nothing is written until the conflict is resolved (Conflicts).',
  quarantined:
    'This object changed back and forth too often in a short time, so Concord stopped writing it. Release it once the systems that keep changing it agree.',
};

export function ContractStatusBadge({ status }: { status: ContractStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

export const actionLabel = (action: ContractAction | null) => (action ? ACTION_LABELS[action] : '—');
