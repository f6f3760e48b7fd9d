'use client';
// Where an SQL target writes: the table, its key column(s), which columns take which fields, and how a
// row is marked deleted. With a register schema as the source, the CREATE TABLE for it is previewed
// here and created on request (never over an existing table).
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, ErrorText, Input, Notice, Textarea } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { SectionProps } from '../_lib/form-state';
import type { SqlTargetFields as Fields } from '../_lib/sql-target-form';
import { useDebounced } from '../_lib/use-debounced';
import { FormField } from './form-field';

interface Props extends SectionProps {
  /** The register schema the synchronisation reads, when its source is a register. */
  schemaId: string | null;
}

export function SqlTargetFields({ state, set, errorFor, schemaId }: Props) {
  const fields = state.sqlTarget;
  const change = (patch: Partial<Fields>) => set({ sqlTarget: { ...fields, ...patch } });
  const soft = state.deleteMode === 'soft' && state.writeMode !== 'mirror';
  const text = (name: keyof Fields, label: string, hint: string, placeholder?: string) => (
    <FormField label={label} hint={hint} error={errorFor(`targetConfig.${name}`)}>
      <Input
        value={fields[name]}
        placeholder={placeholder}
        onChange={(e) => change({ [name]: e.target.value })}
      />
    </FormField>
  );
  return (
    <>
      {text(
        'table',
        'Table *',
        'The table rows are written to: people, crm.people or "Mixed Case".',
        'people',
      )}
      {text(
        'keyColumns',
        'Key columns',
        'The primary key (or a unique index), comma-separated: rows are matched on it. Empty: id. A key the database gives (identity, serial, AUTO_INCREMENT) may be left out of the columns: new rows get theirs from it.',
        'id',
      )}
      <FormField
        className="md:col-span-2"
        label="Columns"
        hint="One per line: column = field (a dot path into the synchronised object), or just the column when the field has its name. Empty: every field of the object is the column of that name."
        error={errorFor('targetConfig.columns')}
      >
        <Textarea
          rows={3}
          spellCheck={false}
          value={fields.columns}
          placeholder={'id\nfull_name = name\ncity = address.city'}
          onChange={(e) => change({ columns: e.target.value })}
        />
      </FormField>
      {soft && (
        <div className="grid gap-3 rounded-md bg-slate-50 p-3 md:col-span-2 md:grid-cols-3">
          <FormField
            label="Soft delete column *"
            hint="Set when the object leaves the source (the deletion policy is soft)."
            error={errorFor('targetConfig.softDelete.column', 'targetConfig.softDelete')}
          >
            <Input
              value={fields.softDeleteColumn}
              placeholder="deleted_at"
              onChange={(e) => change({ softDeleteColumn: e.target.value })}
            />
          </FormField>
          <FormField
            label="Deleted value"
            hint="JSON or text; {{now}} is the moment of deletion."
            error={errorFor('targetConfig.softDelete.value')}
          >
            <Input
              value={fields.softDeleteValue}
              onChange={(e) => change({ softDeleteValue: e.target.value })}
            />
          </FormField>
          <FormField
            label="Active value"
            hint="Written with every create and update (optional), so a row that comes back is no longer marked."
            error={errorFor('targetConfig.softDelete.activeValue')}
          >
            <Input
              value={fields.softDeleteActiveValue}
              placeholder="null"
              onChange={(e) => change({ softDeleteActiveValue: e.target.value })}
            />
          </FormField>
        </div>
      )}
      <CreateTable sourceId={state.targetSourceId} schemaId={schemaId} fields={fields} />
    </>
  );
}

/** The CREATE TABLE for the source's register schema, and the button that runs it. */
function CreateTable({
  sourceId,
  schemaId,
  fields,
}: {
  sourceId: string;
  schemaId: string | null;
  fields: Fields;
}) {
  const trpc = useTRPC();
  const org = useOrg();
  const table = useDebounced(fields.table.trim());
  const keyText = useDebounced(fields.keyColumns);
  const keyColumns = keyText
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const input = {
    orgId: org.orgId,
    sourceId,
    schemaId: schemaId ?? '',
    table,
    keyColumns: keyColumns.length ? keyColumns : ['id'],
  };
  const ready = !!schemaId && !!sourceId && table !== '';
  const preview = useQuery({
    ...trpc.sources.sqlTablePreview.queryOptions(input),
    enabled: ready,
    retry: false,
  });
  const create = useMutation(trpc.sources.createSqlTable.mutationOptions());
  if (!schemaId) {
    return (
      <p className="text-xs text-slate-500 md:col-span-2">
        With a register schema as the source, Concord can create the table from the schema here.
      </p>
    );
  }
  return (
    <div className="space-y-2 md:col-span-2">
      <p className="text-sm font-medium text-slate-700">Create the table from the register schema</p>
      {!ready ? (
        <p className="text-xs text-slate-500">Name the table to see the statement that would create it.</p>
      ) : preview.error ? (
        <ErrorText>{errorMessage(preview.error)}</ErrorText>
      ) : (
        <pre
          data-testid="sql-ddl"
          className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100"
        >
          {preview.data?.statement ?? 'Preparing the statement…'}
        </pre>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="secondary"
          disabled={!ready || !preview.data || create.isPending}
          onClick={() => create.mutate(input)}
        >
          {create.isPending ? 'Creating…' : 'Create table'}
        </Button>
        <span className="text-xs text-slate-500">
          Runs this statement in the target database now; an existing table is left alone.
        </span>
      </div>
      {create.data && (
        <Notice>
          Created the table {table} in {create.data.database}.
        </Notice>
      )}
      <ErrorText>{create.error ? errorMessage(create.error) : null}</ErrorText>
    </div>
  );
}
