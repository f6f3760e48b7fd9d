// An SQL source read into a register schema, set up through the API as a user would: the source (with
// its password as a secret), a register and schema, a mapping and the synchronisation.
import { eq } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { runEntries, runs, runSteps } from '@/server/db/schema';
import { executeEmbedded } from '@/server/runner/embedded';
import { loadRun, requestRun } from '@/server/services/runs';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import type { SyncSourceConfigInput } from '@/server/sync/config/sync-config';
import { newOrg } from './sync-more';
import { personTarget } from './sync-setup';
import type { SqlPeer } from './sql-peers';

export const SQL_PERSON_MAPPING = { mapping: { name: 'name', email: 'email', city: 'city' } };

export interface SqlSyncOptions {
  endpoint: string;
  sourceConfig?: SyncSourceConfigInput;
  /** Overrides of the source's connection settings (a wrong port, another user). */
  connection?: Record<string, unknown>;
  password?: string;
  sync?: Partial<SynchronisationInput>;
}

export async function sqlToRegister(db: Db, peer: SqlPeer, o: SqlSyncOptions) {
  const { owner, api, orgId } = await newOrg(db);
  const source = await api.sources.create({
    orgId,
    name: `${peer.label} people`,
    type: 'sql',
    config: { ...peer.config, ...o.connection },
    secrets: o.password ? { password: o.password } : undefined,
  });
  const { register, schema, mapping } = await personTarget(api, orgId, SQL_PERSON_MAPPING);
  const input: SynchronisationInput = {
    name: `People from ${peer.label}`,
    sourceId: source.id,
    sourceEndpoint: o.endpoint,
    sourceConfig: o.sourceConfig ?? {},
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    ...o.sync,
  };
  const sync = await api.synchronisations.create({ orgId, ...input });
  return { owner, api, orgId, source, register, schema, mapping, sync, input };
}

/** Runs a sync as the embedded runner does, under the given address policy. */
export async function runWithPolicy(db: Db, orgId: string, syncId: string, allowPrivateNetworks: boolean) {
  const { run } = await requestRun(db, orgId, syncId, { trigger: 'manual' });
  await executeEmbedded(db, run.id, { urlPolicy: { allowPrivateNetworks } });
  return loadRun(db, orgId, run.id);
}

/** Everything a run left behind that a person or a log could read, as one text. */
export async function runTraces(db: Db, syncId: string): Promise<string> {
  const rows = await db.select().from(runs).where(eq(runs.synchronisationId, syncId));
  const entries = await Promise.all(
    rows.map((run) => db.select().from(runEntries).where(eq(runEntries.runId, run.id))),
  );
  const steps = await Promise.all(
    rows.map((run) => db.select().from(runSteps).where(eq(runSteps.runId, run.id))),
  );
  return JSON.stringify({ rows, entries, steps });
}
