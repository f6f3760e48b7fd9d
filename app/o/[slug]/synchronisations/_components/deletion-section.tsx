'use client';
// What the synchronisation may do to the target: the write mode, and what happens to target objects
// whose origin disappeared from the source.
import { Input, Select, Textarea } from '@/app/_components/ui';
import { DELETION_POLICIES, type DeletionPolicy } from '@/server/sync/core/deletions';
import { WRITE_MODES, type WriteMode } from '@/server/sync/core/write-mode';
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

// An SQL target deletes the row, or sets its soft delete column (named with the target's table).
const SQL_POLICY_LABELS: Record<DeletionPolicy, string> = {
  none: 'Keep the rows (never delete)',
  soft: 'Mark the row deleted (the soft delete column)',
  hard: 'Delete the row',
};

const WRITE_MODE_LABELS: Record<WriteMode, string> = {
  upsert: 'Create and update',
  'insert-only': 'Only create new objects',
  'update-only': 'Only update objects the target has',
  mirror: 'Mirror: create, update and delete',
};

const WRITE_MODE_HINTS: Record<WriteMode, string> = {
  upsert: 'Objects the target lacks are created, the others updated when they change.',
  'insert-only': 'An object written once is never updated again.',
  'update-only':
    'Nothing is created: an object is updated when the target already has it (written before, or under the origin’s id).',
  mirror: 'The target follows the source: vanished objects are deleted (a hard delete).',
};

/**
 * `sqlTarget`: the target is an SQL source's table (its soft delete column is set with the table).
 * `twoWay`: a two-way synchronisation, which creates and updates on both sides (upsert only).
 */
export function DeletionSection(props: SectionProps & { sqlTarget?: boolean; twoWay?: boolean }) {
  const { state, set, errorFor, sqlTarget, twoWay } = props;
  const rest = state.targetType === 'source' && !sqlTarget;
  const labels =
    sqlTarget && state.targetType === 'source'
      ? SQL_POLICY_LABELS
      : rest
        ? REST_POLICY_LABELS
        : POLICY_LABELS;
  const writeMode = twoWay ? 'upsert' : state.writeMode;
  const mirror = writeMode === 'mirror';
  return (
    <FormSection
      title="Writes and deletions"
      description="Deletions happen only after a complete listing; too many at once wait for approval."
    >
      <FormField
        className="md:col-span-2"
        label="Write mode"
        hint={
          twoWay
            ? 'A two-way synchronisation creates and updates objects on both sides.'
            : WRITE_MODE_HINTS[writeMode]
        }
        error={errorFor('writeMode')}
      >
        <Select
          className="w-full md:w-96"
          value={writeMode}
          disabled={twoWay}
          onChange={(e) => set({ writeMode: e.target.value as WriteMode })}
        >
          {WRITE_MODES.map((m) => (
            <option key={m} value={m}>
              {WRITE_MODE_LABELS[m]}
            </option>
          ))}
        </Select>
      </FormField>
      <FormField
        label="Deletion policy"
        hint={mirror ? 'A mirror deletes what vanished from the source.' : undefined}
        error={errorFor('deleteMode')}
      >
        <Select
          className="w-full"
          value={mirror ? 'hard' : state.deleteMode}
          disabled={mirror}
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
