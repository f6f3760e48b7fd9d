import type { Metadata } from 'next';
import { oidcEnabled, oidcName } from '@/server/auth/options';
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
    />
  );
}

// Only same-site paths: an open redirect after sign-in would be a phishing aid.
function safeCallback(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') ? url : '/';
}
