'use client';
// The form that creates a register (editors and up).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Card, ErrorText, Field, Input } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

export function RegisterCreate() {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation(
    trpc.registers.create.mutationOptions({
      onSuccess: () => {
        setName('');
        setDescription('');
        return queryClient.invalidateQueries({ queryKey: trpc.registers.list.queryKey() });
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ orgId: org.orgId, name, description });
  }

  return (
    <Card title="New register">
      <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_2fr_auto] sm:items-end">
        <Field label="Register name">
          <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </Field>
        <Field label="Register description">
          <Input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={2000}
            placeholder="Optional: what this register holds"
          />
        </Field>
        <Button type="submit" disabled={create.isPending || !name.trim()}>
          Create register
        </Button>
      </form>
      <div className="mt-2">
        <ErrorText>{create.error ? errorMessage(create.error) : null}</ErrorText>
      </div>
    </Card>
  );
}
