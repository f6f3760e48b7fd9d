// Server-side page helpers: the signed-in user, or a redirect to sign in.
import { redirect } from 'next/navigation';
import { currentUser } from '@/server/auth/session';
import { getDb } from '@/server/db/client';
import type { SessionUser } from '@/server/trpc/init';

export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser(getDb());
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
