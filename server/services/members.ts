// Members of an organisation: list, change role, remove. An organisation always keeps an owner.
import { and, asc, eq, exists, ne, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
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

const NO_OWNER_LEFT =
  'An organisation needs at least one owner. Make someone else owner first, or delete the organisation in Settings.';

/** Why nothing changed: the membership went meanwhile (not found), or it is the last owner. */
async function refuseNoOwnerLeft(db: Db, orgId: string, membershipId: string): Promise<never> {
  await loadMember(db, orgId, membershipId);
  throw new UserError('BAD_REQUEST', NO_OWNER_LEFT);
}

/**
 * The membership, if it may stop being an owner: it is none, or another owner stays. Asked in the same
 * statement as the change, so two owners demoting or removing each other (or leaving) at the same
 * moment cannot both pass a check made before either wrote, and leave the organisation without one.
 */
function mayStopBeingOwner(db: Db, orgId: string, membershipId: string) {
  const other = alias(memberships, 'other_owner');
  const anotherOwner = db
    .select({ id: other.id })
    .from(other)
    .where(and(eq(other.orgId, orgId), eq(other.role, 'owner'), ne(other.id, membershipId)));
  return and(
    eq(memberships.orgId, orgId),
    eq(memberships.id, membershipId),
    or(ne(memberships.role, 'owner'), exists(anotherOwner)),
  );
}

export async function changeRole(db: Db, orgId: string, actorRole: Role, membershipId: string, role: Role) {
  const member = await loadMember(db, orgId, membershipId);
  if (!canAssignRole(actorRole, member.role, role)) {
    throw new UserError('FORBIDDEN', 'Only an owner can give or take away the owner role.');
  }
  const [changed] = await db
    .update(memberships)
    .set({ role })
    .where(
      role === 'owner'
        ? and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId))
        : mayStopBeingOwner(db, orgId, membershipId),
    )
    .returning({ id: memberships.id });
  if (!changed) await refuseNoOwnerLeft(db, orgId, membershipId);
}

export async function removeMember(db: Db, orgId: string, actorRole: Role, membershipId: string) {
  const member = await loadMember(db, orgId, membershipId);
  if (member.role === 'owner' && actorRole !== 'owner')
    throw new UserError('FORBIDDEN', 'Only an owner can remove an owner.');
  await deleteMembership(db, orgId, membershipId);
}

export async function leaveOrganisation(db: Db, orgId: string, userId: string) {
  const [member] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!member) throw notFound('The membership');
  await deleteMembership(db, orgId, member.id);
}

async function deleteMembership(db: Db, orgId: string, membershipId: string) {
  const [deleted] = await db
    .delete(memberships)
    .where(mayStopBeingOwner(db, orgId, membershipId))
    .returning({ id: memberships.id });
  if (!deleted) await refuseNoOwnerLeft(db, orgId, membershipId);
}
