// Builds the tRPC context for an HTTP request: the shared database, the signed-in user and their session
// (the account page keeps it when ending the others), and the client's address (what sign-up is
// throttled by).
import { clientAddress } from '../auth/client-address';
import { currentSession } from '../auth/session';
import { getDb } from '../db/client';
import { env } from '../env';
import type { Context } from './init';

export async function createRequestContext(req: Request): Promise<Context> {
  const db = getDb();
  const session = await currentSession(db);
  return {
    db,
    user: session?.user ?? null,
    sessionId: session?.sessionId,
    clientAddress: clientAddress(req.headers.get('x-forwarded-for'), env().CONCORD_TRUSTED_PROXIES),
  };
}
