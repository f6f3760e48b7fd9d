'use client';
// How a REST target marks an object deleted when the policy is soft: the request and its body. PATCH
// changes only the body's fields; PUT would replace the whole object with them.
import { Input, Select, Textarea } from '@/app/_components/ui';
import type { SectionProps, TargetFields } from '../_lib/form-state';
import { FormField } from './form-field';

export function SoftDeleteFields({ state, set, errorFor }: SectionProps) {
  const target = (patch: Partial<TargetFields>) => set({ target: { ...state.target, ...patch } });
  return (
    <div className="grid gap-3 rounded-md bg-slate-50 p-3 md:col-span-2 md:grid-cols-[10rem_1fr]">
      <FormField label="Soft delete method" error={errorFor('targetConfig.softDelete.method')}>
        <Select
          className="w-full"
          value={state.target.softDeleteMethod}
          onChange={(e) => target({ softDeleteMethod: e.target.value as TargetFields['softDeleteMethod'] })}
        >
          <option>PATCH</option>
          <option>PUT</option>
          <option>POST</option>
        </Select>
      </FormField>
      <FormField
        label="Soft delete endpoint"
        hint="Relative to the target’s base URL; {{targetId}} and {{originId}} are filled in. Empty: the delete endpoint."
        error={errorFor('targetConfig.softDelete.endpoint')}
      >
        <Input
          value={state.target.softDeleteEndpoint}
          placeholder={state.target.deleteEndpoint}
          onChange={(e) => target({ softDeleteEndpoint: e.target.value })}
        />
      </FormField>
      <FormField
        className="md:col-span-2"
        label="Soft delete body (JSON)"
        hint='Sent to mark the object deleted; a value "{{now}}" becomes the moment of deletion, e.g. {"deleted": true, "deletedAt": "{{now}}"}.'
        error={errorFor('targetConfig.softDelete.body', 'targetConfig.softDelete')}
      >
        <Textarea
          rows={2}
          spellCheck={false}
          value={state.target.softDeleteBody}
          onChange={(e) => target({ softDeleteBody: e.target.value })}
        />
      </FormField>
    </div>
  );
}
