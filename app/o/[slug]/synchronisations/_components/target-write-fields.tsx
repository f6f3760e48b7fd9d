'use client';
// How a REST target is written beyond one request per object: updates as a PATCH of the changed fields,
// and batch endpoints for creates and updates.
import { Input, Select } from '@/app/_components/ui';
import type { SectionProps, TargetFields } from '../_lib/form-state';
import { FormField } from './form-field';

type TextName = {
  [K in keyof TargetFields]: TargetFields[K] extends string ? K : never;
}[keyof TargetFields];

export function TargetWriteFields({
  state,
  set,
  errorFor,
}: Pick<SectionProps, 'state' | 'set' | 'errorFor'>) {
  const target = (patch: Partial<TargetFields>) => set({ target: { ...state.target, ...patch } });
  const text = (name: TextName, field: string, label: string, hint: string, placeholder?: string) => (
    <FormField label={label} hint={hint} error={errorFor(`targetConfig.${field}`)}>
      <Input
        value={state.target[name]}
        placeholder={placeholder}
        onChange={(e) => target({ [name]: e.target.value })}
      />
    </FormField>
  );
  return (
    <>
      <label className="flex items-center gap-2 text-sm text-slate-700 md:col-span-2">
        <input
          type="checkbox"
          className="h-4 w-4 rounded border-slate-300"
          checked={state.target.sendChangedFields}
          onChange={(e) => target({ sendChangedFields: e.target.checked })}
        />
        Send only changed fields: an update is a PATCH with what changed since the last write (a removed field
        as null)
      </label>
      {text(
        'batchCreateEndpoint',
        'batch.createEndpoint',
        'Batch create endpoint (optional)',
        'Creates go here many at a time; a batch the API refuses is split to find the object it refuses.',
        '/people/batch',
      )}
      <FormField label="Batch create method" error={errorFor('targetConfig.batch.createMethod')}>
        <Select
          className="w-full"
          value={state.target.batchCreateMethod}
          onChange={(e) => target({ batchCreateMethod: e.target.value as TargetFields['batchCreateMethod'] })}
        >
          <option>POST</option>
          <option>PUT</option>
        </Select>
      </FormField>
      {text(
        'batchUpdateEndpoint',
        'batch.updateEndpoint',
        'Batch update endpoint (optional)',
        'Each object carries its target id under "Id in request body" (or id).',
      )}
      <FormField label="Batch update method" error={errorFor('targetConfig.batch.updateMethod')}>
        <Select
          className="w-full"
          value={state.target.batchUpdateMethod}
          onChange={(e) => target({ batchUpdateMethod: e.target.value as TargetFields['batchUpdateMethod'] })}
        >
          <option>POST</option>
          <option>PUT</option>
          <option>PATCH</option>
        </Select>
      </FormField>
      {text(
        'batchItemsKey',
        'batch.itemsKey',
        'Batch body key (optional)',
        'Send {"<key>": [...]}; empty sends a bare JSON array.',
        'items',
      )}
      {text(
        'batchResultsPath',
        'batch.resultsPath',
        'Batch results path (optional)',
        'Where the answer lists one result per object, in order; empty: the answer itself.',
        'results',
      )}
      {text(
        'batchErrorPath',
        'batch.errorPath',
        'Batch error path (optional)',
        'Where each result holds the target’s error for its object; a value there fails that object (a null result always does).',
        'error',
      )}
      {text('batchSize', 'batch.size', 'Objects per batch', 'From 2 to 1,000 (default 100).', '100')}
    </>
  );
}
