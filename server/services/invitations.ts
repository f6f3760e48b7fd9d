// Invitation links: an owner or admin creates one for a role; there is no mail server, so the link is
// shown once to copy. Only the token's hash is stored. A link speaks for the person who made it: it
// works only while they are a member whose role may still give its role (`invitationStanding`), so a
// removed or downgraded admin's links stop with them — checked when the link is used, as API keys are.
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { canAssignRole } from '../auth/permissions';
import type { Db, Tx } from '../db/client';
import { invitations, memberships, organisations, users, type Role } from '../db/schema';
import { hashToken, newToken } from '../security/tokens';
import { UserError, notFound } from './errors';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

type Invitation = typeof invitations.$inferSelect;

export async function createInvitation(db: Db, orgId: string, createdBy: string, role: Role) {
  const token = newToken('inv_');
  const [row] = await db
    .insert(invitations)
    .values({
      orgId,
      role,
      createdBy,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    })
    .returning();
  if (!row) throw new Error('invitation insert returned nothing');
  return { id: row.id, role: row.role, expiresAt: row.expiresAt, token, path: `/invite/${token}` };
}

/** Why a link its creator no longer stands behind does not work (null while it does). */
export function invitationStanding(creatorRole: Role | null, role: Role): string | null {
  if (!creatorRole)
    return 'This invitation link no longer works: the person who created it is no longer a member of the organisation. Ask a member who manages people for a new one.';
  if (!canAssignRole(creatorRole, null, role))
    return `This invitation link no longer works: the person who created it is now ${/^[aeiou]/.test(creatorRole) ? 'an' : 'a'} ${creatorRole} and may no longer invite people as ${role}. Ask a member who manages people for a new one.`;
  return null;
}

/** The creator's membership of the invitation's own organisation (none: left, or the account is gone). */
const creatorMembership = and(
  eq(memberships.orgId, invitations.orgId),
  eq(memberships.userId, invitations.createdBy),
);

/** The open links, each with `stopped`: why it no longer works though not revoked (null while it works). */
export async function listPendingInvitations(db: Db, orgId: string) {
  const rows = await db
    .select({
      id: invitations.id,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      createdBy: users.name,
      creatorRole: memberships.role,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.createdBy))
    .leftJoin(memberships, creatorMembership)
    .where(
      and(
        eq(invitations.orgId, orgId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
  return rows.map(({ creatorRole, ...row }) => ({
    ...row,
    stopped: invitationStanding(creatorRole, row.role),
  }));
}

export async function revokeInvitation(db: Db, orgId: string, invitationId: string) {
  const [row] = await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(invitations.orgId, orgId), eq(invitations.id, invitationId), isNull(invitations.acceptedAt)),
    )
    .returning({ id: invitations.id });
  if (!row) throw notFound('The invitation');
}

/** An unused, unrevoked, unexpired link, with `stopped` when its creator no longer stands behind it. */
export async function findUsableInvitation(
  db: Db | Tx,
  token: string,
): Promise<(Invitation & { stopped: string | null }) | undefined> {
  const [row] = await db
    .select({ invitation: invitations, creatorRole: memberships.role })
    .from(invitations)
    .leftJoin(memberships, creatorMembership)
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    );
  return row && { ...row.invitation, stopped: invitationStanding(row.creatorRole, row.invitation.role) };
}

/** What the invitation page shows before the person decides: which organisation, which role. */
export async function previewInvitation(db: Db, token: string) {
  const invitation = await findUsableInvitation(db, token);
  if (!invitation) return null;
  const [org] = await db.select().from(organisations).where(eq(organisations.id, invitation.orgId));
  return org
    ? {
        organisationName: org.name,
        role: invitation.role,
        expiresAt: invitation.expiresAt,
        stopped: invitation.stopped,
      }
    : null;
}

export async function acceptInvitationTx(tx: Db | Tx, invitation: Invitation, userId: string) {
  // Asked again in the transaction: the creator may have been removed since the link was looked up.
  const [creator] = invitation.createdBy
    ? await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.orgId, invitation.orgId), eq(memberships.userId, invitation.createdBy)))
    : [];
  const stopped = invitationStanding(creator?.role ?? null, invitation.role);
  if (stopped) throw new UserError('BAD_REQUEST', stopped);
  const [org] = await tx.select().from(organisations).where(eq(organisations.id, invitation.orgId));
  if (!org) throw notFound('The organisation');
  // A member keeps their role and the link stays open: it was meant for someone else (or for a role
  // change the link cannot make), and spending it would leave the inviter believing it worked.
  const [member] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
  if (member)
    throw new UserError(
      'CONFLICT',
      `You already are a member of ${org.name}, as ${member.role}: this link does not change your role. Ask an owner or admin to change it.`,
    );
  // Marking it accepted only if still open makes a link single-use even under concurrent clicks.
  const [claimed] = await tx
    .update(invitations)
    .set({ acceptedAt: new Date(), acceptedBy: userId })
    .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  if (!claimed) throw new UserError('CONFLICT', 'This invitation has already been used.');
  await tx.insert(memberships).values({ orgId: org.id, userId, role: invitation.role });
  return org;
}

export async function acceptInvitation(db: Db, token: string, userId: string) {
  const invitation = await findUsableInvitation(db, token);
  if (!invitation)
    throw new UserError('BAD_REQUEST', 'This invitation link is no longer valid. Ask for a new one.');
  return db.transaction((tx) => acceptInvitationTx(tx, invitation, userId));
}
