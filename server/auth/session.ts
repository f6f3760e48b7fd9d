// Who is calling: the session's user, as long as its session row is there (server/auth/sessions.ts).
import { getServerSession, type NextAuthOptions } from 'next-auth';
import type { Db } from '../db/client';
import type { SessionUser } from '../trpc/init';
import { authOptions } from './options';
import { sessionUser } from './sessions';

export async function currentUser(db: Db): Promise<SessionUser | null> {
  const session = await getServerSession<NextAuthOptions, { userId?: string; sessionId?: string }>(
    authOptions(),
  );
  // A cookie of a version before sessions were recorded names none: its holder signs in again.
  if (!session?.userId || !session.sessionId) return null;
  return sessionUser(db, session.sessionId, session.userId);
}
