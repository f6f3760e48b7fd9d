'use client';
// One register: its schemas (links to their pages), and rename/delete for editors.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Button, Card, ErrorText, Field, Input } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { RegisterItem } from '../_lib/types';

export function RegisterCard({ register }: { register: RegisterItem }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const canWrite = org.can('registers.write');
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(register.name);
  const [description, setDescription] = useState(register.description);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.registers.list.queryKey() });
  const update = useMutation(
    trpc.registers.update.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        return refresh();
      },
    }),
  );
  const remove = useMutation(trpc.registers.delete.mutationOptions({ onSuccess: refresh }));
  const base = `/o/${org.slug}/registers/${register.id}/schemas`;

  function save(event: FormEvent) {
    event.preventDefault();
    update.mutate({ orgId: org.orgId, registerId: register.id, name, description });
  }

  const actions = canWrite && !editing && (
    <div className="flex gap-2">
      <Button variant="ghost" onClick={() => setEditing(true)}>
        Rename
      </Button>
      <ConfirmButton
        variant="danger"
        disabled={remove.isPending}
        title={`Delete the register ${register.name} with its schemas and objects?`}
        confirmLabel="Delete register"
        onConfirm={() => remove.mutate({ orgId: org.orgId, registerId: register.id })}
      >
        Delete
      </ConfirmButton>
    </div>
  );

  return (
    <div data-testid={`register-${register.name}`}>
      <Card title={register.name} actions={actions}>
        {editing ? (
          <form onSubmit={save} className="mb-4 grid gap-3 sm:grid-cols-[1fr_2fr_auto_auto] sm:items-end">
            <Field label="Name">
              <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
            </Field>
            <Field label="Description">
              <Input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
            </Field>
            <Button type="submit" disabled={update.isPending || !name.trim()}>
              Save
            </Button>
            <Button variant="secondary" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          register.description && <p className="mb-3 text-sm text-slate-600">{register.description}</p>
        )}
        <ErrorText>
          {update.error ? errorMessage(update.error) : remove.error ? errorMessage(remove.error) : null}
        </ErrorText>
        <h3 className="mb-2 mt-1 text-xs font-semibold uppercase text-slate-500">Schemas</h3>
        {register.schemas.length === 0 ? (
          <p className="text-sm text-slate-600">
            No schemas yet. {canWrite ? 'Add one to describe the objects this register holds.' : ''}
          </p>
        ) : (
          <ul className="flex flex-wrap gap-2">
            {register.schemas.map((schema) => (
              <li key={schema.id}>
                <Link
                  href={`${base}/${schema.id}`}
                  className="inline-block rounded-md bg-indigo-50 px-3 py-1 text-sm font-medium text-indigo-800 hover:bg-indigo-100"
                >
                  {schema.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
        {canWrite && (
          <Link
            href={`${base}/new`}
            className="mt-3 inline-block text-sm font-medium text-indigo-700 hover:underline"
          >
            + New schema
          </Link>
        )}
      </Card>
    </div>
  );
}
