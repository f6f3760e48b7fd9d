'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { Button, Card, ErrorText, Field, Input } from '@/app/_components/ui';
import { formText } from '@/app/_lib/form';

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'That email and password do not match an account.',
  OAuthSignin: 'The sign-in provider could not be reached.',
  OAuthCallback: 'The sign-in provider did not confirm who you are.',
  AccessDenied: 'Your account at the sign-in provider has no email address.',
};

const describe = (error: string | undefined) => (error ? (MESSAGES[error] ?? error) : null);

export function SignInForm(props: {
  callbackUrl: string;
  initialError?: string;
  oidc: { name: string } | null;
  /** Whether people may create an account without an invitation (CONCORD_SIGN_UP). */
  signUp: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState(describe(props.initialError));
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: formText(form, 'email'),
      password: formText(form, 'password'),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) return setError(describe(result?.error ?? 'Sign-in failed.'));
    router.replace(props.callbackUrl);
    router.refresh();
  }

  return (
    <Card title="Sign in">
      <form onSubmit={submit} className="space-y-4">
        <Field label="Email">
          <Input name="email" type="email" autoComplete="email" required />
        </Field>
        <Field label="Password">
          <Input name="password" type="password" autoComplete="current-password" required />
        </Field>
        <ErrorText>{error}</ErrorText>
        <Button type="submit" disabled={pending} className="w-full">
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
        {props.oidc && (
          <Button
            variant="secondary"
            className="w-full"
            onClick={() => void signIn('oidc', { callbackUrl: props.callbackUrl })}
          >
            Continue with {props.oidc.name}
          </Button>
        )}
        {props.signUp && (
          <p className="text-center text-sm text-slate-600">
            New to Concord?{' '}
            <Link href="/sign-up" className="font-medium text-indigo-700 hover:underline">
              Create an account
            </Link>
          </p>
        )}
      </form>
    </Card>
  );
}
