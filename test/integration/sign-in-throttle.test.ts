// Sign-in throttling per client address and per (account, address): a stranger cannot lock an owner
// out, spraying one password over many accounts is bounded, parallel attempts cannot slip past the
// count; an unknown email costs the same password verification as a known one; and refused sign-ups
// (which tell whether an email has an account) spend the address's budget too.
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as passwords from '@/server/auth/passwords';
import { forgetStaleSignInFailures, reserveSignInAttempt, throttleKeys } from '@/server/auth/throttle';
import { signInThrottle } from '@/server/db/schema';
import { signInWithPassword } from '@/server/services/accounts';
import { createCaller } from '@/server/trpc/root';
import { createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

// The real verification, watched: which hash each sign-in verifies against.
vi.mock('@/server/auth/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof passwords>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());
beforeEach(() => vi.mocked(passwords.verifyPassword).mockClear());

let next = 0;
/** A fresh documentation-range address per call, so that tests do not share an address budget. */
const newAddress = () => `198.51.${100 + Math.floor(next / 250)}.${(next++ % 250) + 1}`;

describe('a stranger cannot lock the owner out', () => {
  it('locks the stranger’s address for this account, not the owner signing in from elsewhere', async () => {
    const { user } = await createOwner(db.db);
    const stranger = newAddress();
    for (let i = 0; i < 10; i++) await signInWithPassword(db.db, user.email, `guess number ${i}`, stranger);
    expect(await signInWithPassword(db.db, user.email, user.password, stranger)).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect(await signInWithPassword(db.db, user.email, user.password, newAddress())).toMatchObject({
      ok: true,
    });
  });

  it('keeps letting the owner in while the stranger fails once per lock period', async () => {
    const { user } = await createOwner(db.db);
    const stranger = newAddress();
    const owner = newAddress();
    for (let i = 0; i < 3; i++) await signInWithPassword(db.db, user.email, `guess number ${i}`, stranger);
    for (let round = 0; round < 5; round++) {
      // The lock runs out (time passes), the stranger fails once more and the lock is back at once.
      await db.db.update(signInThrottle).set({ lockedUntil: new Date(Date.now() - 1) });
      await signInWithPassword(db.db, user.email, 'one more guess', stranger);
      expect(await signInWithPassword(db.db, user.email, user.password, owner)).toMatchObject({ ok: true });
    }
  });
});

describe('spraying one password over many accounts', () => {
  it('locks the address after 20 failures, whichever accounts they were for', async () => {
    const { user } = await createOwner(db.db);
    const sprayer = newAddress();
    for (let i = 0; i < 20; i++) {
      const result = await signInWithPassword(db.db, `person-${i}@example.test`, 'Summer2024!', sprayer);
      expect(result).toEqual({ ok: false, reason: 'invalid' });
    }
    const after = await signInWithPassword(db.db, user.email, user.password, sprayer);
    expect(after).toMatchObject({ ok: false, reason: 'locked' });
    // Other addresses are not affected.
    expect(await signInWithPassword(db.db, user.email, user.password, newAddress())).toMatchObject({
      ok: true,
    });
  });

  it('does not use up an address with successful sign-ins (an office behind one NAT)', async () => {
    const office = newAddress();
    const people = await Promise.all([1, 2, 3].map(() => createOwner(db.db)));
    for (let round = 0; round < 10; round++) {
      for (const { user } of people) {
        expect(await signInWithPassword(db.db, user.email, user.password, office)).toMatchObject({
          ok: true,
        });
      }
    }
  });
});

describe('parallel attempts', () => {
  it('cannot slip past the count: only the free attempts are checked, the rest wait', async () => {
    const { user } = await createOwner(db.db);
    const attacker = newAddress();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signInWithPassword(db.db, user.email, `parallel ${i}`, attacker)),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(7);
    expect(passwords.verifyPassword).toHaveBeenCalledTimes(3);
  });
});

describe('an unknown email takes as long as a known one', () => {
  it('verifies the password against a dummy hash when there is no account or no password', async () => {
    const { user } = await createOwner(db.db);
    const verify = vi.mocked(passwords.verifyPassword);

    expect(await signInWithPassword(db.db, 'nobody@example.test', 'some password', newAddress())).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify).toHaveBeenLastCalledWith(passwords.DUMMY_HASH, 'some password');

    await signInWithPassword(db.db, user.email, 'some password', newAddress());
    expect(verify).toHaveBeenCalledTimes(2);
    expect(verify.mock.calls[1]![0]).not.toBe(passwords.DUMMY_HASH);
  });

  it('never lets the dummy hash sign anyone in', async () => {
    expect(await passwords.verifyPassword(passwords.DUMMY_HASH, '')).toBe(false);
    expect(await passwords.verifyPassword(passwords.DUMMY_HASH, 'password')).toBe(false);
  });

  it('keeps the dummy hash on the same argon2 parameters as real hashes', async () => {
    const real = await passwords.hashPassword('any password at all');
    const parameters = (hash: string) => hash.split('$').slice(1, 4).join('$');
    expect(parameters(passwords.DUMMY_HASH)).toBe(parameters(real));
  });
});

