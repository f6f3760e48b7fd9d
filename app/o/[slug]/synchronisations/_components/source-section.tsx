'use client';
// Where objects come from and how to read them: the source, the endpoint (for an SQL source its table
// or query, key column and page size), where the objects are in a response, their id, pagination, extra
// query/headers, conditions and hash fields — each only for the kinds of source that read it.
import { Input, Textarea } from '@/app/_components/ui';
import { readsSetting, type SyncSetting } from '@/server/sync/config/applicable';
import { csvIdField } from '@/server/sync/config/csv-id';
import { DEFAULT_MAX_PAGES } from '@/server/sync/core/pagination/config';
import type { SectionProps } from '../_lib/form-state';
import { rekeyHint, type SavedIdField } from '../_lib/rekey-hint';
import { checkConditions } from '../_lib/to-input';
import type { SourceItem } from '../_lib/types';
import { FormField, FormSection } from './form-field';
import { KeyValueEditor } from './key-value-editor';
import { PaginationFields } from './pagination-fields';
import { PickerField } from './picker-field';
import { SqlReadFields } from './sql-read-fields';
import { formatCount } from '@/app/_lib/format';

export function SourceSection(props: SectionProps & { sources: SourceItem[]; saved?: SavedIdField | null }) {
  const { state, set, errorFor, sources, kind, saved = null } = props;
  const reads = (setting: SyncSetting) => readsSetting(kind, setting);
  const rest = kind.type === 'rest';
  const sql = kind.type === 'sql';
  const conditions = checkConditions(state.conditions);
  // A CSV source's id column is chosen in its file's preview and saved on the source: shown, not asked.
  const chosen = sources.find((s) => s.id === state.sourceId);
  const csvColumn =
    chosen?.type === 'file' ? (chosen.config as { csv?: { idColumn?: string } }).csv?.idColumn : undefined;
  const csvId = chosen && csvColumn && csvIdField(chosen) ? csvColumn : null;
  return (
    <FormSection title="Source" description="Where the objects come from and how to read them.">
      <PickerField
        label="Source *"
        required
        items={sources}
        value={state.sourceId}
        onChange={(sourceId) => set({ sourceId })}
        none="Choose a source…"
        describe={(s) => `${s.name} (${s.type})`}
        error={errorFor('sourceId')}
        whenEmpty={{ what: 'source', plural: 'sources', href: '/sources' }}
      />
      {rest && (
        <FormField
          label="Endpoint"
          hint="Appended to the source’s base URL, e.g. /people?active=1"
          error={errorFor('sourceEndpoint')}
        >
          <Input
            value={state.sourceEndpoint}
            placeholder="/people"
            onChange={(e) => set({ sourceEndpoint: e.target.value })}
          />
        </FormField>
      )}
      {sql && <SqlReadFields {...props} />}
      {reads('resultsPosition') && (
        <FormField
          label="Results position"
          hint="A dot path to the list (data.items), _root for a top-level list, _object for one object; empty detects it."
          error={errorFor('sourceConfig.resultsPosition')}
        >
          <Input
            value={state.resultsPosition}
            placeholder="detect"
            onChange={(e) => set({ resultsPosition: e.target.value })}
          />
        </FormField>
      )}
      {csvId !== null ? (
        <FormField
          label="Id column"
          hint="Chosen in the file’s preview on the source’s page; change it there."
        >
          <p className="py-1.5 text-sm text-slate-800" data-testid="csv-id-column">
            <code>{csvId}</code>
          </p>
        </FormField>
      ) : (
        <FormField
          label="Id field"
          hint={
            (sql
              ? 'The column holding each row’s unique id, e.g. id.'
              : 'Dot path to each object’s unique id, e.g. id or @attributes.id.') +
            (rekeyHint(saved, state.sourceId, state.sourceIdField) ?? '')
          }
          error={errorFor('sourceConfig.sourceIdField', 'sourceIdField')}
        >
          <Input
            value={state.sourceIdField}
            placeholder="id"
            onChange={(e) => set({ sourceIdField: e.target.value })}
          />
        </FormField>
      )}
      {reads('pagination') && <PaginationFields {...props} />}
      {reads('maxPages') && (
        <FormField
          label="Max pages"
          hint={`A safety bound: a listing that reaches it stops incomplete and deletes nothing. Empty: the default, ${formatCount(DEFAULT_MAX_PAGES)} pages${sql ? ' of rows' : ''}.`}
          error={errorFor('sourceConfig.maxPages')}
        >
          <Input
            inputMode="numeric"
            value={state.maxPages}
            placeholder={`${formatCount(DEFAULT_MAX_PAGES)} (default)`}
            onChange={(e) => set({ maxPages: e.target.value })}
          />
        </FormField>
      )}
      <FormField
        label="Hash fields"
        hint="Only these fields decide whether an object changed (one per line); empty means all."
        error={errorFor('sourceConfig.hashFields', 'hashFields')}
      >
        <Textarea rows={2} value={state.hashFields} onChange={(e) => set({ hashFields: e.target.value })} />
      </FormField>
      {reads('query') && reads('headers') && (
        <>
          <KeyValueEditor
            label="Query parameters"
            rows={state.query}
            onChange={(query) => set({ query })}
            keyPlaceholder="status"
            valuePlaceholder="active"
            error={errorFor('sourceConfig.query')}
          />
          <KeyValueEditor
            label="Headers"
            rows={state.headers}
            onChange={(headers) => set({ headers })}
            keyPlaceholder="Accept-Language"
            valuePlaceholder="nl"
            error={errorFor('sourceConfig.headers')}
          />
        </>
      )}
      <FormField
        className="md:col-span-2"
        label="Conditions (JSON Logic)"
        hint={
          state.conditions.trim()
            ? 'Valid JSON Logic: only objects for which it is true are synchronised.'
            : 'Empty: every object. Example: {"==": [{"var": "status"}, "active"]}'
        }
        error={
          (conditions.ok ? null : conditions.message) ?? errorFor('sourceConfig.conditions', 'conditions')
        }
      >
        <Textarea
          rows={4}
          spellCheck={false}
          aria-invalid={!conditions.ok}
          value={state.conditions}
          placeholder='{"==": [{"var": "status"}, "active"]}'
          onChange={(e) => set({ conditions: e.target.value })}
        />
      </FormField>
    </FormSection>
  );
}
