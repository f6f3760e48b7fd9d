// Slows down failed sign-ins (and refused sign-ups) on two counters, kept in the database so that every
// app instance sees them.
// - Per account and client address: after 3 free failures each one locks that pair for twice as long as
//   the last (1 s, 2 s, 4 s … up to 15 min). A stranger's failures never lock the owner out: the owner
//   signs in from another address.
// - Per client address, whatever the account: after 20 free failures the same growing lock, so spraying
//   one password over many accounts gets about 35 tries in the first hour and 4 an hour after that.
//   Refused sign-ups spend the same budget: "this email already has an account" is the same secret.
// Each attempt is counted as a failure BEFORE the password is checked, in one statement that refuses
// while a lock holds, so parallel requests cannot slip past the count; a success then takes it back.
import { and, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { signInThrottle } from '../db/schema';

export interface LockPolicy {
  freeAttempts: number;
  maxLockMs: number;
  /** Failures are forgotten after this long without one. */
  windowMs: number;
}

const HOUR = 60 * 60_000;
export const ACCOUNT_POLICY: LockPolicy = { freeAttempts: 3, maxLockMs: 15 * 60_000, windowMs: HOUR };
export const ADDRESS_POLICY: LockPolicy = { freeAttempts: 20, maxLockMs: 15 * 60_000, windowMs: HOUR };

export function lockDuration(failures: number, policy: LockPolicy = ACCOUNT_POLICY): number {
  if (failures < policy.freeAttempts) return 0;
  return Math.min(policy.maxLockMs, 1000 * 2 ** (failures - policy.freeAttempts));
}

/** The throttle's keys for a sign-in: the (account, address) pair and the address alone. */
export const throttleKeys = (email: string, address: string) => ({
  account: `account:${email}|${address}`,
  address: `address:${address}`,
});

/**
 * Counts a sign-in attempt against the address and the (account, address) pair, unless one of them is
 * locked: then nothing more is counted and the answer is how many milliseconds to wait (0: go ahead).
 */
export async function reserveSignInAttempt(db: Db, email: string, address: string, now = Date.now()) {
  const keys = throttleKeys(email, address);
  const addressWait = await reserve(db, keys.address, ADDRESS_POLICY, now);
  if (addressWait > 0) return addressWait;
  return reserve(db, keys.account, ACCOUNT_POLICY, now);
}

/** The password was right: the pair starts afresh, and the attempt no longer counts against the address. */
export async function recordSignInSuccess(db: Db, email: string, address: string) {
  const keys = throttleKeys(email, address);
  await db.delete(signInThrottle).where(eq(signInThrottle.key, keys.account));
  await takeBackAddressAttempt(db, address);
}

/**
 * Counts a sign-up against the address's budget (the one failed sign-ins spend), unless a lock holds:
 * then the answer is how many milliseconds to wait. A refused sign-up stays counted, since "an account
 * with this email already exists" tells whether someone has an account as a failed sign-in would.
 */
export async function reserveSignUpAttempt(db: Db, address: string, now = Date.now()) {
  return reserve(db, throttleKeys('', address).address, ADDRESS_POLICY, now);
}

/** The account was created: its attempt no longer counts against the address. */
export async function recordSignUpSuccess(db: Db, address: string) {
  await takeBackAddressAttempt(db, address);
}

/** What a person is told while a lock holds. */
export function lockedMessage(waitMs: number): string {
  const seconds = Math.ceil(waitMs / 1000);
  return `Too many failed attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}

// Only the attempt just counted is taken back: earlier failures stay (an attacker's own account must not
// give the address its budget back).
async function takeBackAddressAttempt(db: Db, address: string) {
  const failures = sql`max(${signInThrottle.failures} - 1, 0)`;
  await db
    .update(signInThrottle)
    .set({
      failures: sql`${failures}`,
      lockedUntil: sql`${lockedUntilSql(failures, signInThrottle.lastFailureAt, ADDRESS_POLICY)}`,
    })
    .where(eq(signInThrottle.key, throttleKeys('', address).address));
}

/**
 * Rows whose failures are past every window and that hold no lock count for nothing: removed, so that
 * the table holds recent failures only, however many addresses have tried. Returns how many went.
 */
export async function forgetStaleSignInFailures(db: Db, now = Date.now()): Promise<number> {
  const window = Math.max(ACCOUNT_POLICY.windowMs, ADDRESS_POLICY.windowMs);
  const gone = await db
    .delete(signInThrottle)
    .where(
      and(
        lt(signInThrottle.lastFailureAt, new Date(now - window)),
        or(isNull(signInThrottle.lockedUntil), lte(signInThrottle.lockedUntil, new Date(now))),
      ),
    )
    .returning({ key: signInThrottle.key });
  return gone.length;
}

// One statement: insert or count the failure, and set the lock it earns; skipped while a lock holds.
async function reserve(db: Db, key: string, policy: LockPolicy, now: number): Promise<number> {
  const first = lockDuration(1, policy);
  const failures = sql`(CASE WHEN ${signInThrottle.lastFailureAt} < ${now - policy.windowMs} THEN 1 ELSE ${signInThrottle.failures} + 1 END)`;
  const counted = await db
    .insert(signInThrottle)
    .values({
      key,
      failures: 1,
      lastFailureAt: new Date(now),
      lockedUntil: first ? new Date(now + first) : null,
    })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`${failures}`,
        lastFailureAt: new Date(now),
        lockedUntil: sql`${lockedUntilSql(failures, sql`${now}`, policy)}`,
      },
      setWhere: sql`${signInThrottle.lockedUntil} IS NULL OR ${signInThrottle.lockedUntil} <= ${now}`,
    })
    .returning({ key: signInThrottle.key });
  if (counted.length > 0) return 0;
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
  return Math.max(0, (row?.lockedUntil?.getTime() ?? now) - now);
}

// lockDuration in SQL: NULL below the free attempts, then 1 s doubling (a bit shift) up to the cap.
function lockedUntilSql(failures: ReturnType<typeof sql>, from: unknown, policy: LockPolicy) {
  const free = policy.freeAttempts;
  return sql`(CASE WHEN ${failures} < ${free} THEN NULL ELSE ${from} + min(${policy.maxLockMs}, 1000 * (1 << min(${failures} - ${free}, 20))) END)`;
}
