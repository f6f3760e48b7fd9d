'use client';
// Changing the password: the current one, the new one twice. Success signs out every other browser
// (the server ends their sessions); this one stays signed in. An account that signs in through single
// sign-on has no password here: its identity provider manages it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Card, ErrorText, Field, Input, Notice } from '@/app/_components/ui';
import { problemsAt } from '@/app/_lib/field-errors';
import { formText } from '@/app/_lib/form';
import { errorIssues, useTRPC } from '@/app/_lib/trpc';

const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;

export function ChangePassword() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const own = useQuery(trpc.account.own.queryOptions());
  const [done, setDone] = useState<string | null>(null);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: async ({ endedSessions }) => {
        setDone(
          endedSessions === 0
            ? 'Your password was changed.'
            : `Your password was changed, and ${endedSessions} other session${endedSessions === 1 ? ' was' : 's were'} signed out.`,
        );
        await queryClient.invalidateQueries({ queryKey: trpc.account.own.queryKey() });
      },
    }),
  );
  const issues = errorIssues(change.error);
  const elsewhere = issues.filter((i) => !FIELDS.some((f) => f === i.field)).map((i) => i.message);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    const form = event.currentTarget;
    const data = new FormData(form);
    change.mutate(
      {
        currentPassword: formText(data, 'currentPassword'),
        newPassword: formText(data, 'newPassword'),
        confirmPassword: formText(data, 'confirmPassword'),
      },
      { onSuccess: () => form.reset() },
    );
  }

  if (!own.data) return null;
  if (!own.data.hasPassword) {
    return (
      <Card title="Password">
        <Notice>
          Your account signs in through single sign-on: its password is managed by your identity provider.
        </Notice>
      </Card>
    );
  }
  return (
    <Card title="Change password">
      <form onSubmit={submit} className="space-y-4">
        <Field label="Current password" error={problemsAt(issues, ['currentPassword'])}>
          <Input name="currentPassword" type="password" autoComplete="current-password" required />
        </Field>
        <Field
          label="New password"
          hint="At least 10 characters and hard to guess: a few unrelated words work well."
          error={problemsAt(issues, ['newPassword'])}
        >
          <Input name="newPassword" type="password" autoComplete="new-password" minLength={10} required />
        </Field>
        <Field label="Confirm new password" error={problemsAt(issues, ['confirmPassword'])}>
          <Input name="confirmPassword" type="password" autoComplete="new-password" required />
        </Field>
        <p className="text-xs text-slate-500">
          Changing your password signs you out everywhere else; this browser stays signed in.
        </p>
        <ErrorText>{elsewhere.length ? elsewhere.join(' ') : null}</ErrorText>
        {done && (
          <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
            {done}
          </p>
        )}
        <Button type="submit" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </Button>
      </form>
    </Card>
  );
}
