// An SSO sign-in whose provider vouches for an email takes over the account signed up with that email:
// sign-up never checks that an address is its owner's, so whoever signed up first chose the password
// (a stranger "pre-registering" a colleague's address). That password stops working and the sessions
// begun before the link end; the person signing in through the provider goes on.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { userForIdentity } from '@/server/auth/oidc';
import { authOptions, OIDC_PROVIDER_ID } from '@/server/auth/options';
import { sessionUser, startSession } from '@/server/auth/sessions';
import { signInWithPassword } from '@/server/services/accounts';
import { createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  vi.spyOn(await import('@/server/db/client'), 'getDb').mockReturnValue(db.db);
});
afterAll(() => db.close());

let next = 0;
const newAddress = () => `203.0.113.${++next}`;

/** The JWT next-auth writes after the provider sent the person back with this profile. */
async function ssoSignIn(profile: { sub: string; email: string; email_verified: boolean }) {
  const token = await authOptions().callbacks!.jwt!({
    token: { sub: profile.sub },
    user: { id: profile.sub, email: profile.email },
    account: { provider: OIDC_PROVIDER_ID, type: 'oauth', providerAccountId: profile.sub },
    profile,
  });
  return token;
}

describe('an SSO sign-in with a verified email that already has an account', () => {
  it('ends the sessions and the password of whoever signed up with the address first', async () => {
    const email = `colleague-${Date.now()}@example.test`;
    // A stranger signs up with a colleague's address before the colleague ever comes, and stays signed in.
    const { user: account } = await createOwner(db.db, { email, password: 'stranger chose this one' });
    const strangersSession = await startSession(db.db, account.id);

    const token = await ssoSignIn({ sub: 'colleague-sub', email, email_verified: true });
    expect(token.uid).toBe(account.id);
    expect(await sessionUser(db.db, String(token.sid), account.id)).not.toBeNull();

    expect(await sessionUser(db.db, strangersSession, account.id)).toBeNull();
    expect(await signInWithPassword(db.db, email, 'stranger chose this one', newAddress())).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('does it once, at the link: later SSO sign-ins leave the person’s other sessions alone', async () => {
    const email = `twice-${Date.now()}@example.test`;
    await createOwner(db.db, { email });
    const first = await ssoSignIn({ sub: 'twice-sub', email, email_verified: true });
    const second = await ssoSignIn({ sub: 'twice-sub', email, email_verified: true });
    expect(second.uid).toBe(first.uid);
    expect(await sessionUser(db.db, String(first.sid), String(first.uid))).not.toBeNull();
    expect(await sessionUser(db.db, String(second.sid), String(second.uid))).not.toBeNull();
  });
});

describe('an SSO sign-in whose provider does not vouch for the email', () => {
  it('is not linked, and the account keeps its password and sessions', async () => {
    const email = `unverified-${Date.now()}@example.test`;
    const { user } = await createOwner(db.db, { email, password: 'the owner’s own password' });
    const session = await startSession(db.db, user.id);
    expect(
      await userForIdentity(db.db, {
        provider: OIDC_PROVIDER_ID,
        subject: 'someone-else',
        email,
        emailVerified: false,
        name: 'Someone',
      }),
    ).toBeNull();
    expect(await sessionUser(db.db, session, user.id)).not.toBeNull();
    expect(await signInWithPassword(db.db, email, 'the owner’s own password', newAddress())).toMatchObject({
      ok: true,
    });
  });
});
