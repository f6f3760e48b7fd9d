import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/app/_lib/server-session';
import { PageHeader } from '@/app/_components/ui';
import { ChangePassword } from './change-password';
import { ProfileForm } from './profile-form';
import { SessionsList } from './sessions-list';

export const metadata: Metadata = { title: 'Your account' };
export const dynamic = 'force-dynamic';

// A person's own account, outside any organisation: name, password, and where they are signed in.
export default async function AccountPage() {
  const user = await requireUser('/account');
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-4 py-6 sm:px-6 sm:py-8">
      <Link href="/" className="text-sm font-medium text-indigo-700 hover:underline">
        ← Back to Concord
      </Link>
      <PageHeader title="Your account" description={`Signed in as ${user.email}`} />
      <ProfileForm />
      <ChangePassword />
      <SessionsList />
    </main>
  );
}
