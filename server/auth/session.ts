// Who is calling: the session's user id, checked against the database on every request.
import { eq } from 'drizzle-orm';
import { getServerSession, type NextAuthOptions } from 'next-auth';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import type { SessionUser } from '../trpc/init';
import { authOptions } from './options';

export async function currentUser(db: Db): Promise<SessionUser | null> {
  const session = await getServerSession<NextAuthOptions, { userId?: string }>(authOptions());
  if (!session?.userId) return null;
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, session.userId));
  return user ?? null;
}
