// The setup of the API tests that need one organisation and nothing else: a fresh database, an owner
// (signed up, with their own organisation) and a caller acting as them; and how a refused call reads.
import { TRPCError } from '@trpc/server';
import { createTestDatabase, type TestDatabase } from './database';
import { newOrg } from './sync-more';

export type OwnerApi = Awaited<ReturnType<typeof newOrg>> & { readonly db: TestDatabase };

/** A fresh migrated database with a new owner and their API caller; `db.close()` when done. */
export async function ownerApi(): Promise<OwnerApi> {
  const db = await createTestDatabase();
  return { db, ...(await newOrg(db.db)) };
}

/** The code, message and offending field of a call the API refuses; throws if the call succeeds. */
export async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError)
      return { code: error.code, message: error.message, field: (error.cause as { field?: string })?.field };
    throw error;
  }
  throw new Error('expected the call to fail');
}
