// More synchronisations built through the API as a user would (REST into a REST target, an XML API into
// the register, an uploaded CSV into the register), plus uploads to a file source and the live objects
// of a register schema.
import { Readable } from 'node:stream';
import { and, isNull } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { objects, ofSchema } from '@/server/db/schema';
import { storeFile } from '@/server/services/files';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { callerFor, createOwner } from '../../factories';
import { PERSON_MAPPING, runThroughApi } from './sync-setup';

/** A new owner with their organisation and an API caller acting as them. */
export async function newOrg(db: Db) {
  const owner = await createOwner(db);
  return { owner, api: callerFor(db, owner.user), orgId: owner.org.id };
}

/**
 * The Run button's path like `runThroughApi`, waiting up to `timeoutMs` for the run to end: thousands of
 * rows on a busy two-core machine can take longer than its fixed 20 s.
 */
/** The Run button's path with a deadline that suits larger files (see runThroughApi). */
export const runAndWait = runThroughApi;

/** The objects of a register schema that are not deleted. */
export function liveObjects(db: Db, schemaId: string) {
  return db
    .select()
    .from(objects)
    .where(and(ofSchema(schemaId), isNull(objects.deletedAt)));
}

/** json-server A (`/people`, Link-header pages of 10) into a REST target B, with PERSON_MAPPING. */
/** A json-server `people` collection as a REST target: POST to create, PUT and DELETE by its id. */
export const PEOPLE_TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
  updateMethod: 'PUT',
};

export async function restToRest(
  db: Db,
  sourceUrl: string,
  targetUrl: string,
  targetConfig: RestTargetConfigInput,
  sync: Partial<SynchronisationInput> = {},
) {
  const { owner, api, orgId } = await newOrg(db);
  const source = await api.sources.create({
    orgId,
    name: 'People API (A)',
    type: 'rest',
    config: { baseUrl: sourceUrl },
  });
  const target = await api.sources.create({
    orgId,
    name: 'Directory API (B)',
    type: 'rest',
    config: { baseUrl: targetUrl },
  });
  const mapping = await api.mappings.create({ orgId, name: 'Person', config: PERSON_MAPPING });
  const input: SynchronisationInput = {
    name: 'People from A to B',
    sourceId: source.id,
    sourceEndpoint: '/people?_page=1&_limit=10',
    sourceConfig: { pagination: { kind: 'link-header' } },
    mappingId: mapping.id,
    targetType: 'source',
    targetSourceId: target.id,
    targetConfig,
    ...sync,
  };
  const created = await api.synchronisations.create({ orgId, ...input });
  return { owner, api, orgId, source, target, mapping, sync: created, input };
}

export const BOOK_SCHEMA = {
  type: 'object',
  required: ['title', 'price', 'currency'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1 },
    price: { type: 'number', minimum: 0 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
};

/** Text, the text beside an attribute, and the attribute itself; the price as a number. */
export const BOOK_MAPPING = {
  mapping: { title: 'title', price: 'price.#text', currency: 'price.@attributes.currency' },
  cast: { price: 'float' },
};

/** An XML API (`/books`, next link in `catalog.next`) into a register schema of books. */
export async function xmlToRegister(db: Db, baseUrl: string, sync: Partial<SynchronisationInput> = {}) {
  const { owner, api, orgId } = await newOrg(db);
  const source = await api.sources.create({
    orgId,
    name: 'Book catalogue',
    type: 'rest',
    config: { baseUrl },
  });
  const register = await api.registers.create({ orgId, name: 'Library' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Book',
    jsonSchema: BOOK_SCHEMA,
  });
  const mapping = await api.mappings.create({ orgId, name: 'Book', config: BOOK_MAPPING });
  const input: SynchronisationInput = {
    name: 'Books into the library',
    sourceId: source.id,
    sourceEndpoint: '/books',
    sourceConfig: {
      resultsPosition: 'catalog.book',
      sourceIdField: '@attributes.id',
      pagination: { kind: 'next-link', path: 'catalog.next' },
    },
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    ...sync,
  };
  const created = await api.synchronisations.create({ orgId, ...input });
  return { owner, api, orgId, source, register, schema, mapping, sync: created, input };
}

/** A file source (no file yet) into a register schema, with the given schema, mapping and id column. */
export async function fileToRegister(
  db: Db,
  o: {
    format: 'csv' | 'json' | 'xml';
    jsonSchema: unknown;
    mapping: unknown;
    sourceIdField: string;
    sync?: Partial<SynchronisationInput>;
  },
) {
  const { owner, api, orgId } = await newOrg(db);
  const source = await api.sources.create({
    orgId,
    name: 'Uploaded file',
    type: 'file',
    config: { format: o.format },
  });
  const register = await api.registers.create({ orgId, name: 'From a file' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Record',
    jsonSchema: o.jsonSchema,
  });
  const mapping = await api.mappings.create({ orgId, name: 'Record', config: o.mapping });
  const input: SynchronisationInput = {
    name: 'File into the register',
    sourceId: source.id,
    sourceConfig: { sourceIdField: o.sourceIdField },
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    ...o.sync,
  };
  const created = await api.synchronisations.create({ orgId, ...input });
  return { owner, api, orgId, source, register, schema, mapping, sync: created, input };
}

/**
 * Uploads a new version of a file source's file through `storeFile`, streamed: a readable stream as it
 * is, or text cut into pieces that do not line up with lines or characters.
 */
export async function uploadVersion(
  db: Db,
  s: { orgId: string; source: { id: string }; owner: { user: { id: string } } },
  body: AsyncIterable<Uint8Array> | string,
  name = 'upload.csv',
) {
  const stream =
    typeof body === 'string'
      ? Readable.from(
          (function* () {
            const bytes = Buffer.from(body);
            for (let i = 0; i < bytes.length; i += 10_007) yield bytes.subarray(i, i + 10_007);
          })(),
        )
      : body;
  return storeFile(db, {
    orgId: s.orgId,
    sourceId: s.source.id,
    name,
    contentType: 'text/csv',
    uploadedBy: s.owner.user.id,
    body: stream,
  });
}
