// A two-way synchronisation's policies in words, for the form's choices and the synchronisation's page.
import type { ConflictPolicy, SourceOfTruth, TargetOnlyPolicy } from '@/server/sync/core/two-way/settings';

export const CONFLICT_WORDS: Record<ConflictPolicy, { label: string; explanation: string }> = {
  'source-wins': {
    label: 'Source wins',
    explanation: 'The source’s version is written to the register.',
  },
  'target-wins': {
    label: 'Target wins',
    explanation: 'The register’s version is written back to the source.',
  },
  'newer-wins': {
    label: 'Newer wins',
    explanation:
      'The version with the later updated-at time is copied over; without a time, or when they tie, the source of truth wins.',
  },
  manual: {
    label: 'Manual',
    explanation:
      'Nothing is written: the conflict waits, both versions side by side, until a person decides.',
  },
};

export const SOURCE_OF_TRUTH_WORDS: Record<SourceOfTruth, string> = {
  source: 'The source',
  target: 'The register',
};

export const TARGET_ONLY_WORDS: Record<TargetOnlyPolicy, { label: string; explanation: string }> = {
  leave: {
    label: 'Leave them in the register',
    explanation: 'Nothing is written to the source for them.',
  },
  delete: {
    label: 'Delete them from the register',
    explanation:
      'Only after a complete listing of the source, and above the approval threshold only when approved.',
  },
  'add-to-source': {
    label: 'Add them to the source',
    explanation: 'They are created in the source and linked to their register object.',
  },
};
