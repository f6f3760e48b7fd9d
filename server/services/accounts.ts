// Sign-up and password sign-in. Sign-up creates the user's first organisation, or joins the
// organisation of the invitation it came with.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { passwordProblem } from '../auth/password-strength';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../auth/passwords';
import {
  lockedMessage,
  recordSignInSuccess,
  recordSignUpSuccess,
  reserveSignInAttempt,
  reserveSignUpAttempt,
} from '../auth/throttle';
import { UserError } from './errors';
import { acceptInvitationTx, findUsableInvitation } from './invitations';
import { createOrganisation } from './organisations';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export interface SignUpInput {
  email: string;
  name: string;
  password: string;
  organisationName?: string;
  inviteToken?: string;
}

/**
 * Creates the account. A sign-up over HTTP comes from a client address (server/auth/client-address.ts):
 * the attempt is counted against it before anything is checked, and given back only when the account is
 * created. A refusal ("this email already has an account", a weak password, a stale link) spends the
 * budget failed sign-ins spend, so sign-up is no faster way to learn who has an account. Callers on the
 * server (no address) are not counted.
 */
export async function signUp(db: Db, input: SignUpInput, options: SignUpOptions = {}) {
  const { address, mode = 'open' } = options;
  if (address === undefined) return createAccount(db, input, mode);
  const wait = await reserveSignUpAttempt(db, address);
  if (wait > 0) throw new UserError('TOO_MANY_REQUESTS', lockedMessage(wait));
  const created = await createAccount(db, input, mode);
  await recordSignUpSuccess(db, address);
  return created;
}

export interface SignUpOptions {
  /** The client address the throttle counts by; none for callers on the server. */
  address?: string | undefined;
  /** CONCORD_SIGN_UP: `invitation` takes sign-ups through an invitation link only. */
  mode?: SignUpMode;
}

export type SignUpMode = 'open' | 'invitation';

export const INVITATION_ONLY =
  'Accounts on this Concord are created through invitation links only: ask an owner or admin of your organisation for one.';

/** Whether a person may sign up without an invitation: always, or (invitation mode) only the very first. */
export async function openSignUpAllowed(db: Db, mode: SignUpMode): Promise<boolean> {
  if (mode === 'open') return true;
  const [anyone] = await db.select({ id: users.id }).from(users).limit(1);
  return !anyone;
}

async function createAccount(db: Db, input: SignUpInput, mode: SignUpMode) {
  const email = normaliseEmail(input.email);
  // The link and the mode before the email: someone not invited does not learn who has an account.
  const invitation = input.inviteToken ? await findUsableInvitation(db, input.inviteToken) : undefined;
  if (input.inviteToken && !invitation) {
    throw new UserError('BAD_REQUEST', 'This invitation link is no longer valid. Ask for a new one.');
  }
  if (invitation?.stopped) throw new UserError('BAD_REQUEST', invitation.stopped);
  if (!invitation && !(await openSignUpAllowed(db, mode))) throw new UserError('FORBIDDEN', INVITATION_ONLY);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing)
    throw new UserError('CONFLICT', 'An account with this email already exists. Sign in instead.', 'email');
  const weak = await passwordProblem(input.password, [email, input.name]);
  if (weak) throw new UserError('BAD_REQUEST', weak, 'password');
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email, name: input.name.trim(), passwordHash })
      .returning();
    if (!user) throw new Error('user insert returned nothing');
    if (invitation) {
      const org = await acceptInvitationTx(tx, invitation, user.id);
      return { user, orgSlug: org.slug };
    }
    const org = await createOrganisation(
      tx,
      user.id,
      input.organisationName?.trim() || `${user.name}'s organisation`,
    );
    return { user, orgSlug: org.slug };
  });
}

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterMs: number };

/**
 * Password sign-in from a client address (server/auth/client-address.ts), throttled per address and per
 * (account, address). An unknown email costs the same argon2 verification as a known one, so that the
 * time taken does not tell which emails have accounts.
 */
export async function signInWithPassword(
  db: Db,
  rawEmail: string,
  password: string,
  address: string,
): Promise<SignInResult> {
  const email = normaliseEmail(rawEmail);
  const wait = await reserveSignInAttempt(db, email, address);
  if (wait > 0) return { ok: false, reason: 'locked', retryAfterMs: wait };
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const matches = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user?.passwordHash || !matches) return { ok: false, reason: 'invalid' };
  await recordSignInSuccess(db, email, address);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
