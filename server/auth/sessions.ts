// Sessions kept in the database: the session cookie is a signed JWT, which on its own would sign its
// holder in until it expires whatever happens (a copied cookie outlives signing out). Each sign-in
// records a row the JWT names; signing out removes it, and so does anything that must end a person's
// sessions (an SSO sign-in taking over an account, a changed password, the account page's "sign out
// everywhere"). A session lasts SESSION_MAX_AGE_S from sign-in.
import { createHash } from 'node:crypto';
import { and, desc, eq, gt, lte, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { userSessions, users } from '../db/schema';
import { signInClient, type SignInClient } from './sign-in-client';

export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;
/** "Last used" is written at most this often per session: not a write on every request. */
export const SESSION_TOUCH_MS = 5 * 60_000;

/** Records a new session for the person signing in and returns its id (what the JWT carries). */
export async function startSession(
  db: Db,
  userId: string,
  now = Date.now(),
  client: SignInClient = signInClient(),
): Promise<string> {
  const [row] = await db
    .insert(userSessions)
    .values({
      userId,
      createdAt: new Date(now),
      expiresAt: new Date(now + SESSION_MAX_AGE_S * 1000),
      userAgent: client.userAgent,
      clientAddress: client.address,
    })
    .returning({ id: userSessions.id });
  if (!row) throw new Error('session insert returned nothing');
  return row.id;
}

/** The person a session signs in: null when the session ended, expired or is not this user's. */
export async function sessionUser(db: Db, sessionId: string, userId: string, now = Date.now()) {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      seen: sql<number>`coalesce(${userSessions.lastSeenAt}, ${userSessions.createdAt})`,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.id, sessionId),
        eq(userSessions.userId, userId),
        gt(userSessions.expiresAt, new Date(now)),
      ),
    );
  if (!row) return null;
  // Every request reads its session; only one every SESSION_TOUCH_MS writes (a write per request would
  // contend with the runner's writes for the database's one write lock).
  if (row.seen < now - SESSION_TOUCH_MS) {
    await db
      .update(userSessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(userSessions.id, sessionId));
  }
  return { id: row.id, email: row.email, name: row.name };
}

/**
 * What stands for a session outside the server: a hash of its id. The id is what a cookie names, so it
 * never goes to a browser; the handle lets its person end the session and tells nobody its id.
 */
export const sessionHandle = (sessionId: string) =>
  createHash('sha256').update(`session-handle:${sessionId}`).digest('base64url').slice(0, 22);

export interface SessionView {
  handle: string;
  current: boolean;
  signedInAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  clientAddress: string | null;
}

/** A person's live sessions, most recently used first; `current` marks the one asking. */
export async function listSessionsOf(
  db: Db,
  userId: string,
  currentSessionId: string | undefined,
  now = Date.now(),
): Promise<SessionView[]> {
  const rows = await db
    .select()
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), gt(userSessions.expiresAt, new Date(now))))
    .orderBy(desc(userSessions.createdAt));
  return rows
    .map((row) => ({
      handle: sessionHandle(row.id),
      current: row.id === currentSessionId,
      signedInAt: row.createdAt,
      lastSeenAt: row.lastSeenAt ?? row.createdAt,
      expiresAt: row.expiresAt,
      userAgent: row.userAgent,
      clientAddress: row.clientAddress,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

/** Ends the session of this person with this handle; false when they have none such. */
export async function endSessionByHandle(db: Db, userId: string, handle: string): Promise<boolean> {
  const rows = await db
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(eq(userSessions.userId, userId));
  const match = rows.find((row) => sessionHandle(row.id) === handle);
  if (!match) return false;
  await db.delete(userSessions).where(and(eq(userSessions.id, match.id), eq(userSessions.userId, userId)));
  return true;
}

/** Ends every session of a person but `keep` (the one asking); returns how many ended. */
export async function endOtherSessionsOf(db: Db | Tx, userId: string, keep: string | undefined) {
  const gone = await db
    .delete(userSessions)
    .where(and(eq(userSessions.userId, userId), keep ? ne(userSessions.id, keep) : undefined))
    .returning({ id: userSessions.id });
  return gone.length;
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
