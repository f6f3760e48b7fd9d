// Invitation links: an owner or admin creates one for a role; there is no mail server, so the link is
// shown once to copy. Only the token's hash is stored.
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
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

export async function listPendingInvitations(db: Db, orgId: string) {
  return db
    .select({
      id: invitations.id,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      createdBy: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.createdBy))
    .where(
      and(
        eq(invitations.orgId, orgId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
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

export async function findUsableInvitation(db: Db | Tx, token: string): Promise<Invitation | undefined> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    );
  return row;
}

/** What the invitation page shows before the person decides: which organisation, which role. */
export async function previewInvitation(db: Db, token: string) {
  const invitation = await findUsableInvitation(db, token);
  if (!invitation) return null;
  const [org] = await db.select().from(organisations).where(eq(organisations.id, invitation.orgId));
  return org ? { organisationName: org.name, role: invitation.role, expiresAt: invitation.expiresAt } : null;
}

export async function acceptInvitationTx(tx: Db | Tx, invitation: Invitation, userId: string) {
  // Marking it accepted only if still open makes a link single-use even under concurrent clicks.
  const [claimed] = await tx
    .update(invitations)
    .set({ acceptedAt: new Date(), acceptedBy: userId })
    .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  if (!claimed) throw new UserError('CONFLICT', 'This invitation has already been used.');
  const [org] = await tx.select().from(organisations).where(eq(organisations.id, invitation.orgId));
  if (!org) throw notFound('The organisation');
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
  if (!member) await tx.insert(memberships).values({ orgId: org.id, userId, role: invitation.role });
  return org;
}

export async function acceptInvitation(db: Db, token: string, userId: string) {
  const invitation = await findUsableInvitation(db, token);
  if (!invitation)
    throw new UserError('BAD_REQUEST', 'This invitation link is no longer valid. Ask for a new one.');
  return db.transaction((tx) => acceptInvitationTx(tx, invitation, userId));
}
