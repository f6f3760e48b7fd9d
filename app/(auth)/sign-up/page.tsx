import type { Metadata } from 'next';
import Link from 'next/link';
import { SignUpForm } from '@/app/_components/sign-up-form';
import { Card } from '@/app/_components/ui';
import { getDb } from '@/server/db/client';
import { env } from '@/server/env';
import { INVITATION_ONLY, openSignUpAllowed } from '@/server/services/accounts';

export const metadata: Metadata = { title: 'Create an account' };
export const dynamic = 'force-dynamic';

export default async function SignUpPage() {
  const open = await openSignUpAllowed(getDb(), env().CONCORD_SIGN_UP);
  return (
    <Card title="Create your account">
      {open ? <SignUpForm /> : <p className="text-sm text-slate-700">{INVITATION_ONLY}</p>}
      <p className="mt-4 text-center text-sm text-slate-600">
        Already have an account?{' '}
        <Link href="/sign-in" className="font-medium text-indigo-700 hover:underline">
          Sign in
        </Link>
      </p>
    </Card>
  );
}
