// Builds the tRPC context for an HTTP request: the shared database and the signed-in user.
import { currentUser } from '../auth/session';
import { getDb } from '../db/client';
import type { Context } from './init';

export async function createRequestContext(): Promise<Context> {
  const db = getDb();
  return { db, user: await currentUser(db) };
}
