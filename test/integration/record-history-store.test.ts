// The contract store's record history, below the runs (record-history.test.ts has them): one version per
// run and contract however often the run writes it, a contract's history bounded to the newest
// CONTRACT_VERSIONS_KEPT, and no version for a skip, a failure, a hold or a store built without a run.
// Its targets are not register objects, so every version keeps its data in its own row (a store with
// implicitCreations is tried for the mechanics of a creation left to its contract, migration 0051).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTRACT_VERSIONS_KEPT,
  contractReadColumns,
  contracts,
  contractVersions,
  ofSynchronisation,
  runs,
  runSeqOf,
  versionColumns,
  versionsContract,
  versionsOfContract,
} from '@/server/db/schema';
import type { ContractState } from '@/server/sync/core/contracts';
import { createContractStore } from '@/server/sync/stores/contract-store';
import { openStoreFixture } from './helpers/contract-store-fixture';
import type { TestDatabase } from './helpers/database';

let db: TestDatabase;
let orgId: string;
let syncId: string;
let newRun: () => Promise<string>;
beforeAll(async () => {
  const fixture = await openStoreFixture();
  db = fixture.db;
  ({ orgId, syncId, newRun } = await fixture.orgA.sync());
});
afterAll(async () => {
  await db.close();
});

const versionsOfRun = (runId: string) =>
  db.db
    .select(versionColumns)
    .from(contractVersions)
    .innerJoin(contracts, versionsContract)
    .where(eq(contractVersions.runSeq, runSeqOf(runId)));
async function contractOf(originId: string) {
  const [row] = await db.db
    .select(contractReadColumns)
    .from(contracts)
    .where(and(ofSynchronisation(syncId), eq(contracts.originId, originId)));
  return row!;
}

const state = (originId: string, n: number): ContractState => ({
  originId,
  parentOriginId: null,
  targetId: `obj-${originId}`,
  originHash: `o${n}`,
  targetHash: `t${n}`,
  status: 'synced',
  lastAction: n === 0 ? 'create' : 'update',
  lastError: null,
  sourceLastChanged: null,
  sourceLastChecked: null,
  sourceLastSynced: null,
  targetLastChanged: null,
  targetLastChecked: null,
  targetLastSynced: null,
  written: { n },
});

describe('the store', () => {
  it('keeps one row when the same run writes the same object twice', async () => {
    const runId = await newRun();
    const store = createContractStore(db.db, orgId, syncId, { runId });
    await store.upsert([state('store-1', 0)]);
    await store.upsert([state('store-1', 1)]);
    const rows = await versionsOfRun(runId);
    // Still the run's creation of the object, with what it wrote last.
    expect(rows.map((r) => [r.action, r.data])).toEqual([['create', '{"n":1}']]);
  });

  it('leaves a creation to its contract, with what the run wrote last, until another write', async () => {
    const runId = await newRun();
    const store = createContractStore(db.db, orgId, syncId, { runId, implicitCreations: true });
    const [run] = await db.db.select({ seq: runs.seq }).from(runs).where(eq(runs.id, runId));
    await store.upsert([state('implicit-1', 0)]);
    // The same run writes it again: still its creation, still no row, the contract holding the newest.
    await store.upsert([
      { ...state('implicit-1', 0), originHash: 'o7', targetHash: 't7', written: { n: 7 } },
    ]);
    expect(await versionsOfRun(runId)).toEqual([]);
    expect(await contractOf('implicit-1')).toMatchObject({ createdRunSeq: run!.seq, originHash: 'o7' });
    // Another run's update writes the creation out as it was last, then its own version.
    const next = await newRun();
    await createContractStore(db.db, orgId, syncId, { runId: next, implicitCreations: true }).upsert([
      state('implicit-1', 1),
    ]);
    expect((await versionsOfRun(runId)).map((r) => [r.action, r.originHash, r.targetHash])).toEqual([
      ['create', 'o7', 't7'],
    ]);
    expect((await versionsOfRun(next)).map((r) => [r.action, r.originHash])).toEqual([['update', 'o1']]);
    expect(await contractOf('implicit-1')).toMatchObject({ createdRunSeq: null, originHash: 'o1' });
  });

  it(`keeps the newest ${CONTRACT_VERSIONS_KEPT} versions of a contract`, async () => {
    const total = CONTRACT_VERSIONS_KEPT + 5;
    for (let n = 0; n < total; n++) {
      const store = createContractStore(db.db, orgId, syncId, { runId: await newRun() });
      await store.upsert([state('store-2', n)]);
    }
    const contract = await contractOf('store-2');
    const rows = await db.db
      .select()
      .from(contractVersions)
      .where(versionsOfContract(contract.id))
      .orderBy(contractVersions.id);
    expect(rows).toHaveLength(CONTRACT_VERSIONS_KEPT);
    expect(rows[0]!.data).toBe(JSON.stringify({ n: 5 }));
    expect(rows.at(-1)!.data).toBe(JSON.stringify({ n: total - 1 }));
  });

  it('records nothing for skips, refusals and a store built without a run', async () => {
    const runId = await newRun();
    const store = createContractStore(db.db, orgId, syncId, { runId });
    await store.upsert([
      { ...state('store-3', 1), lastAction: 'skip' },
      { ...state('store-4', 1), status: 'failed', lastError: 'HTTP 503' },
      { ...state('store-5', 1), status: 'held', lastAction: 'hold' },
    ]);
    await createContractStore(db.db, orgId, syncId).upsert([state('store-6', 0)]);
    expect(await versionsOfRun(runId)).toHaveLength(0);
    const six = await contractOf('store-6');
    const sixRows = await db.db.select().from(contractVersions).where(versionsOfContract(six.id));
    expect(sixRows).toHaveLength(0);
  });
});

