'use client';
// Creates or edits a source: name, enabled, and only the fields of its type. Secrets are write-only.
// Viewers see the same form, disabled and without buttons. Server errors show beside the form.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CheckedField, FieldErrors } from '@/app/_components/checked-field';
import { Badge, Button, Card, ErrorText, Input } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorIssues, errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { SourceType } from '@/server/db/schema';
import { addressChanged, isSecretParam } from '@/server/sync/config/source-secrets';
import {
  AUTH_SECRET,
  configOf,
  draftOf,
  isComplete,
  newSecretChanges,
  type Draft,
  type Source,
} from './draft';
import { FileFields, RegisterFields } from './other-fields';
import { RestFields, type SecretsState } from './rest-fields';
import type { SecretChange } from './secret-field';
import { SqlFields } from './sql-fields';
import { UnsavedTest } from './unsaved-test';

interface Props {
  type: SourceType;
  /** null: a new source. */
  source: Source | null;
  onSaved?: (source: Source) => void;
}

export function SourceForm({ type, source, onSaved }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const readOnly = !org.can('sources.write');
  const [draft, setDraft] = useState<Draft>(() => draftOf(source));
  const [changes, setChanges] = useState<Record<string, SecretChange>>({});
  const saved = (result: Source) => {
    setChanges({});
    // The secret headers and parameters just saved now show as set; rows without a value stay.
    setDraft((d) => ({
      ...d,
      rest: { ...d.rest, newSecrets: d.rest.newSecrets.filter((r) => !isComplete(r)) },
    }));
    void queryClient.invalidateQueries({ queryKey: trpc.sources.pathKey() });
    onSaved?.(result);
  };
  const create = useMutation(trpc.sources.create.mutationOptions({ onSuccess: saved }));
  const update = useMutation(trpc.sources.update.mutationOptions({ onSuccess: saved }));
  const mutation = source ? update : create;
  // Test connection before saving (new sources): its refusals show at the fields too.
  const test = useMutation(trpc.sources.testUnsaved.mutationOptions());
  const issues = mutation.error ? errorIssues(mutation.error) : test.error ? errorIssues(test.error) : [];

  const secretChanges = () => ({
    ...Object.fromEntries(
      Object.entries(changes).filter((entry): entry is [string, string | null] => entry[1] !== undefined),
    ),
    ...(type === 'rest' ? newSecretChanges(draft.rest.newSecrets) : {}),
  });
  const set = source?.secretsSet ?? [];
  // Settings that send the secrets to another address (origin, host, port): saving drops the saved
  // ones not entered again, and the form says so beside them.
  const moved = source !== null && addressChanged(type, source.config, configOf(type, draft, source.config));
  const given = secretChanges();
  const secrets: SecretsState = {
    set,
    changes,
    onChange: (name, change) => setChanges((current) => ({ ...current, [name]: change })),
    clearing: moved ? set.filter((name) => !(name in given)) : [],
  };
  const needed =
    type === 'rest' ? AUTH_SECRET[draft.rest.auth.type]?.name : type === 'sql' ? 'password' : undefined;
  const unused = secrets.set.filter((name) => name !== needed && !isSecretParam(name));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    test.reset();
    const common = {
      name: draft.name,
      enabled: draft.enabled,
      config: configOf(type, draft, source?.config),
    };
    if (source) update.mutate({ orgId: org.orgId, sourceId: source.id, ...common, secrets: secretChanges() });
    else create.mutate({ orgId: org.orgId, type, ...common, secrets: secretChanges() });
  }

  return (
    <Card title={source ? 'Settings' : 'New source'}>
      <FieldErrors issues={issues}>
        <form onSubmit={submit} aria-label="Source settings">
          <fieldset disabled={readOnly || mutation.isPending} className="space-y-4">
            <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end">
              <CheckedField name="name" label="Name">
                <Input
                  required
                  maxLength={100}
                  value={draft.name}
                  onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                />
              </CheckedField>
              <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  checked={draft.enabled}
                  onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })}
                />
                Enabled
              </label>
            </div>
            {type === 'rest' && (
              <RestFields
                rest={draft.rest}
                onChange={(rest) => setDraft({ ...draft, rest })}
                secrets={secrets}
              />
            )}
            {type === 'file' && (
              <FileFields file={draft.file} onChange={(file) => setDraft({ ...draft, file })} />
            )}
            {type === 'register' && (
              <RegisterFields
                register={draft.register}
                onChange={(register) => setDraft({ ...draft, register })}
              />
            )}
            {type === 'sql' && (
              <SqlFields sql={draft.sql} onChange={(sql) => setDraft({ ...draft, sql })} secrets={secrets} />
            )}
            {unused.length > 0 && (
              <div className="space-y-2 rounded-md bg-slate-50 p-3 text-sm text-slate-700">
                <p>Stored but not used by this authentication:</p>
                {unused.map((name) => (
                  <div key={name} className="flex items-center gap-2">
                    <code>{name}</code>
                    {changes[name] === null ? (
                      <Badge tone="red">will be removed when you save</Badge>
                    ) : (
                      <Button variant="ghost" onClick={() => secrets.onChange(name, null)}>
                        Remove
                      </Button>
                    )}
                  </div>
                ))}
              </div>
            )}
            {!source && !readOnly && (type === 'rest' || type === 'sql') && (
              <UnsavedTest
                type={type}
                test={test}
                request={() => {
                  mutation.reset();
                  return {
                    orgId: org.orgId,
                    type,
                    config: configOf(type, draft, undefined),
                    secrets: secretChanges(),
                  };
                }}
              />
            )}
            <ErrorText>{mutation.error ? errorMessage(mutation.error) : null}</ErrorText>
            {mutation.isSuccess && source && <p className="text-sm text-green-700">Saved.</p>}
            {!readOnly && (
              <Button type="submit" disabled={mutation.isPending}>
                {mutation.isPending ? 'Saving…' : source ? 'Save' : 'Create source'}
              </Button>
            )}
          </fieldset>
        </form>
      </FieldErrors>
    </Card>
  );
}
