'use client';
// How a two-way synchronisation writes the register's changes back to its source: a REST source's
// create, update and delete requests, or an SQL source's table and key columns, and the mapping from the
// register's object to the source's shape. Empty fields follow the defaults, shown as placeholders.
import { Input, Select } from '@/app/_components/ui';
import { writeBackDefaults } from '@/server/sync/config/write-back';
import type { SectionProps } from '../_lib/form-state';
import type { WriteBackFields as Fields } from '../_lib/two-way-form';
import type { MappingItem } from '../_lib/types';
import { FormField } from './form-field';
import { PickerField } from './picker-field';

type TextName = 'createEndpoint' | 'updateEndpoint' | 'deleteEndpoint' | 'idPath' | 'table' | 'keyColumns';

export function WriteBackFields({
  state,
  set,
  errorFor,
  kind,
  mappings,
}: SectionProps & { mappings: MappingItem[] }) {
  const w = state.writeBack;
  const change = (patch: Partial<Fields>) => set({ writeBack: { ...w, ...patch } });
  const idField = state.sqlKeyColumn.trim() || state.sourceIdField.trim() || 'id';
  const sql = kind.type === 'sql';
  const text = (name: TextName, label: string, placeholder: string, hint?: string) => (
    <FormField label={label} hint={hint} error={errorFor(`writeBack.${name}`)}>
      <Input value={w[name]} placeholder={placeholder} onChange={(e) => change({ [name]: e.target.value })} />
    </FormField>
  );
  let fields;
  if (sql) {
    const defaults = writeBackDefaults('sql', state.sourceEndpoint, idField);
    fields = (
      <>
        {text(
          'table',
          defaults.table ? 'Write-back table' : 'Write-back table *',
          defaults.table ?? 'people',
          defaults.table
            ? 'Empty: the table the synchronisation reads.'
            : 'The source reads a query: name the table to write to.',
        )}
        {text('keyColumns', 'Write-back key columns', defaults.keyColumns.join(', '), 'Comma-separated.')}
        {state.deleteMode === 'soft' && (
          <FormField
            label="Soft delete column *"
            hint="Set when an object is deleted in the register (the deletion policy is soft)."
            error={errorFor('writeBack.softDelete.column', 'writeBack.softDelete')}
          >
            <Input
              value={w.softDeleteColumn}
              placeholder="deleted"
              onChange={(e) => change({ softDeleteColumn: e.target.value })}
            />
          </FormField>
        )}
      </>
    );
  } else {
    const defaults = writeBackDefaults('rest', state.sourceEndpoint, idField);
    fields = (
      <>
        {text('createEndpoint', 'Write-back create endpoint', defaults.createEndpoint)}
        <FormField label="Write-back create method" error={errorFor('writeBack.createMethod')}>
          <Select
            className="w-full"
            value={w.createMethod}
            onChange={(e) => change({ createMethod: e.target.value as Fields['createMethod'] })}
          >
            <option>POST</option>
            <option>PUT</option>
          </Select>
        </FormField>
        {text('updateEndpoint', 'Write-back update endpoint', defaults.updateEndpoint)}
        <FormField label="Write-back update method" error={errorFor('writeBack.updateMethod')}>
          <Select
            className="w-full"
            value={w.updateMethod}
            onChange={(e) => change({ updateMethod: e.target.value as Fields['updateMethod'] })}
          >
            <option>PUT</option>
            <option>PATCH</option>
            <option>POST</option>
          </Select>
        </FormField>
        {text(
          'deleteEndpoint',
          'Write-back delete endpoint',
          defaults.deleteEndpoint,
          '{{targetId}} is the object’s id in the source.',
        )}
        {text('idPath', 'Id in the create response', defaults.idPath, 'Where a created object’s id is.')}
      </>
    );
  }
  return (
    <>
      <p className="border-t border-slate-100 pt-3 text-sm font-medium text-slate-700 md:col-span-2">
        Writing back to the source
      </p>
      {fields}
      <PickerField
        label="Write-back mapping"
        items={mappings}
        value={state.writeBackMappingId}
        onChange={(writeBackMappingId) => set({ writeBackMappingId })}
        none="None: write the register’s object as it is"
        error={errorFor('writeBackMappingId')}
        hint="Turns the register’s object into the source’s shape before it is written back."
      />
    </>
  );
}
