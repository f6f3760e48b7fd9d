// Sign-up, password sign-in with throttling, invitations and member management, through the API.
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThrottle } from '@/server/db/schema';
import { throttleKeys } from '@/server/auth/throttle';
import { signInWithPassword } from '@/server/services/accounts';
import { callerFor, createMember, createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const HOME = '192.0.2.10';
const codeOf = (e: unknown) => (e instanceof TRPCError ? e.code : String(e));

describe('sign-up', () => {
  it('creates the user, their first organisation, and makes them its owner', async () => {
    const api = callerFor(db.db, null);
    const { orgSlug, userId } = await api.account.signUp({
      name: 'Ada',
      email: 'Ada@Example.test',
      password: 'a long enough password',
      organisationName: 'Analytical Engines',
    });
    expect(orgSlug).toBe('analytical-engines');
    const me = await callerFor(db.db, { id: userId, email: 'ada@example.test', name: 'Ada' }).account.me();
    expect(me.organisations).toEqual([
      expect.objectContaining({ name: 'Analytical Engines', role: 'owner' }),
    ]);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const api = callerFor(db.db, null);
    await expect(
      api.account.signUp({ name: 'Ada 2', email: 'ADA@example.test', password: 'another long password' }),
    ).rejects.toThrow(/already exists/);
  });

  it('rejects a short password with a message that says why', async () => {
    const api = callerFor(db.db, null);
    await expect(
      api.account.signUp({ name: 'B', email: 'b@example.test', password: 'short' }),
    ).rejects.toThrow(/10 characters/);
  });
});

describe('password strength', () => {
  it.each([
    ['1234567890', /frequently used password/],
    ['password12', /commonly used password/],
    ['          ', /Repeated characters/],
    ['qwertyuiop', /frequently used password/],
    ['pat patterson 1', /your name or email address/],
  ])('refuses %j at sign-up, saying why at the password field', async (password, why) => {
    const api = callerFor(db.db, null);
    const attempt = api.account.signUp({ name: 'Pat Patterson', email: 'pat@example.test', password });
    await expect(attempt).rejects.toSatisfy((e) => {
      const cause = (e as TRPCError).cause as { field?: string } | undefined;
      return (
        e instanceof TRPCError &&
        e.code === 'BAD_REQUEST' &&
        /^This password is too easy to guess\./.test(e.message) &&
        why.test(e.message) &&
        cause?.field === 'password'
      );
    });
  });

  it('refuses a weak password when joining through an invitation too', async () => {
    const { user: owner, org } = await createOwner(db.db);
    const invite = await callerFor(db.db, owner).members.invite({ orgId: org.id, role: 'viewer' });
    const join = callerFor(db.db, null).account.signUp({
      name: 'Walt',
      email: 'walt@example.test',
      password: 'password12',
      inviteToken: invite.token,
    });
    await expect(join).rejects.toThrow(/too easy to guess/);
    // The link was not used up by the refused attempt.
    expect(await callerFor(db.db, null).account.invitation({ token: invite.token })).not.toBeNull();
  });
});

describe('password sign-in', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const { user } = await createOwner(db.db);
    expect(await signInWithPassword(db.db, user.email, user.password, HOME)).toMatchObject({ ok: true });
    expect(await signInWithPassword(db.db, user.email, 'wrong password', HOME)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('slows down repeated failures: after three, even the right password must wait', async () => {
    const { user } = await createOwner(db.db);
    for (let i = 0; i < 3; i++) await signInWithPassword(db.db, user.email, 'wrong password', HOME);
    const locked = await signInWithPassword(db.db, user.email, user.password, HOME);
    expect(locked).toMatchObject({ ok: false, reason: 'locked' });
    // Once the lock has passed, the right password works and the count is reset.
    const key = throttleKeys(user.email, HOME).account;
    await db.db
      .update(signInThrottle)
      .set({ lockedUntil: new Date(Date.now() - 1) })
      .where(eq(signInThrottle.key, key));
    expect(await signInWithPassword(db.db, user.email, user.password, HOME)).toMatchObject({ ok: true });
    expect(await db.db.select().from(signInThrottle).where(eq(signInThrottle.key, key))).toEqual([]);
  });
});

describe('invitations', () => {
  it('lets a new person sign up through a link and join with the invited role only', async () => {
    const { user: owner, org } = await createOwner(db.db);
    const invite = await callerFor(db.db, owner).members.invite({ orgId: org.id, role: 'viewer' });
    const anonymous = callerFor(db.db, null);
    expect(await anonymous.account.invitation({ token: invite.token })).toMatchObject({
      organisationName: org.name,
      role: 'viewer',
    });

    const joined = await anonymous.account.signUp({
      name: 'Vera Viewer',
      email: 'vera@example.test',
      password: 'viewer password 1',
      inviteToken: invite.token,
    });
    expect(joined.orgSlug).toBe(org.slug);
    const vera = { id: joined.userId, email: 'vera@example.test', name: 'Vera Viewer' };
    expect((await callerFor(db.db, vera).account.me()).organisations).toEqual([
      expect.objectContaining({ orgId: org.id, role: 'viewer' }),
    ]);
    // The link works once.
    expect(await anonymous.account.invitation({ token: invite.token })).toBeNull();
    const { user: other } = await createOwner(db.db);
    await expect(callerFor(db.db, other).account.acceptInvitation({ token: invite.token })).rejects.toThrow(
      /no longer valid/,
    );
  });

  it('stops working when revoked', async () => {
    const { user: owner, org } = await createOwner(db.db);
    const api = callerFor(db.db, owner);
    const invite = await api.members.invite({ orgId: org.id, role: 'editor' });
    expect(await api.members.invitations({ orgId: org.id })).toHaveLength(1);
    await api.members.revokeInvitation({ orgId: org.id, invitationId: invite.id });
    expect(await api.members.invitations({ orgId: org.id })).toHaveLength(0);
    expect(await callerFor(db.db, null).account.invitation({ token: invite.token })).toBeNull();
  });

  it('stops working when the admin who made it leaves or is made an editor, saying why', async () => {
    const { user: owner, org } = await createOwner(db.db);
    const ownerApi = callerFor(db.db, owner);
    const admin = await createMember(db.db, org.id, owner.id, 'admin');
    const adminApi = callerFor(db.db, admin);
    const forAdmin = await adminApi.members.invite({ orgId: org.id, role: 'admin' });
    const forViewer = await adminApi.members.invite({ orgId: org.id, role: 'viewer' });
    const membershipId = (await ownerApi.members.list({ orgId: org.id })).find(
      (m) => m.userId === admin.id,
    )!.id;

    // Made an editor, they may invite nobody: a kept link must not bring them (or anyone) back as admin.
    await ownerApi.members.changeRole({ orgId: org.id, membershipId, role: 'editor' });
    const anonymous = callerFor(db.db, null);
    expect(await anonymous.account.invitation({ token: forAdmin.token })).toMatchObject({
      stopped: expect.stringMatching(/now an editor and may no longer invite people as admin/),
    });
    const { user: alt } = await createOwner(db.db);
    await expect(callerFor(db.db, alt).account.acceptInvitation({ token: forAdmin.token })).rejects.toThrow(
      /This invitation link no longer works: the person who created it is now an editor/,
    );
    const signUp = anonymous.account.signUp({
      name: 'Alt',
      email: 'alt-admin@example.test',
      password: 'a long enough passphrase 7',
      inviteToken: forAdmin.token,
    });
    await expect(signUp).rejects.toThrow(/no longer works/);
    expect((await callerFor(db.db, alt).account.me()).organisations.map((o) => o.orgId)).not.toContain(
      org.id,
    );

    // Removed, every link they made stops; the list says so beside each, for the owner to revoke.
    await ownerApi.members.remove({ orgId: org.id, membershipId });
    await expect(callerFor(db.db, alt).account.acceptInvitation({ token: forViewer.token })).rejects.toThrow(
      /the person who created it is no longer a member of the organisation/,
    );
    const listed = await ownerApi.members.invitations({ orgId: org.id });
    expect(listed.find((i) => i.id === forViewer.id)?.stopped).toMatch(/no longer a member/);
    // The owner's own links work as before.
    const fresh = await ownerApi.members.invite({ orgId: org.id, role: 'viewer' });
    await callerFor(db.db, alt).account.acceptInvitation({ token: fresh.token });
  });

  it('refuses a link to someone who already is a member, keeping the link for the person it was meant for', async () => {
    const { user: owner, org } = await createOwner(db.db);
    const api = callerFor(db.db, owner);
    const viewer = await createMember(db.db, org.id, owner.id, 'viewer');
    const invite = await api.members.invite({ orgId: org.id, role: 'editor' });

    // A viewer opening an editor link is not made an editor, and is told so rather than sent on as if joined.
    await expect(callerFor(db.db, viewer).account.acceptInvitation({ token: invite.token })).rejects.toThrow(
      `You already are a member of ${org.name}, as viewer: this link does not change your role. Ask an owner or admin to change it.`,
    );
    const roles = (await api.members.list({ orgId: org.id })).map((m) => [m.email, m.role]);
    expect(roles).toContainEqual([viewer.email, 'viewer']);
    // The link is not spent: it still works for someone new.
    expect(await api.members.invitations({ orgId: org.id })).toEqual([
      expect.objectContaining({ id: invite.id }),
    ]);
    const { user: newcomer } = await createOwner(db.db);
    await callerFor(db.db, newcomer).account.acceptInvitation({ token: invite.token });
    expect((await callerFor(db.db, newcomer).account.me()).organisations).toContainEqual(
      expect.objectContaining({ orgId: org.id, role: 'editor' }),
    );
  });

  it('cannot make someone an owner', async () => {
    const { user: owner, org } = await createOwner(db.db);
    await expect(
      callerFor(db.db, owner).members.invite({ orgId: org.id, role: 'owner' as 'admin' }),
    ).rejects.toThrow();
  });
});

describe('members', () => {
  it('keeps at least one owner', async () => {
    const { user: owner, org } = await createOwner(db.db);
    const api = callerFor(db.db, owner);
    const [self] = await api.members.list({ orgId: org.id });
    await expect(
      api.members.changeRole({ orgId: org.id, membershipId: self!.id, role: 'admin' }),
    ).rejects.toThrow(/at least one owner/);
    await expect(api.organisation.leave({ orgId: org.id })).rejects.toThrow(/at least one owner/);
  });

  it.each([
    ['demote each other', 'demote', 'demote'],
    ['one demotes the other as that one leaves', 'demote', 'leave'],
    ['remove each other', 'remove', 'remove'],
  ] as const)('keeps an owner when two owners %s at the same moment', async (_, first, second) => {
    const { user: ada, org } = await createOwner(db.db);
    const bob = await createMember(db.db, org.id, ada.id, 'admin');
    const members = await callerFor(db.db, ada).members.list({ orgId: org.id });
    const idOf = (userId: string) => members.find((m) => m.userId === userId)!.id;
    await callerFor(db.db, ada).members.changeRole({
      orgId: org.id,
      membershipId: idOf(bob.id),
      role: 'owner',
    });
    const act = (actor: { id: string; email: string; name: string }, other: string, what: string) => {
      const api = callerFor(db.db, actor);
      if (what === 'leave') return api.organisation.leave({ orgId: org.id });
      if (what === 'remove') return api.members.remove({ orgId: org.id, membershipId: idOf(other) });
      return api.members.changeRole({ orgId: org.id, membershipId: idOf(other), role: 'editor' });
    };
    const outcomes = await Promise.allSettled([act(ada, bob.id, first), act(bob, ada.id, second)]);

    // One of them goes through; the other is refused for the reason a lone owner is (or, demoting
    // someone who has just left, because they are gone).
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected')!;
    expect(String(refused.reason)).toMatch(/at least one owner|The member was not found/);
    const owners = await db.db.query.memberships.findMany({
      where: (m, { and, eq }) => and(eq(m.orgId, org.id), eq(m.role, 'owner')),
    });
    expect(owners).toHaveLength(1);
  });

  it('lets an admin manage editors and viewers but not owners', async () => {
    const { user: owner, org } = await createOwner(db.db);
    const admin = await createMember(db.db, org.id, owner.id, 'admin');
    const viewer = await createMember(db.db, org.id, owner.id, 'viewer');
    const api = callerFor(db.db, admin);
    const members = await api.members.list({ orgId: org.id });
    const find = (email: string) => members.find((m) => m.email === email)!;

    await api.members.changeRole({ orgId: org.id, membershipId: find(viewer.email).id, role: 'editor' });
    const promote = api.members.changeRole({
      orgId: org.id,
      membershipId: find(viewer.email).id,
      role: 'owner',
    });
    await expect(promote).rejects.toSatisfy((e) => codeOf(e) === 'FORBIDDEN');
    const demoteOwner = api.members.remove({ orgId: org.id, membershipId: find(owner.email).id });
    await expect(demoteOwner).rejects.toSatisfy((e) => codeOf(e) === 'FORBIDDEN');

    await api.members.remove({ orgId: org.id, membershipId: find(viewer.email).id });
    const after = await api.members.list({ orgId: org.id });
    expect(after.map((m) => m.email).sort()).toEqual([admin.email, owner.email].sort());
    // The removed person is now an outsider.
    await expect(callerFor(db.db, viewer).organisation.get({ orgId: org.id })).rejects.toSatisfy(
      (e) => codeOf(e) === 'NOT_FOUND',
    );
  });
});
