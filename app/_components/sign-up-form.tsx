'use client';
// Sign-up, used on its own page and on an invitation page (then it joins that organisation).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { TRPCClientError } from '@trpc/client';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { Button, ErrorText, Field, Input } from './ui';
import { formText } from '@/app/_lib/form';

// A refused password is explained at its field; everything else at the foot of the form.
function passwordError(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as
    | { field?: string | null; zodIssues?: { path: (string | number)[]; message: string }[] | null }
    | undefined;
  if (data?.field === 'password') return error.message;
  const issue = data?.zodIssues?.[0];
  return issue?.path[0] === 'password' ? issue.message : null;
}

export function SignUpForm({ inviteToken }: { inviteToken?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const [weakPassword, setWeakPassword] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setWeakPassword(null);
    const form = new FormData(event.currentTarget);
    const email = formText(form, 'email');
    const password = formText(form, 'password');
    try {
      const { orgSlug } = await signUp.mutateAsync({
        name: formText(form, 'name'),
        email,
        password,
        organisationName: inviteToken ? undefined : formText(form, 'organisationName'),
        inviteToken,
      });
      const result = await signIn('credentials', { email, password, redirect: false });
      if (result?.error) return setError('Your account was created, but signing in failed. Try signing in.');
      router.replace(`/o/${orgSlug}`);
      router.refresh();
    } catch (e) {
      const aboutPassword = passwordError(e);
      if (aboutPassword) setWeakPassword(aboutPassword);
      else setError(errorMessage(e));
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <Field label="Your name">
        <Input name="name" autoComplete="name" required />
      </Field>
      <Field label="Email">
        <Input name="email" type="email" autoComplete="email" required />
      </Field>
      <Field
        label="Password"
        hint="At least 10 characters and hard to guess: a few unrelated words work well."
      >
        <Input
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          aria-invalid={weakPassword ? true : undefined}
          aria-describedby={weakPassword ? 'password-problem' : undefined}
        />
      </Field>
      {weakPassword && (
        <p id="password-problem" role="alert" className="-mt-2 text-sm text-red-700">
          {weakPassword}
        </p>
      )}
      {!inviteToken && (
        <Field label="Organisation" hint="You can rename it later and invite your team.">
          <Input name="organisationName" placeholder="Acme Water" />
        </Field>
      )}
      <ErrorText>{error}</ErrorText>
      <Button type="submit" disabled={signUp.isPending} className="w-full">
        {signUp.isPending
          ? 'Creating your account…'
          : inviteToken
            ? 'Create account and join'
            : 'Create account'}
      </Button>
    </form>
  );
}
