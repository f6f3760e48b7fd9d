'use client';
// Creates or edits a schema: name, description and the JSON Schema, checked for JSON syntax as you
// type and by the server (is it a usable JSON Schema?) on save. Read-only for viewers.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '@/app/_components/dialogs';
import { JsonField } from '@/app/_components/json-field';
import { Button, Card, ErrorText, Field, Input, Select } from '@/app/_components/ui';
import { parseJsonText } from '@/app/_lib/json-text';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { SCHEMA_TEMPLATES, pretty } from '../_lib/schema-templates';
import type { SchemaRow } from '../_lib/types';
import { SchemaInference } from './schema-inference';

const fieldOf = (error: unknown) =>
  (error as { data?: { field?: string | null } } | null)?.data?.field ?? null;

export function SchemaEditor({ registerId, schema }: { registerId: string; schema?: SchemaRow }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = org.can('registers.write');
  const initialText = schema ? pretty(schema.jsonSchema) : pretty({ type: 'object', properties: {} });
  const [name, setName] = useState(schema?.name ?? '');
  const [description, setDescription] = useState(schema?.description ?? '');
  const [text, setText] = useState(initialText);
  const status = useMemo(() => parseJsonText(text), [text]);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.registers.pathKey() });
  const create = useMutation(
    trpc.registers.createSchema.mutationOptions({
      onSuccess: async (row) => {
        await invalidate();
        router.push(`/o/${org.slug}/registers/${registerId}/schemas/${row.id}`);
      },
    }),
  );
  const update = useMutation(trpc.registers.updateSchema.mutationOptions({ onSuccess: invalidate }));
  const save = schema ? update : create;
  const saveField = fieldOf(save.error);

  // A template chosen over a schema the person wrote waits for their yes in a dialog.
  const [pendingTemplate, setPendingTemplate] = useState<string | null>(null);
  function applyTemplate(label: string) {
    const template = SCHEMA_TEMPLATES.find((t) => t.label === label);
    if (!template) return;
    if (text.trim() !== initialText.trim()) setPendingTemplate(label);
    else setText(pretty(template.schema));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!status.ok) return;
    const input = { orgId: org.orgId, name, description, jsonSchema: status.value };
    if (schema) update.mutate({ ...input, schemaId: schema.id });
    else create.mutate({ ...input, registerId });
  }

  return (
    <Card title="Definition">
      <form onSubmit={submit} className="space-y-4">
        <div className="grid gap-3 sm:grid-cols-[1fr_2fr]">
          <Field label="Schema name">
            <Input value={name} onChange={(e) => setName(e.target.value)} readOnly={!canWrite} required />
          </Field>
          <Field label="Schema description">
            <Input
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              readOnly={!canWrite}
              maxLength={2000}
            />
          </Field>
        </div>
        {canWrite && (
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <ConfirmDialog
              open={pendingTemplate !== null}
              onOpenChange={(open) => !open && setPendingTemplate(null)}
              title="Replace the schema you wrote with the template?"
              description={`“${pendingTemplate ?? ''}” takes the place of the text in the editor.`}
              confirmLabel="Replace"
              onConfirm={() => {
                const template = SCHEMA_TEMPLATES.find((t) => t.label === pendingTemplate);
                if (template) setText(pretty(template.schema));
              }}
            />
            <Select
              aria-label="Start from a template"
              value=""
              onChange={(e) => applyTemplate(e.target.value)}
            >
              <option value="">Start from a template…</option>
              {SCHEMA_TEMPLATES.map((t) => (
                <option key={t.label}>{t.label}</option>
              ))}
            </Select>
            <Button
              variant="ghost"
              disabled={!status.ok}
              onClick={() => status.ok && setText(pretty(status.value))}
            >
              Format
            </Button>
          </div>
        )}
        {canWrite && !schema && <SchemaInference onSchema={(inferred) => setText(pretty(inferred))} />}
        <JsonField
          label="JSON Schema"
          value={text}
          onChange={setText}
          status={status}
          readOnly={!canWrite}
          rows={16}
        >
          {saveField === 'jsonSchema' && <ErrorText>{errorMessage(save.error)}</ErrorText>}
        </JsonField>
        {save.error && saveField !== 'jsonSchema' && <ErrorText>{errorMessage(save.error)}</ErrorText>}
        {canWrite && (
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={save.isPending || !status.ok || !name.trim()}>
              {schema ? 'Save schema' : 'Create schema'}
            </Button>
            {update.isSuccess && !update.isPending && <span className="text-sm text-green-700">Saved.</span>}
          </div>
        )}
      </form>
    </Card>
  );
}
