// Test data with partial overrides: people, organisations, members and callers acting as them.
import type { Db } from '@/server/db/client';
import type { Role } from '@/server/db/schema';
import { signUp } from '@/server/services/accounts';
import { acceptInvitation, createInvitation } from '@/server/services/invitations';
import { createCaller } from '@/server/trpc/root';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
}

/** Signs a person up (which creates their own organisation) and returns them with that organisation. */
export async function createOwner(
  db: Db,
  overrides: Partial<{ name: string; email: string; password: string; organisationName: string }> = {},
) {
  const id = unique();
  const input = {
    name: overrides.name ?? `Owner ${id}`,
    email: overrides.email ?? `owner-${id}@example.test`,
    password: overrides.password ?? 'correct horse battery',
    organisationName: overrides.organisationName ?? `Org ${id}`,
  };
  const { user, orgSlug } = await signUp(db, input);
  const org = await db.query.organisations.findFirst({ where: (o, { eq }) => eq(o.slug, orgSlug) });
  if (!org) throw new Error('factory: organisation missing');
  return { user: { id: user.id, email: user.email, name: user.name, password: input.password }, org };
}

/** Adds a new person to `orgId` with `role`, through a real invitation link. */
export async function createMember(db: Db, orgId: string, invitedBy: string, role: Exclude<Role, 'owner'>) {
  const invitee = await createOwner(db, { organisationName: `Own org ${unique()}` });
  const { token } = await createInvitation(db, orgId, invitedBy, role);
  await acceptInvitation(db, token, invitee.user.id);
  return invitee.user;
}

export function callerFor(db: Db, user: { id: string; email: string; name: string } | null) {
  return createCaller({ db, user: user && { id: user.id, email: user.email, name: user.name } });
}
