// A person's own account page: changing the password (the current one checked on sign-in's throttle,
// the other sessions ended, this one kept), and seeing and ending their sessions — only their own.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionHandle, sessionUser, SESSION_TOUCH_MS, startSession } from '@/server/auth/sessions';
import { withSignInClient } from '@/server/auth/sign-in-client';
import { userSessions, users } from '@/server/db/schema';
import { eq } from 'drizzle-orm';
import { signInWithPassword } from '@/server/services/accounts';
import { createCaller } from '@/server/trpc/root';
import { createOwner, type TestUser } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

let next = 0;
/** A fresh documentation-range address per call, so that tests do not share a throttle budget. */
const newAddress = () => `203.0.113.${(next++ % 250) + 1}`;

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** A person signed in on a laptop and a phone, and a caller acting through the laptop's session. */
async function signedInTwice() {
  const { user } = await createOwner(db.db);
  const laptop = await startSession(db.db, user.id, Date.now(), {
    userAgent: FIREFOX,
    address: '203.0.113.9',
  });
  const phone = await startSession(db.db, user.id);
  const address = newAddress();
  const caller = createCaller({ db: db.db, user, sessionId: laptop, clientAddress: address });
  return { user, laptop, phone, address, caller };
}

const change = (user: TestUser, newPassword: string, currentPassword = user.password) => ({
  currentPassword,
  newPassword,
  confirmPassword: newPassword,
});

const NEW_PASSWORD = 'lantern orchard pebble 71';

describe('changing the password', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const { user, laptop, phone, caller } = await signedInTwice();
    await expect(
      caller.account.changePassword(change(user, NEW_PASSWORD, 'not my password')),
    ).rejects.toThrow('That is not your current password.');
    expect(await signInWithPassword(db.db, user.email, user.password, newAddress())).toMatchObject({
      ok: true,
    });
    expect(await sessionUser(db.db, laptop, user.id)).not.toBeNull();
    expect(await sessionUser(db.db, phone, user.id)).not.toBeNull();
  });

  it('counts wrong current passwords on the sign-in throttle: after 3, even the right one waits', async () => {
    const { user, address, caller } = await signedInTwice();
    for (let i = 0; i < 3; i++) {
      await expect(caller.account.changePassword(change(user, NEW_PASSWORD, `guess ${i}`))).rejects.toThrow(
        'not your current password',
      );
    }
    const locked = await caller.account.changePassword(change(user, NEW_PASSWORD)).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(TRPCError);
    expect((locked as TRPCError).code).toBe('TOO_MANY_REQUESTS');
    // The same counter as the sign-in page's: signing in from that address waits too.
    expect(await signInWithPassword(db.db, user.email, user.password, address)).toMatchObject({
      ok: false,
      reason: 'locked',
    });
  });

  it('replaces the password, ends every other session and keeps this one', async () => {
    const { user, laptop, phone, caller } = await signedInTwice();
    const other = await createOwner(db.db);
    const othersSession = await startSession(db.db, other.user.id);
    expect(await caller.account.changePassword(change(user, NEW_PASSWORD))).toEqual({ endedSessions: 1 });
    expect(await signInWithPassword(db.db, user.email, user.password, newAddress())).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await signInWithPassword(db.db, user.email, NEW_PASSWORD, newAddress())).toMatchObject({
      ok: true,
    });
    expect(await sessionUser(db.db, laptop, user.id)).not.toBeNull();
    expect(await sessionUser(db.db, phone, user.id)).toBeNull();
    expect(await sessionUser(db.db, othersSession, other.user.id)).not.toBeNull();
  });

  it('refuses a new password that is easy to guess, or that the confirmation does not repeat', async () => {
    const { user, phone, caller } = await signedInTwice();
    await expect(caller.account.changePassword(change(user, 'password123'))).rejects.toThrow(
      'too easy to guess',
    );
    await expect(
      caller.account.changePassword({ ...change(user, NEW_PASSWORD), confirmPassword: `${NEW_PASSWORD}!` }),
    ).rejects.toThrow('not the same');
    expect(await sessionUser(db.db, phone, user.id)).not.toBeNull();
    expect(await signInWithPassword(db.db, user.email, user.password, newAddress())).toMatchObject({
      ok: true,
    });
  });

  it('offers no password to an account that signs in through single sign-on only', async () => {
    const { user, caller } = await signedInTwice();
    await db.db.update(users).set({ passwordHash: null }).where(eq(users.id, user.id));
    expect(await caller.account.own()).toMatchObject({ hasPassword: false });
    await expect(caller.account.changePassword(change(user, NEW_PASSWORD))).rejects.toThrow(
      'managed by your identity provider',
    );
    const [row] = await db.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.passwordHash).toBeNull();
  });
});

