// Members of an organisation: list, change role, remove. An organisation always keeps an owner.
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { memberships, users, type Role } from '../db/schema';
import { canAssignRole } from '../auth/permissions';
import { UserError, notFound } from './errors';

export async function listMembers(db: Db, orgId: string) {
  return db
    .select({
      id: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.name));
}

async function loadMember(db: Db, orgId: string, membershipId: string) {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)));
  if (!row) throw notFound('The member');
  return row;
}

async function assertAnotherOwner(db: Db, orgId: string, membershipId: string) {
  const [other] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner'), ne(memberships.id, membershipId)),
    );
  if (!other)
    throw new UserError(
      'BAD_REQUEST',
      'An organisation needs at least one owner. Make someone else owner first.',
    );
}

export async function changeRole(db: Db, orgId: string, actorRole: Role, membershipId: string, role: Role) {
  const member = await loadMember(db, orgId, membershipId);
  if (!canAssignRole(actorRole, member.role, role)) {
    throw new UserError('FORBIDDEN', 'Only an owner can give or take away the owner role.');
  }
  if (member.role === 'owner' && role !== 'owner') await assertAnotherOwner(db, orgId, membershipId);
  await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)));
}

export async function removeMember(db: Db, orgId: string, actorRole: Role, membershipId: string) {
  const member = await loadMember(db, orgId, membershipId);
  if (member.role === 'owner') {
    if (actorRole !== 'owner') throw new UserError('FORBIDDEN', 'Only an owner can remove an owner.');
    await assertAnotherOwner(db, orgId, membershipId);
  }
  await db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)));
}

export async function leaveOrganisation(db: Db, orgId: string, userId: string) {
  const [member] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!member) throw notFound('The membership');
  if (member.role === 'owner') await assertAnotherOwner(db, orgId, member.id);
  await db.delete(memberships).where(eq(memberships.id, member.id));
}