describe('the throttle table', () => {
  it('forgets failures past their window, and keeps recent ones and locks that still hold', async () => {
    const { user } = await createOwner(db.db);
    const hour = 60 * 60_000;
    const start = Date.now() - 3 * hour;
    const old = newAddress();
    const locked = newAddress();
    const recent = newAddress();
    await reserveSignInAttempt(db.db, user.email, old, start);
    // Twenty-five failures long ago earn this address a lock; pretend it still holds.
    for (let i = 0; i < 25; i++)
      await reserveSignInAttempt(db.db, `x${i}@example.test`, locked, start + i * 20 * 60_000);
    await db.db
      .update(signInThrottle)
      .set({ lockedUntil: new Date(Date.now() + hour) })
      .where(eq(signInThrottle.key, throttleKeys('', locked).address));
    await reserveSignInAttempt(db.db, user.email, recent);

    const keys = async () => new Set((await db.db.select().from(signInThrottle)).map((r) => r.key));
    expect(await forgetStaleSignInFailures(db.db)).toBeGreaterThanOrEqual(2);
    const left = await keys();
    expect(left.has(throttleKeys(user.email, old).account)).toBe(false);
    expect(left.has(throttleKeys(user.email, old).address)).toBe(false);
    expect(left.has(throttleKeys('', locked).address)).toBe(true);
    expect(left.has(throttleKeys(user.email, recent).account)).toBe(true);
    expect(left.has(throttleKeys(user.email, recent).address)).toBe(true);
  });
});

describe('sign-up spends the same address budget', () => {
  const signUpFrom = (address: string, email: string, password = 'a long enough password') =>
    createCaller({ db: db.db, user: null, clientAddress: address }).account.signUp({
      name: 'Probe',
      email,
      password,
    });
  const codeOf = (attempt: Promise<unknown>) =>
    attempt.then(
      () => 'OK',
      (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
    );

  it('locks an address that asks, one email after another, which ones have an account', async () => {
    const { user } = await createOwner(db.db);
    const prober = newAddress();
    const taken = await Promise.all(Array.from({ length: 20 }, () => createOwner(db.db)));
    for (const { user: someone } of taken)
      expect(await codeOf(signUpFrom(prober, someone.email))).toBe('CONFLICT');
    // The 21st question is not answered, nor may the address sign in with a right password meanwhile.
    const locked = signUpFrom(prober, user.email);
    await expect(locked).rejects.toThrow(/Too many failed attempts\. Try again in \d+ seconds?\./);
    expect(await codeOf(signUpFrom(prober, user.email))).toBe('TOO_MANY_REQUESTS');
    expect(await signInWithPassword(db.db, user.email, user.password, prober)).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    // Another address asks and signs in as before.
    expect(await codeOf(signUpFrom(newAddress(), user.email))).toBe('CONFLICT');
  });

  it('counts a refused sign-up before anything is checked, so parallel ones cannot slip past', async () => {
    const prober = newAddress();
    const { user } = await createOwner(db.db);
    const codes = await Promise.all(Array.from({ length: 25 }, () => codeOf(signUpFrom(prober, user.email))));
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(20);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(5);
  });

  it('does not use up an address with accounts created (a class signing up from one school)', async () => {
    const school = newAddress();
    for (let i = 0; i < 25; i++)
      expect(await codeOf(signUpFrom(school, `pupil-${i}-${Date.now()}@example.test`))).toBe('OK');
    const [row] = await db.db
      .select()
      .from(signInThrottle)
      .where(eq(signInThrottle.key, throttleKeys('', school).address));
    expect(row?.failures ?? 0).toBe(0);
  });

  it('leaves the weak-password refusal counted too: it is a refusal like the others', async () => {
    const address = newAddress();
    expect(await codeOf(signUpFrom(address, `weak-${Date.now()}@example.test`, 'password12'))).toBe(
      'BAD_REQUEST',
    );
    const [row] = await db.db
      .select()
      .from(signInThrottle)
      .where(eq(signInThrottle.key, throttleKeys('', address).address));
    expect(row?.failures).toBe(1);
  });
});
