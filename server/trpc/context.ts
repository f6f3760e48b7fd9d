// Builds the tRPC context for an HTTP request: the shared database, the signed-in user and the client's
// address (what sign-up is throttled by).
import { clientAddress } from '../auth/client-address';
import { currentUser } from '../auth/session';
import { getDb } from '../db/client';
import { env } from '../env';
import type { Context } from './init';

export async function createRequestContext(req: Request): Promise<Context> {
  const db = getDb();
  return {
    db,
    user: await currentUser(db),
    clientAddress: clientAddress(req.headers.get('x-forwarded-for'), env().CONCORD_TRUSTED_PROXIES),
  };
}
