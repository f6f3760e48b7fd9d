// Sources and mappings count no versions: their ETag is their last change, in milliseconds, and an
// If-Match is checked against the row as it is stored now (412 when it changed since it was read).
// Both answer and honour their ETag the same way, so it is written once here: what a client's ETag
// means, and how a delete is guarded by it, cannot drift apart between the two.
import { z } from 'zod';
import type { Db } from '@/server/db/client';
import { route, type RouteDef } from '../define';
import { checkVersion } from './shared';

interface LastChanged {
  updatedAt: Date;
}

/** The ETag of a source or a mapping. */
export const versionOf = (row: LastChanged) => row.updatedAt.getTime();

/** Refuses (412) an If-Match the stored row no longer matches; `what` names it in the problem. */
export function checkLastChange(stored: LastChanged, ifMatch: number | undefined, what: string) {
  checkVersion(versionOf(stored), ifMatch, what);
}

/**
 * The DELETE route of a source or a mapping: the If-Match check against the stored row first, then
 * the delete (which the service refuses while a synchronisation uses it); 204 without a body.
 */
export function deleteLastChanged<P extends z.ZodObject>(def: {
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  params: P;
  what: string;
  load: (db: Db, orgId: string, params: z.output<P>) => Promise<LastChanged>;
  remove: (db: Db, orgId: string, params: z.output<P>) => Promise<void>;
}): RouteDef {
  const { what, load, remove, ...described } = def;
  return route({
    method: 'DELETE',
    ...described,
    scope: 'write',
    response: z.null(),
    status: 204,
    etag: true,
    handler: async ({ db, caller, params, ifMatch }) => {
      checkLastChange(await load(db, caller.orgId, params), ifMatch, what);
      await remove(db, caller.orgId, params);
      return { body: undefined };
    },
  });
}
