// Who is calling: the session's user, as long as its session row is there (server/auth/sessions.ts).
import { getServerSession, type NextAuthOptions } from 'next-auth';
import type { Db } from '../db/client';
import type { SessionUser } from '../trpc/init';
import { authOptions } from './options';
import { sessionUser } from './sessions';

/**
 * The caller and the session they call with. The session id stays on the server (the tRPC context):
 * pages hand `user` to client components, so it must not carry the id.
 */
export async function currentSession(db: Db): Promise<{ user: SessionUser; sessionId: string } | null> {
  const session = await getServerSession<NextAuthOptions, { userId?: string; sessionId?: string }>(
    authOptions(),
  );
  // A cookie of a version before sessions were recorded names none: its holder signs in again.
  if (!session?.userId || !session.sessionId) return null;
  const user = await sessionUser(db, session.sessionId, session.userId);
  return user && { user, sessionId: session.sessionId };
}

export async function currentUser(db: Db): Promise<SessionUser | null> {
  return (await currentSession(db))?.user ?? null;
}
