// The organisation gate for route handlers that are not tRPC (uploads, downloads): the same rule as
// orgProcedure — the signed-in caller's membership, NOT_FOUND for outsiders, FORBIDDEN without the
// permission — answered as HTTP.
import { getDb, type Db } from '../db/client';
import { findMembership } from '../services/organisations';
import { can, type Permission } from './permissions';
import { currentUser } from './session';

export type RouteGate =
  { ok: true; db: Db; userId: string; orgId: string } | { ok: false; response: Response };

export async function gateRoute(orgId: string, permission: Permission): Promise<RouteGate> {
  const db = getDb();
  const user = await currentUser(db);
  if (!user)
    return { ok: false, response: Response.json({ error: 'Sign in to continue.' }, { status: 401 }) };
  const membership = await findMembership(db, user.id, { id: orgId });
  if (!membership)
    return { ok: false, response: Response.json({ error: 'Organisation not found.' }, { status: 404 }) };
  if (!can(membership.role, permission)) {
    return {
      ok: false,
      response: Response.json(
        { error: `Your role (${membership.role}) does not allow this.` },
        { status: 403 },
      ),
    };
  }
  return { ok: true, db, userId: user.id, orgId };
}
