// Sessions recorded in the database: the session cookie (a JWT) names a row, and signing out removes
// it, so a copy of the cookie taken before signing out no longer signs anyone in. Driven through
// next-auth's own callbacks and events, as a sign-in and a sign-out call them.
import type { JWT } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authOptions } from '@/server/auth/options';
import {
  endSessionsOf,
  forgetExpiredSessions,
  SESSION_MAX_AGE_S,
  sessionUser,
  startSession,
} from '@/server/auth/sessions';
import { userSessions } from '@/server/db/schema';
import { applyRetention } from '@/server/runner/retention';
import { createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // next-auth's callbacks use the process-wide database.
  vi.spyOn(await import('@/server/db/client'), 'getDb').mockReturnValue(db.db);
});
afterAll(() => db.close());

/** The JWT a password sign-in writes into the cookie, and what a page reads back from it. */
async function signIn(user: { id: string; email: string; name: string }) {
  const { callbacks } = authOptions();
  const token = await callbacks!.jwt!({
    token: { sub: user.id },
    user: { id: user.id, email: user.email, name: user.name },
    account: { provider: 'credentials', type: 'credentials', providerAccountId: user.id },
  });
  const session = (await callbacks!.session!({
    session: { expires: '' },
    token,
  } as never)) as { userId?: string; sessionId?: string };
  return { token, session };
}

const signOut = (token: JWT) => authOptions().events!.signOut!({ token, session: null as never });

describe('a sign-in', () => {
  it('records a session that the cookie names, and that signs its person in', async () => {
    const { user } = await createOwner(db.db);
    const { token, session } = await signIn(user);
    expect(session).toMatchObject({ userId: user.id, sessionId: token.sid });
    expect(String(token.sid)).toMatch(/^ses_/);
    expect(await sessionUser(db.db, session.sessionId!, user.id)).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
    });
  });

  it('gives each sign-in (each browser) its own session', async () => {
    const { user } = await createOwner(db.db);
    const laptop = await signIn(user);
    const phone = await signIn(user);
    expect(laptop.token.sid).not.toBe(phone.token.sid);
  });
});

describe('signing out', () => {
  it('ends the session for every copy of the cookie, and only that session', async () => {
    const { user } = await createOwner(db.db);
    const laptop = await signIn(user);
    const phone = await signIn(user);
    // Someone copied the laptop's cookie before its owner signed out there.
    const copied = structuredClone(laptop.token);
    await signOut(laptop.token);
    expect(await sessionUser(db.db, String(copied.sid), user.id)).toBeNull();
    expect(await sessionUser(db.db, String(phone.token.sid), user.id)).not.toBeNull();
  });
});

describe('what a session signs in', () => {
  it('only its own person: a session id with another user id is nobody', async () => {
    const { user } = await createOwner(db.db);
    const { user: other } = await createOwner(db.db);
    const sessionId = await startSession(db.db, user.id);
    expect(await sessionUser(db.db, sessionId, other.id)).toBeNull();
  });

  it('nobody once the session is past its end, thirty days after signing in', async () => {
    const { user } = await createOwner(db.db);
    const signedIn = Date.now() - SESSION_MAX_AGE_S * 1000 - 1;
    const sessionId = await startSession(db.db, user.id, signedIn);
    expect(await sessionUser(db.db, sessionId, user.id)).toBeNull();
    expect(await sessionUser(db.db, sessionId, user.id, signedIn + 1000)).not.toBeNull();
  });

  it('nobody after all of a person’s sessions were ended', async () => {
    const { user } = await createOwner(db.db);
    const a = await startSession(db.db, user.id);
    const b = await startSession(db.db, user.id);
    await endSessionsOf(db.db, user.id);
    expect(await sessionUser(db.db, a, user.id)).toBeNull();
    expect(await sessionUser(db.db, b, user.id)).toBeNull();
  });
});

describe('the hourly retention', () => {
  it('removes sessions past their end and keeps the others', async () => {
    const { user } = await createOwner(db.db);
    await forgetExpiredSessions(db.db);
    const live = await startSession(db.db, user.id);
    await startSession(db.db, user.id, Date.now() - SESSION_MAX_AGE_S * 1000 - 1);
    expect(await applyRetention(db.db)).toMatchObject({ sessions: 1 });
    expect((await db.db.select().from(userSessions)).map((s) => s.id)).toContain(live);
    expect(await sessionUser(db.db, live, user.id)).not.toBeNull();
  });
});
