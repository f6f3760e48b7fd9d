'use client';
// The person's name (what members of their organisations see) beside the email they sign in with.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { Button, Card, ErrorText, Field, Input, Loading } from '@/app/_components/ui';
import { useToast } from '@/app/_components/toasts';
import { formText } from '@/app/_lib/form';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

export function ProfileForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const own = useQuery(trpc.account.own.queryOptions());
  const rename = useMutation(
    trpc.account.rename.mutationOptions({
      onSuccess: async () => {
        toast('Your name was saved.');
        await queryClient.invalidateQueries({ queryKey: trpc.account.own.queryKey() });
        router.refresh();
      },
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ name: formText(new FormData(event.currentTarget), 'name') });
  }
  return (
    <Card title="Profile">
      {own.data ? (
        <form onSubmit={submit} className="space-y-4">
          <Field label="Name">
            <Input name="name" autoComplete="name" required maxLength={100} defaultValue={own.data.name} />
          </Field>
          <Field label="Email" hint="You sign in with this address.">
            <Input value={own.data.email} readOnly disabled />
          </Field>
          <ErrorText>{rename.error ? errorMessage(rename.error) : null}</ErrorText>
          <Button type="submit" disabled={rename.isPending}>
            Save name
          </Button>
        </form>
      ) : (
        <ErrorText>{own.error ? errorMessage(own.error) : null}</ErrorText>
      )}
      {own.isPending && <Loading what="your account" />}
    </Card>
  );
}
