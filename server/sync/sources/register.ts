// Concord's own register as a source: a schema's live objects, keyset-paged by object id, org-scoped.
// A schema that is gone ends the listing incomplete — an empty listing would delete every contract.
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { objects, objectsOfOrg, ofSchema, schemas } from '../../db/schema';
import type { ListingOutcome } from '../core/pagination/types';
import type { SourcePage, SourcePort } from '../ports';
import type { RegisterIdentity } from './register-identity';

/** The last object id listed, and the number of the next page (kept so page numbers survive resuming). */
export interface RegisterCursor {
  after: string | null;
  page?: number;
}

export interface RegisterSourceOptions {
  db: Db;
  orgId: string;
  systemId: string;
  schemaId: string;
  pageSize?: number;
  /** Soft-deleted objects are never listed: a deleted object is one that left the source. */
  includeDeleted?: false;
  /**
   * A synchronisation's listing: each page's objects kept with their contracts (register-identity.ts) —
   * an object whose id another object's contract holds is refused, one whose id changed takes its
   * contract along. Left out where no contracts are involved (samples, previews).
   */
  identity?: RegisterIdentity;
}

export const DEFAULT_REGISTER_PAGE_SIZE = 1000;

/**
 * The object a sync sees: its data as stored, plus `id` (the register's object id) when the data has no
 * `id` of its own. Data that carries an `id` (typically the id from the system it came from) is left
 * as it is, so a hub passes that id on unchanged; point the sync's id field wherever it belongs. Such an
 * id may be shared by two objects or changed: a synchronisation's contracts stay with their register
 * object all the same (register-identity.ts).
 */
export function registerObject(row: { id: string; data: Record<string, unknown> }): Record<string, unknown> {
  return Object.hasOwn(row.data, 'id') ? row.data : { ...row.data, id: row.id };
}

/**
 * A schema's live objects after `after` in id order: a range of the objects_schema index (schema, deleted,
 * id), so a page costs its own rows however many objects the schema holds.
 */
export function registerPageQuery(
  o: Pick<RegisterSourceOptions, 'db' | 'orgId' | 'schemaId'>,
  after: string | null,
  limit: number,
) {
  const filters = [objectsOfOrg(o.orgId), ofSchema(o.schemaId), isNull(objects.deletedAt)];
  if (after !== null) filters.push(gt(objects.id, after));
  return o.db
    .select({ id: objects.id, data: objects.data })
    .from(objects)
    .where(and(...filters))
    .orderBy(asc(objects.id))
    .limit(limit);
}

export function createRegisterSource(o: RegisterSourceOptions): SourcePort<RegisterCursor> {
  const pageSize = Math.max(1, Math.floor(o.pageSize ?? DEFAULT_REGISTER_PAGE_SIZE));
  const url = `register:${o.schemaId}`;

  async function schemaExists(): Promise<boolean> {
    const [row] = await o.db
      .select({ id: schemas.id })
      .from(schemas)
      .where(and(eq(schemas.orgId, o.orgId), eq(schemas.id, o.schemaId)))
      .limit(1);
    return row !== undefined;
  }

  async function* pages(
    from: RegisterCursor | null,
  ): AsyncGenerator<SourcePage<RegisterCursor>, ListingOutcome, void> {
    let after = from?.after ?? null;
    let page = Math.max(1, from?.page ?? 1);
    for (;;) {
      // Checked on every page: a schema deleted mid-run must not look like a schema without objects.
      if (!(await schemaExists())) {
        const message = 'The register schema of this source was not found: it may have been deleted.';
        return { complete: false, pages: page - 1, problem: { kind: 'transport', page, url, message } };
      }
      // One row more than a page tells whether another page follows without an extra query.
      const rows = await registerPageQuery(o, after, pageSize + 1);
      const listed = rows.slice(0, pageSize);
      const last = listed[listed.length - 1];
      const handed = o.identity ? await o.identity.resolve(listed, page) : null;
      const content = handed
        ? { objects: handed.objects, ...(handed.refused.length > 0 ? { refused: handed.refused } : {}) }
        : { objects: listed.map(registerObject) };
      if (rows.length <= pageSize || !last) {
        const outcome: ListingOutcome = { complete: true, pages: page };
        yield { number: page, url, ...content, then: { kind: 'end', outcome } };
        return outcome;
      }
      const cursor: RegisterCursor = { after: last.id, page: page + 1 };
      yield { number: page, url, ...content, then: { kind: 'next', cursor } };
      after = cursor.after;
      page += 1;
    }
  }

  return { systemId: o.systemId, pages };
}
