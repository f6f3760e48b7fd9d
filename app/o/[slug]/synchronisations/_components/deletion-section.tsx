'use client';
// What happens to target objects whose origin disappeared from the source.
import { Input, Select, Textarea } from '@/app/_components/ui';
import { DELETION_POLICIES, type DeletionPolicy } from '@/server/sync/core/deletions';
import type { SectionProps } from '../_lib/form-state';
import { FormField, FormSection } from './form-field';
import { SoftDeleteFields } from './soft-delete-fields';

const POLICY_LABELS: Record<DeletionPolicy, string> = {
  none: 'Keep them (never delete)',
  soft: 'Soft delete (mark as deleted, recoverable)',
  hard: 'Hard delete (remove)',
};

// A REST target is told how: a request that marks the object deleted, or DELETE.
const REST_POLICY_LABELS: Record<DeletionPolicy, string> = {
  none: 'Keep them (never delete)',
  soft: 'Mark as deleted (the request below)',
  hard: 'Delete (a DELETE request to the delete endpoint)',
};

export function DeletionSection(props: SectionProps) {
  const { state, set, errorFor } = props;
  const rest = state.targetType === 'source';
  const labels = rest ? REST_POLICY_LABELS : POLICY_LABELS;
  return (
    <FormSection
      title="Deletion"
      description="Deletions happen only after a complete listing; too many at once wait for approval."
    >
      <FormField label="Deletion policy" error={errorFor('deleteMode')}>
        <Select
          className="w-full"
          value={state.deleteMode}
          onChange={(e) => set({ deleteMode: e.target.value as DeletionPolicy })}
        >
          {DELETION_POLICIES.map((p) => (
            <option key={p} value={p}>
              {labels[p]}
            </option>
          ))}
        </Select>
      </FormField>
      <FormField
        label="Approval threshold (%)"
        hint="When more than this share of the objects vanish at once, the deletions wait for a person."
        error={errorFor('deleteThreshold')}
      >
        <Input
          inputMode="decimal"
          value={state.deleteThreshold}
          disabled={state.deleteMode === 'none'}
          onChange={(e) => set({ deleteThreshold: e.target.value })}
        />
      </FormField>
      {rest && state.deleteMode === 'soft' && <SoftDeleteFields {...props} />}
      <FormField
        className="md:col-span-2"
        label="Restrict deletion to these origin ids"
        hint="One id per line, matched exactly. Empty: any vanished object may be deleted."
        error={errorFor('restrictDeletion')}
      >
        <Textarea
          rows={3}
          value={state.restrictDeletion}
          disabled={state.deleteMode === 'none'}
          onChange={(e) => set({ restrictDeletion: e.target.value })}
        />
      </FormField>
    </FormSection>
  );
}
