'use client';
// The direction of a synchronisation from a REST or SQL source into a register schema: one way, or
// two-way with its policies — who wins a conflict, who is right when that cannot be told, what happens
// to objects only the register has, how objects are paired on the first run — and how the register's
// changes are written back to the source (write-back-fields.tsx).
import { Input, Select } from '@/app/_components/ui';
import type { SyncDirection } from '@/server/db/schema/synchronisations';
import {
  CONFLICT_POLICIES,
  SOURCES_OF_TRUTH,
  TARGET_ONLY_POLICIES,
  type SourceOfTruth,
  type TargetOnlyPolicy,
} from '@/server/sync/core/two-way/settings';
import type { SectionProps } from '../_lib/form-state';
import { CONFLICT_WORDS, SOURCE_OF_TRUTH_WORDS, TARGET_ONLY_WORDS } from '../_lib/two-way-words';
import type { TwoWayFields } from '../_lib/two-way-form';
import type { MappingItem } from '../_lib/types';
import { FormField, FormSection } from './form-field';
import { WriteBackFields } from './write-back-fields';

type TextName = 'matchSource' | 'matchTarget' | 'updatedAtSource' | 'updatedAtTarget';

export function TwoWaySection(props: SectionProps & { mappings: MappingItem[] }) {
  const { state, set, errorFor } = props;
  const t = state.twoWay;
  const change = (patch: Partial<TwoWayFields>) => set({ twoWay: { ...t, ...patch } });
  const text = (name: TextName, field: string, label: string, placeholder: string) => (
    <FormField label={label} error={errorFor(`twoWay.${field}`)}>
      <Input value={t[name]} placeholder={placeholder} onChange={(e) => change({ [name]: e.target.value })} />
    </FormField>
  );
  const twoWay = state.direction === 'two-way';
  return (
    <FormSection
      title="Direction"
      description="One way reads the source into the register. Two-way keeps both in step: a change on either side is copied to the other."
    >
      <FormField
        className="md:col-span-2"
        label="Direction"
        error={errorFor('direction')}
        hint={
          twoWay
            ? 'Both sides are listed whole on every run; each object has one contract that remembers both versions.'
            : 'The source is read and the register written; nothing is written to the source.'
        }
      >
        <Select
          className="w-full md:w-96"
          value={state.direction}
          onChange={(e) => set({ direction: e.target.value as SyncDirection })}
        >
          <option value="one-way">One way: source → register</option>
          <option value="two-way">Two-way: source ⇄ register</option>
        </Select>
      </FormField>
      {twoWay && (
        <>
          <fieldset className="space-y-2 md:col-span-2">
            <legend className="text-sm font-medium text-slate-700">When both sides changed</legend>
            {CONFLICT_POLICIES.map((policy) => (
              <label key={policy} className="flex items-start gap-2 text-sm text-slate-700">
                <input
                  type="radio"
                  name="conflictPolicy"
                  className="mt-0.5 h-4 w-4 border-slate-300"
                  checked={t.conflictPolicy === policy}
                  onChange={() => change({ conflictPolicy: policy })}
                />
                <span>
                  <span className="font-medium">{CONFLICT_WORDS[policy].label}</span>
                  <span className="block text-xs text-slate-500">{CONFLICT_WORDS[policy].explanation}</span>
                </span>
              </label>
            ))}
            {errorFor('twoWay.conflictPolicy') && (
              <p data-testid="field-error" className="text-xs font-medium text-red-700">
                {errorFor('twoWay.conflictPolicy')}
              </p>
            )}
          </fieldset>
          {t.conflictPolicy === 'newer-wins' && (
            <>
              {text('updatedAtSource', 'updatedAt.source', 'Updated-at field in the source', 'updatedAt')}
              {text('updatedAtTarget', 'updatedAt.target', 'Updated-at field in the register', 'updatedAt')}
            </>
          )}
          <FormField
            label="Source of truth"
            hint="Who is right when it cannot be told which version is newer."
            error={errorFor('twoWay.sourceOfTruth')}
          >
            <Select
              className="w-full"
              value={t.sourceOfTruth}
              onChange={(e) => change({ sourceOfTruth: e.target.value as SourceOfTruth })}
            >
              {SOURCES_OF_TRUTH.map((side) => (
                <option key={side} value={side}>
                  {SOURCE_OF_TRUTH_WORDS[side]}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField
            label="Objects only in the register"
            hint={TARGET_ONLY_WORDS[t.targetOnly].explanation}
            error={errorFor('twoWay.targetOnly')}
          >
            <Select
              className="w-full"
              value={t.targetOnly}
              onChange={(e) => change({ targetOnly: e.target.value as TargetOnlyPolicy })}
            >
              {TARGET_ONLY_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {TARGET_ONLY_WORDS[policy].label}
                </option>
              ))}
            </Select>
          </FormField>
          <p className="text-xs text-slate-500 md:col-span-2">
            Matching on the first run: objects both sides already hold are paired when these fields are equal,
            instead of being created twice (dot paths; empty: no matching).
          </p>
          {text('matchSource', 'match.source', 'Matching field in the source', 'email')}
          {text('matchTarget', 'match.target', 'Matching field in the register', 'email')}
          <WriteBackFields {...props} />
        </>
      )}
    </FormSection>
  );
}
