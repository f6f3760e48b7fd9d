'use client';
// Creates or edits a mapping: name, the editor (form or JSON) and the live test bench side by side;
// saving shows the server's validation problems. Viewers see it read-only and can still try samples.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Button, ErrorText, Field, Input, PageHeader } from '@/app/_components/ui';
import { parseJsonObject } from '@/app/_lib/json-text';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { configFromDraft, draftFromConfig, emptyDraft, type Draft } from '../_lib/draft';
import { DEFAULT_SAMPLE, type MappingRow } from '../_lib/types';
import { usePreview } from '../_lib/use-preview';
import { MappingEditor, type Mode } from './mapping-editor';
import { TestBench } from './test-bench';

export function MappingWorkbench({ mapping }: { mapping?: MappingRow }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const readOnly = !org.can('mappings.write');
  const [name, setName] = useState(mapping?.name ?? '');
  const [description, setDescription] = useState(mapping?.description ?? '');
  const [draft, setDraft] = useState<Draft>(() => draftFromConfig(mapping?.config) ?? emptyDraft());
  const [mode, setMode] = useState<Mode>('form');
  const [modeError, setModeError] = useState<string | null>(null);
  const [rawText, setRawText] = useState('');
  const [sampleText, setSampleText] = useState(DEFAULT_SAMPLE);
  // The register schema the mapped sample is checked against; '' for none.
  const [schemaId, setSchemaId] = useState('');

  const rawStatus = useMemo(() => parseJsonObject(rawText), [rawText]);
  const sampleStatus = useMemo(() => parseJsonObject(sampleText), [sampleText]);
  const config: unknown =
    mode === 'form' ? configFromDraft(draft) : rawStatus.ok ? rawStatus.value : undefined;
  const sample = sampleStatus.ok ? (sampleStatus.value as Record<string, unknown>) : null;
  const preview = usePreview(config, sample, schemaId || undefined);
  const problems = preview.result && !preview.result.ok ? preview.result.problems : [];

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.mappings.pathKey() });
  const create = useMutation(
    trpc.mappings.create.mutationOptions({
      onSuccess: async (row) => {
        await refresh();
        router.push(`/o/${org.slug}/mappings/${row.id}`);
      },
    }),
  );
  const update = useMutation(trpc.mappings.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.mappings.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        router.push(`/o/${org.slug}/mappings`);
      },
    }),
  );
  const save = mapping ? update : create;

  function switchMode(next: Mode) {
    setModeError(null);
    if (next === mode) return;
    if (next === 'json') {
      setRawText(JSON.stringify(configFromDraft(draft), null, 2));
      setMode('json');
      return;
    }
    if (!rawStatus.ok) return setModeError('Fix the JSON first: the form needs a configuration it can read.');
    const fromJson = draftFromConfig(rawStatus.value);
    if (!fromJson) return setModeError('This JSON is not a mapping configuration; the test bench says why.');
    setDraft(fromJson);
    setMode('form');
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (config === undefined) return;
    if (mapping) update.mutate({ orgId: org.orgId, mappingId: mapping.id, name, description, config });
    else create.mutate({ orgId: org.orgId, name, description, config });
  }

  const deleteButton = mapping && !readOnly && (
    <ConfirmButton
      variant="danger"
      disabled={remove.isPending}
      title={`Delete the mapping ${mapping.name}?`}
      confirmLabel="Delete mapping"
      onConfirm={() => remove.mutate({ orgId: org.orgId, mappingId: mapping.id })}
    >
      Delete mapping
    </ConfirmButton>
  );

  return (
    <form onSubmit={submit}>
      <PageHeader
        title={mapping ? mapping.name : 'New mapping'}
        description="Turns each source object into the object the target expects. Try it on a sample as you edit."
        actions={deleteButton}
      />
      <ErrorText>{remove.error ? errorMessage(remove.error) : null}</ErrorText>
      <div className="mb-4 grid gap-3 sm:grid-cols-[1fr_2fr]">
        <Field label="Mapping name">
          <Input value={name} onChange={(e) => setName(e.target.value)} readOnly={readOnly} required />
        </Field>
        <Field label="Mapping description">
          <Input value={description} onChange={(e) => setDescription(e.target.value)} readOnly={readOnly} />
        </Field>
      </div>
      <div className="grid items-start gap-6 xl:grid-cols-2">
        <div className="space-y-4">
          <MappingEditor
            {...{ mode, modeError, draft, rawText, rawStatus, problems, readOnly }}
            onMode={switchMode}
            onDraft={(patch) => setDraft((d) => ({ ...d, ...patch }))}
            onRawText={setRawText}
          />
          {!readOnly && (
            <div className="space-y-2">
              <ErrorText>{save.error ? errorMessage(save.error) : null}</ErrorText>
              <div className="flex items-center gap-3">
                <Button type="submit" disabled={save.isPending || config === undefined || !name.trim()}>
                  {mapping ? 'Save mapping' : 'Create mapping'}
                </Button>
                {update.isSuccess && <span className="text-sm text-green-700">Saved.</span>}
              </div>
            </div>
          )}
        </div>
        <div className="xl:sticky xl:top-4">
          <TestBench
            sampleText={sampleText}
            onSampleText={setSampleText}
            sampleStatus={sampleStatus}
            configProblem={
              config === undefined && !rawStatus.ok
                ? `The configuration is not valid JSON: ${rawStatus.message}`
                : null
            }
            preview={preview}
            schemaId={schemaId}
            onSchemaId={setSchemaId}
          />
        </div>
      </div>
    </form>
  );
}
