'use client';
// Sign-up, used on its own page and on an invitation page (then it joins that organisation).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { Button, ErrorText, Field, Input } from './ui';
import { formText } from '@/app/_lib/form';

export function SignUpForm({ inviteToken }: { inviteToken?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
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
      setError(errorMessage(e));
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
      <Field label="Password" hint="At least 10 characters.">
        <Input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </Field>
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
