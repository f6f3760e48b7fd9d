import type { Metadata } from 'next';
import { safeCallback } from '@/server/auth/callback-url';
import { oidcEnabled, oidcName } from '@/server/auth/options';
import { getDb } from '@/server/db/client';
import { env } from '@/server/env';
import { openSignUpAllowed } from '@/server/services/accounts';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  return (
    <SignInForm
      callbackUrl={safeCallback(params.callbackUrl)}
      initialError={params.error}
      oidc={oidcEnabled() ? { name: oidcName() } : null}
      signUp={await openSignUpAllowed(getDb(), env().CONCORD_SIGN_UP)}
    />
  );
}
