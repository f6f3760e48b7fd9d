'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { Button, ErrorText, Field, Input } from '@/app/_components/ui';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { formText } from '@/app/_lib/form';

export function NewOrganisationForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(
    trpc.account.createOrganisation.mutationOptions({
      onSuccess: ({ orgSlug }) => router.replace(`/o/${orgSlug}`),
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name: formText(new FormData(event.currentTarget), 'name') });
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      <Field label="Name">
        <Input name="name" required maxLength={100} />
      </Field>
      <ErrorText>{create.error ? errorMessage(create.error) : null}</ErrorText>
      <Button type="submit" className="w-full" disabled={create.isPending}>
        Create organisation
      </Button>
    </form>
  );
}