describe('the sessions list', () => {
  it('shows the person’s own live sessions, the current one marked, by handle and never by id', async () => {
    const { user, laptop, phone, caller } = await signedInTwice();
    const other = await createOwner(db.db);
    await startSession(db.db, other.user.id);
    const own = await caller.account.own();
    expect(own).toMatchObject({ name: user.name, email: user.email, hasPassword: true, singleSignOn: false });
    expect(own.sessions.map((s) => s.handle).sort()).toEqual(
      [sessionHandle(laptop), sessionHandle(phone)].sort(),
    );
    expect(own.sessions[0]).toMatchObject({
      current: true,
      handle: sessionHandle(laptop),
      userAgent: FIREFOX,
      clientAddress: '203.0.113.9',
    });
    expect(own.sessions[1]).toMatchObject({ current: false });
    expect(JSON.stringify(own)).not.toContain(laptop);
    expect(JSON.stringify(own)).not.toContain(phone);
  });

  it('records the browser and address of the sign-in request the session started from', async () => {
    const { user } = await createOwner(db.db);
    const id = await withSignInClient({ userAgent: FIREFOX, address: '198.51.100.4' }, () =>
      startSession(db.db, user.id),
    );
    const [row] = await db.db.select().from(userSessions).where(eq(userSessions.id, id));
    expect(row).toMatchObject({ userAgent: FIREFOX, clientAddress: '198.51.100.4', lastSeenAt: null });
  });

  it('keeps when a session was last used, writing at most every few minutes', async () => {
    const { user } = await createOwner(db.db);
    const signedIn = Date.now() - 60 * 60_000;
    const id = await startSession(db.db, user.id, signedIn);
    const seen = signedIn + 2 * SESSION_TOUCH_MS;
    await sessionUser(db.db, id, user.id, seen);
    await sessionUser(db.db, id, user.id, seen + 1000);
    const [row] = await db.db.select().from(userSessions).where(eq(userSessions.id, id));
    expect(row?.lastSeenAt?.getTime()).toBe(seen);
  });

  it('ends one other session by its handle', async () => {
    const { user, laptop, phone, caller } = await signedInTwice();
    await caller.account.endSession({ handle: sessionHandle(phone) });
    expect(await sessionUser(db.db, phone, user.id)).toBeNull();
    expect(await sessionUser(db.db, laptop, user.id)).not.toBeNull();
  });

  it('never ends another person’s session, even with its handle', async () => {
    const { caller } = await signedInTwice();
    const other = await createOwner(db.db);
    const theirs = await startSession(db.db, other.user.id);
    await expect(caller.account.endSession({ handle: sessionHandle(theirs) })).rejects.toThrow('not found');
    expect(await sessionUser(db.db, theirs, other.user.id)).not.toBeNull();
  });

  it('signs out everywhere else, keeping this session and other people’s', async () => {
    const { user, laptop, phone, caller } = await signedInTwice();
    const tablet = await startSession(db.db, user.id);
    const other = await createOwner(db.db);
    const theirs = await startSession(db.db, other.user.id);
    expect(await caller.account.endOtherSessions()).toEqual({ ended: 2 });
    expect(await sessionUser(db.db, laptop, user.id)).not.toBeNull();
    expect(await sessionUser(db.db, phone, user.id)).toBeNull();
    expect(await sessionUser(db.db, tablet, user.id)).toBeNull();
    expect(await sessionUser(db.db, theirs, other.user.id)).not.toBeNull();
  });

  it('signs out everywhere, this session included', async () => {
    const { user, laptop, phone, caller } = await signedInTwice();
    await caller.account.endAllSessions();
    expect(await sessionUser(db.db, laptop, user.id)).toBeNull();
    expect(await sessionUser(db.db, phone, user.id)).toBeNull();
  });

  it('is for signed-in people only', async () => {
    const anonymous = createCaller({ db: db.db, user: null });
    await expect(anonymous.account.own()).rejects.toThrow('Sign in to continue.');
    await expect(anonymous.account.endOtherSessions()).rejects.toThrow('Sign in to continue.');
  });
});

describe('the name', () => {
  it('changes the person’s own name only', async () => {
    const { user, caller } = await signedInTwice();
    await caller.account.rename({ name: '  Robin Renamed ' });
    expect(await caller.account.own()).toMatchObject({ name: 'Robin Renamed', email: user.email });
  });
});
