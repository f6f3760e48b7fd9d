import type { Metadata } from 'next';
import Link from 'next/link';
import { SignUpForm } from '@/app/_components/sign-up-form';
import { Card } from '@/app/_components/ui';

export const metadata: Metadata = { title: 'Create an account' };

export default function SignUpPage() {
  return (
    <Card title="Create your account">
      <SignUpForm />
      <p className="mt-4 text-center text-sm text-slate-600">
        Already have an account?{' '}
        <Link href="/sign-in" className="font-medium text-indigo-700 hover:underline">
          Sign in
        </Link>
      </p>
    </Card>
  );
}
