// The signed-in person's own account: their name, their password and their sessions. Every command
// takes the caller's user id (from the session, never from input), so nobody reaches another person's.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { userIdentities, users } from '../db/schema';
import { passwordProblem } from '../auth/password-strength';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { endOtherSessionsOf } from '../auth/sessions';
import { lockedMessage, recordSignInSuccess, reserveSignInAttempt } from '../auth/throttle';
import { UserError } from './errors';

export interface Caller {
  userId: string;
  /** The session asking: it stays signed in when the others end. */
  sessionId: string | undefined;
  /** The client address the throttle counts by (server/auth/client-address.ts). */
  address: string | undefined;
}

/** What the account page shows. `hasPassword` false: the person signs in through single sign-on only. */
export async function ownAccount(db: Db, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new UserError('NOT_FOUND', 'Your account was not found. Sign in again.');
  const identities = await db
    .select({ provider: userIdentities.provider })
    .from(userIdentities)
    .where(eq(userIdentities.userId, userId));
  return {
    name: user.name,
    email: user.email,
    hasPassword: user.passwordHash !== null,
    singleSignOn: identities.length > 0,
  };
}

export async function renameSelf(db: Db, userId: string, name: string) {
  await db.update(users).set({ name: name.trim() }).where(eq(users.id, userId));
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export const MANAGED_BY_PROVIDER =
  'Your account signs in through single sign-on: its password is managed by your identity provider.';

/**
 * Replaces the password and ends every other session of the person (a leaked password or a forgotten
 * browser stops opening the account); the asking session stays. The current password is checked as
 * sign-in checks it and on sign-in's throttle, counted before it is checked: a stolen session cannot
 * use this form to guess the password faster than the sign-in page allows. An account without a
 * password (linked to single sign-on, which dropped it; server/auth/oidc.ts) gets none here.
 */
export async function changePassword(db: Db, caller: Caller, change: PasswordChange) {
  const [user] = await db.select().from(users).where(eq(users.id, caller.userId));
  if (!user) throw new UserError('NOT_FOUND', 'Your account was not found. Sign in again.');
  if (!user.passwordHash) throw new UserError('BAD_REQUEST', MANAGED_BY_PROVIDER);
  const address = caller.address ?? 'unknown';
  const wait = await reserveSignInAttempt(db, user.email, address);
  if (wait > 0) throw new UserError('TOO_MANY_REQUESTS', lockedMessage(wait), 'currentPassword');
  if (!(await verifyPassword(user.passwordHash, change.currentPassword))) {
    throw new UserError('BAD_REQUEST', 'That is not your current password.', 'currentPassword');
  }
  await recordSignInSuccess(db, user.email, address);
  if (change.newPassword !== change.confirmPassword) {
    throw new UserError('BAD_REQUEST', 'The two new passwords are not the same.', 'confirmPassword');
  }
  if (change.newPassword === change.currentPassword) {
    throw new UserError('BAD_REQUEST', 'Choose a password other than your current one.', 'newPassword');
  }
  const weak = await passwordProblem(change.newPassword, [user.email, user.name]);
  if (weak) throw new UserError('BAD_REQUEST', weak, 'newPassword');
  const passwordHash = await hashPassword(change.newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    return { endedSessions: await endOtherSessionsOf(tx, user.id, caller.sessionId) };
  });
}
