// Server-side: a detail page's record, loaded through the organisation's service (the same org-scoped
// query its tRPC procedure uses), or Next's 404. The page's client part loads the record again to show
// it; this is only so a missing id — or another organisation's, which reads the same — answers a real
// 404 with the not-found page instead of a 200 carrying a message box.
import { notFound } from 'next/navigation';
import { getDb, type Db } from '@/server/db/client';
import { UserError } from '@/server/services/errors';
import { loadSchema } from '@/server/services/registers';

export async function orgRecordOr404<T>(load: (db: Db) => Promise<T>): Promise<T> {
  try {
    return await load(getDb());
  } catch (error) {
    if (error instanceof UserError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
}

/** A schema's pages name its register too: a schema of the organisation under another register is not found. */
export async function schemaOfRegisterOr404(orgId: string, registerId: string, schemaId: string) {
  const schema = await orgRecordOr404((db) => loadSchema(db, orgId, schemaId));
  if (schema.registerId !== registerId) notFound();
  return schema;
}
