'use client';
// Selected ids: limit the synchronisation to a list of origin ids, pasted or read from a text/CSV file.
// For a REST source the path of one object lets Concord fetch just those; an SQL source looks them
// up by its id column; any other source is listed and filtered.
import { useState } from 'react';
import { Input, Textarea } from '@/app/_components/ui';
import type { SectionProps } from '../_lib/form-state';
import { countIds, idsFromFile } from '../_lib/id-list';
import { FormField, FormSection } from './form-field';

function howRead(kind: SectionProps['kind'], objectEndpoint: string): string {
  if (kind.type === 'rest')
    return objectEndpoint.trim()
      ? 'Each selected id is fetched on its own from the path of one object; nothing else is listed.'
      : 'Without a path of one object, the whole listing is read and only the selected ids are kept.';
  if (kind.type === 'sql')
    return 'Only the rows whose id column holds a selected id are read (WHERE id IN …).';
  return 'The whole source is read and only the selected ids are kept.';
}

export function SelectionSection({ state, kind, set, errorFor }: SectionProps) {
  const [fileNote, setFileNote] = useState<string | null>(null);
  const count = countIds(state.selectedIds);

  async function readFile(file: File) {
    try {
      const ids = idsFromFile(file.name, await file.text(), state.sourceIdField || 'id');
      set({ selectedIds: ids.join('\n') });
      setFileNote(`${ids.length} id${ids.length === 1 ? '' : 's'} read from ${file.name}.`);
    } catch (error) {
      setFileNote(
        `${file.name} could not be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  return (
    <FormSection
      title="Selected ids"
      description="Limit this synchronisation to some objects. Objects outside the selection are never written or deleted; a selected id the source no longer has may be deleted under the usual rules."
    >
      <FormField
        className="md:col-span-2"
        label="Selected ids (one per line)"
        hint={
          count === 0 ? 'Empty: every object.' : `${count} selected. ${howRead(kind, state.objectEndpoint)}`
        }
        error={errorFor('sourceConfig.selectedIds')}
      >
        <Textarea
          rows={4}
          spellCheck={false}
          value={state.selectedIds}
          placeholder={'1042\n1043'}
          onChange={(e) => set({ selectedIds: e.target.value })}
        />
      </FormField>
      <FormField
        label="Or read them from a file"
        hint={
          fileNote ??
          'A text file with one id per line, or a CSV file (the first column; a header naming the id field is skipped).'
        }
      >
        <input
          type="file"
          accept=".txt,.csv,.tsv,text/plain,text/csv"
          className="block text-sm"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void readFile(file);
            e.target.value = '';
          }}
        />
      </FormField>
      {kind.type === 'rest' && (
        <FormField
          label="Path of one object"
          hint="Relative to the source's base URL, with {{id}} where the id goes, e.g. /items/{{id}}."
          error={errorFor('sourceConfig.objectEndpoint')}
        >
          <Input
            value={state.objectEndpoint}
            spellCheck={false}
            placeholder="/items/{{id}}"
            onChange={(e) => set({ objectEndpoint: e.target.value })}
          />
        </FormField>
      )}
    </FormSection>
  );
}
