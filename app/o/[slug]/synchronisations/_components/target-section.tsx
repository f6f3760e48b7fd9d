'use client';
// Where objects go: a register schema, a REST source written to with create/update/delete endpoints, or
// an SQL source's table (sql-target-fields.tsx).
import { Input, Select } from '@/app/_components/ui';
import type { SectionProps, TargetFields } from '../_lib/form-state';
import type { MappingItem, RegisterItem, SourceItem } from '../_lib/types';
import { FormField, FormSection } from './form-field';
import { PickerField } from './picker-field';
import { SqlTargetFields } from './sql-target-fields';
import { TargetWriteFields } from './target-write-fields';
import { SharedSchemaNotice } from './shared-schema-notice';

interface Props extends SectionProps {
  registers: RegisterItem[];
  sources: SourceItem[];
  mappings: MappingItem[];
}

const ENDPOINT_HINT =
  'Relative to the source’s base URL; {{targetId}}, {{originId}} and {{object.field}} are filled in.';

export function TargetSection({ state, set, errorFor, kind, registers, sources, mappings }: Props) {
  const schemas = registers.find((r) => r.id === state.targetRegisterId)?.schemas ?? [];
  const writable = sources.filter((s) => s.type === 'rest' || s.type === 'sql');
  const sqlTarget = sources.find((s) => s.id === state.targetSourceId)?.type === 'sql';
  // A register source's schema: an SQL target can have its table made from it.
  const from = sources.find((s) => s.id === state.sourceId);
  const fromSchema = from?.type === 'register' ? (from.config as { schemaId?: string }).schemaId : undefined;
  const target = (patch: Partial<TargetFields>) => set({ target: { ...state.target, ...patch } });
  type TextName = {
    [K in keyof TargetFields]: TargetFields[K] extends string ? K : never;
  }[keyof TargetFields];
  const text = (name: TextName, label: string, hint?: string) => (
    <FormField label={label} hint={hint} error={errorFor(`targetConfig.${name}`)}>
      <Input value={state.target[name]} onChange={(e) => target({ [name]: e.target.value })} />
    </FormField>
  );
  return (
    <FormSection title="Target" description="Where the synchronised objects are written.">
      <FormField label="Write to" className="md:col-span-2" error={errorFor('targetType')}>
        <Select
          className="w-full"
          value={state.targetType}
          onChange={(e) => set({ targetType: e.target.value as 'register' | 'source' })}
        >
          <option value="register">A register schema in Concord</option>
          <option value="source">A REST API or SQL database (a source)</option>
        </Select>
      </FormField>
      {state.targetType === 'register' ? (
        <>
          <PickerField
            label="Register *"
            items={registers}
            value={state.targetRegisterId}
            onChange={(targetRegisterId) => set({ targetRegisterId, targetSchemaId: '' })}
            none="Choose a register…"
            error={errorFor('targetRegisterId')}
            whenEmpty={{ what: 'register', plural: 'registers', href: '/registers' }}
          />
          <PickerField
            label="Schema *"
            items={schemas}
            value={state.targetSchemaId}
            disabled={!state.targetRegisterId}
            onChange={(targetSchemaId) => set({ targetSchemaId })}
            none={state.targetRegisterId ? 'Choose a schema…' : 'Choose a register first'}
            error={errorFor('targetSchemaId')}
          />
          {state.enabled && <SharedSchemaNotice schemaId={state.targetSchemaId || null} />}
        </>
      ) : (
        <>
          <PickerField
            label="Target source *"
            items={writable}
            describe={(s) => `${s.name} (${s.type})`}
            value={state.targetSourceId}
            onChange={(targetSourceId) => set({ targetSourceId })}
            none="Choose a REST or SQL source…"
            error={errorFor('targetSourceId')}
            hint="REST and SQL sources can be written to."
          />
          <PickerField
            label={sqlTarget ? 'Target mapping (row)' : 'Target mapping (request body)'}
            items={mappings}
            value={state.targetMappingId}
            onChange={(targetMappingId) => set({ targetMappingId })}
            none="None: send the object as it is"
            error={errorFor('targetMappingId')}
            hint={
              sqlTarget
                ? 'Turns each synchronised object (what the Mapping above made of the source object) into the row: its fields are the columns.'
                : 'Turns each synchronised object (what the Mapping above made of the source object) into the body this API expects, on create and update.'
            }
          />
          {sqlTarget ? (
            <SqlTargetFields
              state={state}
              set={set}
              errorFor={errorFor}
              kind={kind}
              schemaId={fromSchema ?? null}
            />
          ) : (
            <>
              {text('createEndpoint', 'Create endpoint', ENDPOINT_HINT)}
              <FormField label="Create method" error={errorFor('targetConfig.createMethod')}>
                <Select
                  className="w-full"
                  value={state.target.createMethod}
                  onChange={(e) => target({ createMethod: e.target.value as TargetFields['createMethod'] })}
                >
                  <option>POST</option>
                  <option>PUT</option>
                </Select>
              </FormField>
              {text('updateEndpoint', 'Update endpoint', ENDPOINT_HINT)}
              <FormField label="Update method" error={errorFor('targetConfig.updateMethod')}>
                <Select
                  className="w-full"
                  value={state.target.updateMethod}
                  onChange={(e) => target({ updateMethod: e.target.value as TargetFields['updateMethod'] })}
                >
                  <option>PUT</option>
                  <option>PATCH</option>
                  <option>POST</option>
                </Select>
              </FormField>
              {text('deleteEndpoint', 'Delete endpoint', ENDPOINT_HINT)}
              {text('idPath', 'Id path', 'Where the new object’s id is in the create response.')}
              {text(
                'idInRequestBody',
                'Id in request body',
                'Put the target id into update bodies under this key (optional).',
              )}
              {text(
                'errorPath',
                'Error path (optional)',
                'For an API that answers 200 with an error, such as {"success": false, "error": "…"}: where that error is. A value there refuses the write with it.',
              )}
              <TargetWriteFields state={state} set={set} errorFor={errorFor} />
            </>
          )}
        </>
      )}
    </FormSection>
  );
}
