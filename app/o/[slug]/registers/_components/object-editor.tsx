'use client';
// Creates or edits a register object: a form generated from the schema's flat properties beside a JSON
// editor of the whole object — one draft, either way. The server checks it against the JSON Schema and
// each problem shows at its field. An edit saves over the version it was opened at: a change someone
// made meanwhile is refused, not overwritten.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Tabs } from 'radix-ui';
import { useMemo, useState, type FormEvent } from 'react';
import { JsonField } from '@/app/_components/json-field';
import { Button, ErrorText, Field, Input, Select } from '@/app/_components/ui';
import { problemsAt } from '@/app/_lib/field-errors';
import { parseJsonObject } from '@/app/_lib/json-text';
import { useOrg } from '@/app/_lib/org-context';
import { errorIssues, useTRPC } from '@/app/_lib/trpc';
import {
  fieldText,
  fieldValue,
  formFields,
  otherProperties,
  withField,
  type FormField,
} from '../_lib/object-form';

interface Props {
  schemaId: string;
  jsonSchema: Record<string, unknown>;
  /** The object to edit; none to create one. */
  object?: { id: string; version: number; data: Record<string, unknown> };
  onDone: () => void;
}

const pretty = (data: unknown) => JSON.stringify(data, null, 2);

const TAB =
  'rounded-md px-3 py-1 text-slate-600 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 data-[state=active]:bg-indigo-50 data-[state=active]:font-medium data-[state=active]:text-indigo-800';

export function ObjectEditor({ schemaId, jsonSchema, object, onDone }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const fields = useMemo(() => formFields(jsonSchema), [jsonSchema]);
  const [data, setData] = useState<Record<string, unknown>>(object?.data ?? {});
  const [mode, setMode] = useState<'form' | 'json'>(fields.length > 0 ? 'form' : 'json');
  const [text, setText] = useState(pretty(object?.data ?? {}));
  const status = useMemo(() => parseJsonObject(text), [text]);
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.registers.pathKey() });
    onDone();
  };
  const create = useMutation(trpc.registers.createObject.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.registers.updateObject.mutationOptions({ onSuccess: done }));
  const save = object ? update : create;
  const issues = errorIssues(save.error);
  const shownAt = new Set(fields.map((f) => `data.${f.name}`));
  const elsewhere = issues.filter((i) => mode === 'json' || !shownAt.has(i.field)).map((i) => i.message);

  function switchTo(next: 'form' | 'json') {
    if (next === 'json') setText(pretty(data));
    else if (!status.ok) return;
    setMode(next);
  }

  function editJson(next: string) {
    setText(next);
    const parsed = parseJsonObject(next);
    if (parsed.ok) setData(parsed.value as Record<string, unknown>);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mode === 'json' && !status.ok) return;
    if (object) update.mutate({ orgId: org.orgId, objectId: object.id, version: object.version, data });
    else create.mutate({ orgId: org.orgId, schemaId, data });
  }

  const others = otherProperties(data, fields);
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={object ? 'Edit object' : 'New object'}>
      <Tabs.Root
        value={mode}
        onValueChange={(next) => switchTo(next as 'form' | 'json')}
        activationMode="manual"
        className="space-y-4"
      >
        <Tabs.List aria-label="Edit the object as" className="flex gap-2 text-sm">
          <Tabs.Trigger value="form" disabled={fields.length === 0} className={TAB}>
            Form
          </Tabs.Trigger>
          <Tabs.Trigger value="json" className={TAB}>
            JSON
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="form">
          <div className="grid gap-3 sm:grid-cols-2">
            {fields.map((field) => (
              <FormInput
                key={field.name}
                field={field}
                value={data[field.name]}
                error={problemsAt(issues, [`data.${field.name}`])}
                onChange={(value) => setData((d) => withField(d, field.name, value))}
              />
            ))}
            {others.length > 0 && (
              <p className="text-xs text-slate-500 sm:col-span-2">
                Also in this object, edited as JSON: {others.join(', ')}.
              </p>
            )}
          </div>
        </Tabs.Content>
        <Tabs.Content value="json">
          <JsonField label="The object as JSON" value={text} onChange={editJson} status={status} rows={12} />
        </Tabs.Content>
      </Tabs.Root>
      <ErrorText>{elsewhere.length ? elsewhere.join(' ') : null}</ErrorText>
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending || (mode === 'json' && !status.ok)}>
          {save.isPending ? 'Saving…' : object ? 'Save changes' : 'Create object'}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function FormInput({
  field,
  value,
  error,
  onChange,
}: {
  field: FormField;
  value: unknown;
  error: string | null;
  onChange: (value: unknown) => void;
}) {
  const label = `${field.label}${field.required ? ' *' : ''}`;
  // The field keeps what was typed ("1." on the way to "1.5"); the draft gets its value. The form is
  // mounted afresh after the JSON editor, so the text starts from the draft each time.
  const [text, setText] = useState(() => fieldText(field, value));
  const set = (next: string) => {
    setText(next);
    onChange(fieldValue(field, next));
  };
  if (field.kind === 'boolean' || field.kind === 'choice') {
    const options =
      field.kind === 'boolean'
        ? [
            { value: 'true', label: 'yes' },
            { value: 'false', label: 'no' },
          ]
        : (field.options ?? []).map((o) => ({ value: JSON.stringify(o), label: String(o) }));
    return (
      <Field label={label} hint={field.description} error={error}>
        <Select value={text} onChange={(e) => set(e.target.value)} className="block w-full">
          <option value="">—</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </Field>
    );
  }
  return (
    <Field label={label} hint={field.description} error={error}>
      <Input
        value={text}
        inputMode={field.kind === 'text' ? undefined : 'decimal'}
        aria-invalid={error ? true : undefined}
        onChange={(e) => set(e.target.value)}
      />
    </Field>
  );
}
