// Drives Concord's real code paths: sign-up, then source, register schema, mapping and synchronisation
// through the tRPC API, and runs executed to completion in process; counts the register's writes.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { objects, objectsOfOrg, ofSchema, organisations } from '@/server/db/schema';
import { signUp } from '@/server/services/accounts';
import { loadRun, requestRun } from '@/server/services/runs';
import { executeEmbedded } from '@/server/runner/embedded';
import { createCaller } from '@/server/trpc/root';
import { OBJECTS, PAGE_SIZE, firstPagePath } from './config';

export const ITEM_SCHEMA = {
  type: 'object',
  required: ['name', 'email'],
  properties: {
    name: { type: 'string', minLength: 1 },
    email: { type: 'string' },
    age: { type: 'integer', minimum: 0 },
    active: { type: 'boolean' },
    city: { type: 'string' },
    postcode: { type: 'string' },
  },
};

export const ITEM_MAPPING = {
  mapping: {
    name: 'name',
    email: 'email',
    age: 'age',
    active: 'active',
    city: 'address.city',
    postcode: 'address.postcode',
  },
};

export interface BenchSync {
  /** The signed-up user, who owns the organisation (the push case sets up more through the API). */
  userId: string;
  orgId: string;
  syncId: string;
  schemaId: string;
}

export async function setUpSync(db: Db, baseUrl: string): Promise<BenchSync> {
  const { user, orgSlug } = await signUp(db, {
    name: 'Bench',
    email: `bench-${Date.now()}@example.test`,
    password: 'correct horse battery',
    organisationName: 'Bench',
  });
  const [org] = await db.select().from(organisations).where(eq(organisations.slug, orgSlug));
  if (!org) throw new Error('bench: organisation missing after sign-up');
  const api = createCaller({ db, user: { id: user.id, email: user.email, name: user.name } });
  const orgId = org.id;
  const source = await api.sources.create({ orgId, name: 'Items API', type: 'rest', config: { baseUrl } });
  const register = await api.registers.create({ orgId, name: 'Bench' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Item',
    jsonSchema: ITEM_SCHEMA,
  });
  const mapping = await api.mappings.create({ orgId, name: 'Item', config: ITEM_MAPPING });
  const sync = await api.synchronisations.create({
    orgId,
    name: 'Items into the register',
    sourceId: source.id,
    sourceEndpoint: firstPagePath(),
    sourceConfig: {
      pagination: { kind: 'link-header' },
      maxPages: Math.max(1000, Math.ceil(OBJECTS / PAGE_SIZE) + 1),
    },
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
  });
  return { userId: user.id, orgId, syncId: sync.id, schemaId: schema.id };
}

export interface RegisterTally {
  rows: number;
  versions: number;
}

/** The schema's rows (soft-deleted included) and the sum of their versions. */
export async function registerTally(db: Db, s: BenchSync): Promise<RegisterTally> {
  const [row] = await db
    .select({ rows: sql<number>`count(*)`, versions: sql<number>`coalesce(sum(${objects.version}), 0)` })
    .from(objects)
    .where(and(objectsOfOrg(s.orgId), ofSchema(s.schemaId)));
  return { rows: Number(row?.rows ?? 0), versions: Number(row?.versions ?? 0) };
}

/** Objects the run touched, as the register shows them (created_at / updated_at at or after `since`). */
async function touched(db: Db, s: BenchSync, since: Date) {
  const scope = and(objectsOfOrg(s.orgId), ofSchema(s.schemaId));
  const [row] = await db
    .select({
      created: sql<number>`coalesce(sum(${objects.createdAt} >= ${since.getTime()}), 0)`,
      updated: sql<number>`coalesce(sum(${objects.createdAt} < ${since.getTime()} and ${objects.updatedAt} >= ${since.getTime()}), 0)`,
    })
    .from(objects)
    .where(scope);
  return { created: Number(row?.created ?? 0), updated: Number(row?.updated ?? 0) };
}

/** One run requested as the run button does and executed as the embedded runner executes it. */
export async function runSync(db: Db, s: BenchSync) {
  const { run } = await requestRun(db, s.orgId, s.syncId, { trigger: 'manual' });
  await executeEmbedded(db, run.id, { urlPolicy: { allowPrivateNetworks: true } });
  return loadRun(db, s.orgId, run.id);
}

export type FinishedRun = Awaited<ReturnType<typeof runSync>>;

/** Checks a run's writes against the register: new rows, rows updated since it started, version sum. */
export async function registerWrites(db: Db, s: BenchSync, since: Date, before: RegisterTally) {
  const after = await registerTally(db, s);
  const seen = await touched(db, s, since);
  return {
    created: seen.created,
    updated: seen.updated,
    rows: after.rows,
    versionIncrements: after.versions - before.versions - (after.rows - before.rows),
  };
}
