// CONCORD_SIGN_UP=invitation: only the very first person of an install signs up on their own; everyone
// after comes through an invitation link, and someone without one learns nothing, not even whether an
// email has an account.
import type * as Env from '@/server/env';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVITATION_ONLY, openSignUpAllowed } from '@/server/services/accounts';
import { callerFor } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

vi.mock('@/server/env', async (importOriginal) => {
  const real = await importOriginal<typeof Env>();
  const configured = { ...real.env(), CONCORD_SIGN_UP: 'invitation' as const };
  return { ...real, env: () => configured };
});

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const anonymous = () => callerFor(db.db, null);
const codeOf = (attempt: Promise<unknown>) =>
  attempt.then(
    () => 'OK',
    (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : String(e)),
  );

describe('sign-up by invitation only', () => {
  it('lets the first person of an empty install sign up and set it up', async () => {
    expect(await openSignUpAllowed(db.db, 'invitation')).toBe(true);
    const first = await anonymous().account.signUp({
      name: 'Fiona First',
      email: 'fiona@example.test',
      password: 'a long enough password',
      organisationName: 'First Light',
    });
    expect(first.orgSlug).toBe('first-light');
    expect(await openSignUpAllowed(db.db, 'invitation')).toBe(false);
  });

  it('refuses everyone after without a link, the same way whether or not the email has an account', async () => {
    const stranger = { name: 'Stan', password: 'another long password' };
    const newcomer = await codeOf(anonymous().account.signUp({ ...stranger, email: 'stan@example.test' }));
    const knownEmail = await codeOf(anonymous().account.signUp({ ...stranger, email: 'fiona@example.test' }));
    expect(newcomer).toBe(`FORBIDDEN: ${INVITATION_ONLY}`);
    expect(knownEmail).toBe(newcomer);
  });

  it('takes a person with an invitation link into the organisation with the role it gives', async () => {
    const fiona = await db.db.query.users.findFirst({
      where: (u, { eq }) => eq(u.email, 'fiona@example.test'),
    });
    const org = await db.db.query.organisations.findFirst({
      where: (o, { eq }) => eq(o.slug, 'first-light'),
    });
    const invite = await callerFor(db.db, fiona!).members.invite({ orgId: org!.id, role: 'editor' });
    const { orgSlug, userId } = await anonymous().account.signUp({
      name: 'Ivy Invited',
      email: 'ivy@example.test',
      password: 'yet another long password',
      inviteToken: invite.token,
    });
    expect(orgSlug).toBe('first-light');
    const me = await callerFor(db.db, {
      id: userId,
      email: 'ivy@example.test',
      name: 'Ivy Invited',
    }).account.me();
    expect(me.organisations).toEqual([expect.objectContaining({ slug: 'first-light', role: 'editor' })]);
  });

  it('refuses a link that is no longer valid as such, not as a missing invitation', async () => {
    const attempt = anonymous().account.signUp({
      name: 'Late',
      email: 'late@example.test',
      password: 'a long enough password',
      inviteToken: 'inv_not-a-real-token',
    });
    await expect(attempt).rejects.toThrow(/no longer valid/);
  });
});
