'use client';
// The synchronisation's name, whether it runs, and how long its logs are kept.
import { Input, Textarea } from '@/app/_components/ui';
import type { SectionProps } from '../_lib/form-state';
import { FormField, FormSection } from './form-field';

export function GeneralSection({ state, set, errorFor }: SectionProps) {
  return (
    <FormSection title="General">
      <FormField label="Name *" error={errorFor('name')}>
        <Input
          required
          maxLength={100}
          value={state.name}
          placeholder="People into the directory"
          onChange={(e) => set({ name: e.target.value })}
        />
      </FormField>
      <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
        <input
          type="checkbox"
          className="h-4 w-4 rounded border-slate-300"
          checked={state.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
        />
        Enabled (runs on its schedule and on request)
      </label>
      <FormField className="md:col-span-2" label="Description" error={errorFor('description')}>
        <Textarea
          rows={2}
          className="font-sans text-sm"
          maxLength={2000}
          value={state.description}
          onChange={(e) => set({ description: e.target.value })}
        />
      </FormField>
    </FormSection>
  );
}

export function RetentionSection({ state, set, errorFor }: SectionProps) {
  return (
    <FormSection title="Log retention" description="How long the logs of finished runs are kept.">
      <FormField label="Successful runs (days)" error={errorFor('successRetentionDays')}>
        <Input
          inputMode="numeric"
          value={state.successRetentionDays}
          onChange={(e) => set({ successRetentionDays: e.target.value })}
        />
      </FormField>
      <FormField label="Runs with errors (days)" error={errorFor('errorRetentionDays')}>
        <Input
          inputMode="numeric"
          value={state.errorRetentionDays}
          onChange={(e) => set({ errorRetentionDays: e.target.value })}
        />
      </FormField>
    </FormSection>
  );
}
