// Sessions kept in the database: the session cookie is a signed JWT, which on its own would sign its
// holder in until it expires whatever happens (a copied cookie outlives signing out). Each sign-in
// records a row the JWT names; signing out removes it, and so does anything that must end a person's
// sessions (an SSO sign-in taking over an account). A session lasts SESSION_MAX_AGE_S from sign-in.
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { userSessions, users } from '../db/schema';

export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/** Records a new session for the person signing in and returns its id (what the JWT carries). */
export async function startSession(db: Db, userId: string, now = Date.now()): Promise<string> {
  const [row] = await db
    .insert(userSessions)
    .values({ userId, createdAt: new Date(now), expiresAt: new Date(now + SESSION_MAX_AGE_S * 1000) })
    .returning({ id: userSessions.id });
  if (!row) throw new Error('session insert returned nothing');
  return row.id;
}

/** The person a session signs in: null when the session ended, expired or is not this user's. */
export async function sessionUser(db: Db, sessionId: string, userId: string, now = Date.now()) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.id, sessionId),
        eq(userSessions.userId, userId),
        gt(userSessions.expiresAt, new Date(now)),
      ),
    );
  return user ?? null;
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.id, sessionId));
}

/** Ends every session of a person, on every device. */
export async function endSessionsOf(db: Db | Tx, userId: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.userId, userId));
}

/** Removes sessions past their end (the hourly retention). Returns how many went. */
export async function forgetExpiredSessions(db: Db, now = Date.now()): Promise<number> {
  const gone = await db
    .delete(userSessions)
    .where(lte(userSessions.expiresAt, new Date(now)))
    .returning({ id: userSessions.id });
  return gone.length;
}
