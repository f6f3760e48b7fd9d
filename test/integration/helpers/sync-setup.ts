// Builds a realistic synchronisation through the API (source, register schema, mapping, sync) and
// runs it either through the API (Run button path) or directly with test-only HTTP settings.
import { expect } from 'vitest';
import type { Db } from '@/server/db/client';
import { executeEmbedded } from '@/server/runner/embedded';
import { requestRun } from '@/server/services/runs';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import type { SyncSourceConfigInput } from '@/server/sync/config/sync-config';
import type { HttpClientOptions } from '@/server/sync/http';
import { callerFor, createOwner } from '../../factories';
import { PERSON_MAPPING, people } from './people';

export const PERSON_SCHEMA = {
  type: 'object',
  required: ['name', 'email'],
  properties: { name: { type: 'string', minLength: 1 }, email: { type: 'string' }, city: { type: 'string' } },
};

export { PERSON_MAPPING, people };

/** A json-server listing read incrementally by `updatedAt` (json-server's `_gte` filter), no lookback. */
export const INCREMENTAL_BY_UPDATED_AT = {
  pagination: { kind: 'link-header' },
  incremental: { field: 'updatedAt', query: 'updatedAt_gte={{cursor}}', lookbackSeconds: 0 },
} satisfies SyncSourceConfigInput;

/** A "Directory" register with the Person schema, and a Person mapping with `config`. */
export async function personTarget(
  api: ReturnType<typeof callerFor>,
  orgId: string,
  config: Parameters<ReturnType<typeof callerFor>['mappings']['create']>[0]['config'],
) {
  const register = await api.registers.create({ orgId, name: 'Directory' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_SCHEMA,
  });
  const mapping = await api.mappings.create({ orgId, name: 'Person', config });
  return { register, schema, mapping };
}

export async function restToRegister(db: Db, baseUrl: string, sync: Partial<SynchronisationInput> = {}) {
  const owner = await createOwner(db);
  const api = callerFor(db, owner.user);
  return { owner, ...(await restToRegisterIn(api, owner.org.id, baseUrl, sync)) };
}

/** `restToRegister` in an organisation the caller already has. */
export async function restToRegisterIn(
  api: ReturnType<typeof callerFor>,
  orgId: string,
  baseUrl: string,
  sync: Partial<SynchronisationInput> = {},
) {
  const source = await api.sources.create({ orgId, name: 'People API', type: 'rest', config: { baseUrl } });
  const { register, schema, mapping } = await personTarget(api, orgId, PERSON_MAPPING);
  const input: SynchronisationInput = {
    name: 'People into the directory',
    sourceId: source.id,
    sourceEndpoint: '/people?_page=1&_limit=10',
    sourceConfig: { pagination: { kind: 'link-header' } },
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    ...sync,
  };
  const created = await api.synchronisations.create({ orgId, ...input });
  return { api, orgId, source, register, schema, mapping, sync: created, input };
}

/** The Run button's path: the API queues the run and the executor runs it; wait until it ends. */
export async function runThroughApi(
  api: ReturnType<typeof callerFor>,
  orgId: string,
  syncId: string,
  mode: { test?: boolean; force?: boolean } = {},
  timeoutMs = 50_000,
) {
  const { runId } = await api.synchronisations.run({
    orgId,
    syncId,
    test: mode.test ?? false,
    force: mode.force ?? false,
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await api.runs.get({ orgId, runId });
    if (run.status === 'finished' || run.status === 'cancelled') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fast retries and no real waiting, for the fault tests. */
export const FAST_HTTP: Partial<HttpClientOptions> = {
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 },
  sleep: async () => {},
};

export async function runDirect(
  db: Db,
  orgId: string,
  syncId: string,
  mode: { test?: boolean; force?: boolean } = {},
) {
  const { run } = await requestRun(db, orgId, syncId, { trigger: 'manual', ...mode });
  // Executed as the embedded runner executes it (durable steps, pages read ahead), with fast retries.
  await executeEmbedded(db, run.id, { urlPolicy: { allowPrivateNetworks: true }, http: FAST_HTTP });
  const { loadRun } = await import('@/server/services/runs');
  const finished = await loadRun(db, orgId, run.id);
  expect(finished.status).toBe('finished');
  return finished;
}
