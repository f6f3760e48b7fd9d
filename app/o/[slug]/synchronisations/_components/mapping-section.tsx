'use client';
// How source objects become target objects: a mapping (or none: as they come), and nested objects
// (order lines, addresses) synchronised with contracts of their own.
import Link from 'next/link';
import { Button, Input } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import type { SectionProps, SubObjectRow } from '../_lib/form-state';
import type { MappingItem } from '../_lib/types';
import { FormField, FormSection } from './form-field';
import { PickerField } from './picker-field';

export function MappingSection({
  state,
  set,
  errorFor,
  mappings,
}: SectionProps & { mappings: MappingItem[] }) {
  const org = useOrg();
  const update = (i: number, patch: Partial<SubObjectRow>) =>
    set({ subObjects: state.subObjects.map((row, j) => (j === i ? { ...row, ...patch } : row)) });
  return (
    <FormSection title="Mapping" description="How each source object is turned into a target object.">
      <PickerField
        label="Mapping"
        items={mappings}
        value={state.mappingId}
        onChange={(mappingId) => set({ mappingId })}
        none="None (objects as they come)"
        error={errorFor('mappingId', 'mapping')}
        hint={
          <>
            None writes objects as they come.{' '}
            <Link className="text-indigo-700 hover:underline" href={`/o/${org.slug}/mappings`}>
              Mappings
            </Link>
          </>
        }
      />
      <div className="space-y-2 md:col-span-2">
        <span className="text-sm font-medium text-slate-700">Nested objects</span>
        <p className="text-xs text-slate-500">
          Lists inside each object (e.g. lines) synchronised as objects of their own into the same target.
        </p>
        {state.subObjects.map((row, i) => (
          <div key={i} className="grid items-end gap-2 sm:grid-cols-[1fr_1fr_1fr_auto]">
            <FormField
              label="Path"
              error={errorFor(`sourceConfig.subObjects.${i}.path`, `subObjects[${i}].path`)}
            >
              <Input
                value={row.path}
                placeholder="lines"
                onChange={(e) => update(i, { path: e.target.value })}
              />
            </FormField>
            <FormField
              label="Id field"
              error={errorFor(`sourceConfig.subObjects.${i}.idField`, `subObjects[${i}].idField`)}
            >
              <Input
                value={row.idField}
                placeholder="id"
                onChange={(e) => update(i, { idField: e.target.value })}
              />
            </FormField>
            <PickerField
              label="Mapping"
              items={mappings}
              value={row.mappingId}
              onChange={(mappingId) => update(i, { mappingId })}
              none="None"
              error={errorFor(`sourceConfig.subObjects.${i}.mappingId`)}
            />
            <Button
              variant="ghost"
              aria-label={`Remove nested objects ${i + 1}`}
              onClick={() => set({ subObjects: state.subObjects.filter((_, j) => j !== i) })}
            >
              ✕
            </Button>
          </div>
        ))}
        <Button
          variant="secondary"
          onClick={() =>
            set({ subObjects: [...state.subObjects, { path: '', idField: 'id', mappingId: '' }] })
          }
        >
          Add nested objects
        </Button>
      </div>
    </FormSection>
  );
}
