// What the contract-store tests share: a migrated database with two organisations, each able to add
// synchronisations with their store, full contract states with a distinct value in every field, and
// the rows read back through drizzle.
import { and, asc, eq } from 'drizzle-orm';
import { contractReadColumns, contracts, ofSynchronisation, runs } from '@/server/db/schema';
import type { ContractState } from '@/server/sync/core/contracts';
import { contractFromRow, createContractStore } from '@/server/sync/stores/contract-store';
import { withOriginData } from '@/server/sync/stores/source-copies';
import { createTestDatabase, type TestDatabase } from './database';
import { newOrg } from './sync-more';

export type StoreOrg = Awaited<ReturnType<typeof orgWithTarget>>;

/** A fresh database and two organisations (close the database after the file). */
export async function openStoreFixture() {
  const db = await createTestDatabase();
  return { db, orgA: await orgWithTarget(db), orgB: await orgWithTarget(db) };
}

/** An organisation with a source and a register schema; `sync()` adds a synchronisation between them. */
async function orgWithTarget(db: TestDatabase) {
  const { api, orgId } = await newOrg(db.db);
  const source = await api.sources.create({
    orgId,
    name: 'API',
    type: 'rest',
    config: { baseUrl: 'https://api.example.test' },
  });
  const register = await api.registers.create({ orgId, name: 'Things' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Thing',
    jsonSchema: {},
  });
  let syncs = 0;
  /** A new synchronisation of this organisation with its store and a way to start runs of it. */
  async function sync() {
    const created = await api.synchronisations.create({
      orgId,
      name: `Things in ${++syncs}`,
      sourceId: source.id,
      sourceEndpoint: '/things',
      targetType: 'register',
      targetRegisterId: register.id,
      targetSchemaId: schema.id,
    });
    const syncId = created.id;
    const newRun = async () => {
      const [run] = await db.db
        .insert(runs)
        .values({ orgId, synchronisationId: syncId, trigger: 'manual', status: 'running' })
        .returning({ id: runs.id });
      return run!.id;
    };
    return { orgId, syncId, store: createContractStore(db.db, orgId, syncId), newRun };
  }
  return { orgId, api, sync };
}

export const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute, 30, 123));

/** A full contract state with distinct values in every field; `overrides` replace any of them. */
export function state(originId: string, overrides: Partial<ContractState> = {}): ContractState {
  return {
    originId,
    parentOriginId: null,
    targetId: `obj_${originId}`,
    originHash: `origin-hash-${originId}`,
    targetHash: `target-hash-${originId}`,
    sentHash: `sent-hash-${originId}`,
    status: 'synced',
    lastAction: 'create',
    lastError: null,
    sourceLastChanged: at(1),
    sourceLastChecked: at(2),
    sourceLastSynced: at(3),
    targetLastChanged: at(4),
    targetLastChecked: at(5),
    targetLastSynced: at(6),
    sentData: { name: `Sent ${originId}` },
    originData: { id: originId, name: `Thing ${originId}` },
    ...overrides,
  };
}

/** The same state as the engine sends it when it did not load the origin data (the key is absent). */
export function withoutData({ originData: _, ...rest }: ContractState): ContractState {
  return rest;
}

/** Reads contract rows back through drizzle, with their source objects as the services read them. */
export function rowReaders(database: () => TestDatabase) {
  const rowsOf = async (syncId: string) =>
    withOriginData(
      database().db,
      await database()
        .db.select(contractReadColumns)
        .from(contracts)
        .where(ofSynchronisation(syncId))
        .orderBy(asc(contracts.originId)),
    );
  const rowOf = async (syncId: string, originId: string) => {
    const rows = await database()
      .db.select(contractReadColumns)
      .from(contracts)
      .where(and(ofSynchronisation(syncId), eq(contracts.originId, originId)));
    const [row] = await withOriginData(database().db, rows);
    if (!row) throw new Error(`no contract ${originId} in ${syncId}`);
    return row;
  };
  return { rowsOf, rowOf };
}

/** The columns a ContractState maps to, as the row holds them. */
export function stateOf(row: Parameters<typeof contractFromRow>[0] & { originData: unknown }): ContractState {
  return { ...contractFromRow(row), originData: row.originData };
}

/** `{ n: { n: … { n: 'bottom' } } }`, `depth` objects deep. */
export function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { n: 'bottom' };
  for (let i = 1; i < depth; i++) value = { n: value };
  return value;
}

export const byOriginId = (a: ContractState, b: ContractState) =>
  a.originId < b.originId ? -1 : a.originId > b.originId ? 1 : 0;
export const sorted = (ids: readonly string[]) => [...ids].sort();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