// A version names its run by the run's number (migration 0032): the number must be given to every run,
// stay its own, and never point a version at another run.
describe("a run's number", () => {
  const numberOf = async (runId: string) =>
    (await db.db.select({ seq: runs.seq }).from(runs).where(eq(runs.id, runId)))[0]?.seq;

  it('is given to each new run, one above the highest, and names the run in its versions', async () => {
    const first = await newRun();
    const second = await newRun();
    const n = await numberOf(first);
    expect(n).toBeGreaterThan(0);
    expect(await numberOf(second)).toBe(n! + 1);
    await createContractStore(db.db, orgId, syncId, { runId: second }).upsert([state('number-1', 0)]);
    expect((await versionsOfRun(second)).map((v) => v.runSeq)).toEqual([n! + 1]);
    expect(await versionsOfRun(first)).toHaveLength(0);
  });

  it('cannot be changed', async () => {
    const runId = await newRun();
    await expect(
      db.client.execute({ sql: 'UPDATE runs SET seq = seq + 1000 WHERE id = ?', args: [runId] }),
    ).rejects.toThrow(/a run keeps its number/);
  });

  it("leaves a deleted run's versions in the history, linked to no run, and never to a later one", async () => {
    const gone = await newRun();
    await createContractStore(db.db, orgId, syncId, { runId: gone }).upsert([state('number-2', 0)]);
    const contract = await contractOf('number-2');
    await db.db.delete(runs).where(eq(runs.id, gone));
    const later = await newRun();
    await createContractStore(db.db, orgId, syncId, { runId: later }).upsert([state('number-2', 1)]);
    const rows = await db.db
      .select({ runSeq: contractVersions.runSeq, action: contractVersions.action })
      .from(contractVersions)
      .where(versionsOfContract(contract.id))
      .orderBy(contractVersions.id);
    expect(rows).toEqual([
      { runSeq: null, action: 'create' },
      { runSeq: await numberOf(later), action: 'update' },
    ]);
  });
});

describe("a contract's number", () => {
  it("names the contract in its versions, keeps two contracts' histories apart and cannot change", async () => {
    const runId = await newRun();
    const store = createContractStore(db.db, orgId, syncId, { runId });
    await store.upsert([state('seq-a', 0), state('seq-b', 0)]);
    const [a, b] = [await contractOf('seq-a'), await contractOf('seq-b')];
    expect(b.seq).toBeGreaterThan(a.seq);
    const rows = await versionsOfRun(runId);
    const bySeq = [...rows].sort((x, y) => x.contractSeq - y.contractSeq);
    expect(bySeq.map((v) => [v.contractSeq, v.contractId])).toEqual([
      [a.seq, a.id],
      [b.seq, b.id],
    ]);
    // The versions hold it: the database refuses to move a contract to another number.
    await expect(
      db.client.execute({ sql: 'UPDATE contracts SET seq = seq + 1000 WHERE seq = ?', args: [a.seq] }),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it("takes the contract's versions with it when it is deleted, and no other's", async () => {
    const runId = await newRun();
    await createContractStore(db.db, orgId, syncId, { runId }).upsert([state('seq-c', 0), state('seq-d', 0)]);
    const [c, d] = [await contractOf('seq-c'), await contractOf('seq-d')];
    await db.db.delete(contracts).where(eq(contracts.seq, c.seq));
    expect(
      await db.db.select().from(contractVersions).where(eq(contractVersions.contractSeq, c.seq)),
    ).toEqual([]);
    expect((await versionsOfRun(runId)).map((v) => v.contractId)).toEqual([d.id]);
  });
});
