import type { Metadata } from 'next';
import Link from 'next/link';
import { SignUpForm } from '@/app/_components/sign-up-form';
import { Card, Notice } from '@/app/_components/ui';
import { currentUser } from '@/server/auth/session';
import { getDb } from '@/server/db/client';
import { previewInvitation } from '@/server/services/invitations';
import { AcceptInvitation } from './accept-invitation';

export const metadata: Metadata = { title: 'Invitation' };
export const dynamic = 'force-dynamic';

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = getDb();
  const [invitation, user] = await Promise.all([previewInvitation(db, token), currentUser(db)]);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <p className="text-center text-2xl font-bold tracking-tight text-indigo-700">Concord</p>
        {!invitation ? (
          <Card title="Invitation">
            <Notice>
              This invitation link is no longer valid: it was used, revoked or has expired. Ask for a new one.
            </Notice>
          </Card>
        ) : invitation.stopped ? (
          <Card title="Invitation">
            <Notice>{invitation.stopped}</Notice>
          </Card>
        ) : (
          <Card title={`Join ${invitation.organisationName}`}>
            <p className="mb-4 text-sm text-slate-600">
              You are invited to <strong>{invitation.organisationName}</strong> as{' '}
              <strong>{invitation.role}</strong>.
            </p>
            {user ? (
              <AcceptInvitation token={token} email={user.email} />
            ) : (
              <>
                <SignUpForm inviteToken={token} />
                <p className="mt-4 text-center text-sm text-slate-600">
                  Already have an account?{' '}
                  <Link
                    href={`/sign-in?callbackUrl=/invite/${token}`}
                    className="font-medium text-indigo-700 hover:underline"
                  >
                    Sign in to accept
                  </Link>
                </p>
              </>
            )}
          </Card>
        )}
      </div>
    </main>
  );
}
