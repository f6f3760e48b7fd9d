// A contract's six times and its last write's are stored as offsets from its creation and read through
// virtual columns of their names (migrations 0046–0047, schema/contracts.ts): every writer's times read
// back to the millisecond — the engine's upsert creating and later updating a contract, two-way's pair
// store, a drizzle update — a new contract's times equal to its creation take no byte, and upgrading a
// database whose times are absolute keeps every time and every page memo's stamp (a re-run still finds
// its pages unchanged).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { CONTRACT_TIMES, contractReadColumns, contracts, ofSynchronisation } from '@/server/db/schema';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { contractFromRow } from '@/server/sync/stores/contract-store';
import { createPairStore } from '@/server/sync/two-way/pair-store';
import { at, openStoreFixture, sleep, state, type StoreOrg } from '../helpers/contract-store-fixture';
import type { TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

const MIGRATIONS = [
  'drizzle/0046_contract_times_as_offsets.sql',
  'drizzle/0047_contract_written_as_offset.sql',
];

describe("a contract's times", () => {
  let db: TestDatabase;
  let orgA: StoreOrg;
  beforeAll(async () => {
    ({ db, orgA } = await openStoreFixture());
  });
  afterAll(() => db.close());

  const offsets = async (syncId: string, originId: string) => {
    const [row] = await db.db
      .select({ seq: contracts.seq })
      .from(contracts)
      .where(and(ofSynchronisation(syncId), eq(contracts.originId, originId)));
    const stored = await db.client.execute({
      sql: `SELECT ${[...CONTRACT_TIMES, 'updated_at'].map((t) => `${t}_offset AS ${t}`).join(', ')}
        FROM contracts WHERE seq = ?`,
      args: [row!.seq],
    });
    return { ...stored.rows[0] };
  };
  const read = async (syncId: string, originId: string) => {
    const [row] = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(and(ofSynchronisation(syncId), eq(contracts.originId, originId)));
    return row!;
  };

  it('read back as the engine wrote them, on creation and on a later update', async () => {
    const { syncId, store, newRun } = await orgA.sync();
    const created = new Date(Date.now() - 5_000);
    const times = {
      sourceLastChanged: created,
      sourceLastChecked: new Date(created.getTime() - 1_234),
      sourceLastSynced: created,
      targetLastChanged: created,
      targetLastChecked: created,
      targetLastSynced: null,
    };
    await store.upsert([state('t-1', times)], created);
    // Stored: 0 where the time is the creation, the difference where it is not, NULL stays NULL.
    expect(await offsets(syncId, 't-1')).toEqual({
      source_last_changed: 0,
      source_last_checked: -1_234,
      source_last_synced: 0,
      target_last_changed: 0,
      target_last_checked: 0,
      target_last_synced: null,
      updated_at: 0,
    });
    expect(await read(syncId, 't-1')).toMatchObject({ ...times, createdAt: created, updatedAt: created });

    // Later, at another time: each time as written, the creation kept.
    await sleep(20);
    const later = {
      sourceLastChanged: at(7),
      sourceLastChecked: new Date(),
      sourceLastSynced: at(8),
      targetLastChanged: created,
      targetLastChecked: new Date(Date.now() + 3),
      targetLastSynced: at(9),
    };
    const written = new Date();
    await store.upsert([state('t-1', later)], written);
    const row = await read(syncId, 't-1');
    expect(row).toMatchObject({ ...later, createdAt: created, updatedAt: written });
    expect(contractFromRow(row)).toMatchObject(later);
    // The engine's own lookup (raw SQL over the virtual columns) reads them the same.
    const lookup = await store.lookup({ runId: await newRun(), page: 1, originIds: ['t-1'] });
    expect(lookup.contracts).toMatchObject([later]);

    // A change made through drizzle (a quarantine lifted, a held deletion settled) moves the write time.
    const before = Date.now();
    await db.db.update(contracts).set({ lastError: 'x' }).where(eq(contracts.seq, row.seq));
    const changed = await read(syncId, 't-1');
    expect(changed.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(changed.updatedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(changed).toMatchObject({ ...later, createdAt: created });
  });

  it('read back as the two-way pair store wrote them, on creation and on a later update', async () => {
    const { orgId, syncId } = await orgA.sync();
    const pairs = createPairStore(db.db, { orgId, syncId });
    const first = {
      ...state('p-1'),
      targetBaseHash: null,
      originSentHash: null,
      targetData: null,
      originData: { id: 'p-1' },
      flips: 0,
      flipsSince: null,
    };
    await pairs.save([first]);
    const found = (await pairs.byOriginIds(['p-1'])).get('p-1')!;
    for (const key of ['sourceLastChanged', 'sourceLastChecked', 'targetLastSynced'] as const)
      expect(found[key]).toEqual(first[key]);
    await sleep(20);
    const second = { ...first, sourceLastChecked: new Date(), targetLastSynced: at(30) };
    await pairs.save([second]);
    const again = (await pairs.byOriginIds(['p-1'])).get('p-1')!;
    expect(again).toMatchObject({
      sourceLastChanged: first.sourceLastChanged,
      sourceLastChecked: second.sourceLastChecked,
      targetLastSynced: at(30),
    });
  });
});

describe('upgrading a database whose contract times are absolute (migrations 0046, 0047)', () => {
  let dir: string;
  let database: Database;
  let A: JsonServer;
  let s: Awaited<ReturnType<typeof restToRegister>>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'concord-contract-times-'));
    database = openDatabase(`file:${path.join(dir, 'concord.db')}`);
    await migrateDatabase(database);
    A = await startJsonServer({ people: people(25) });
    s = await restToRegister(database.db, A.url);
  });
  afterAll(async () => {
    await stopEmbeddedRunner(database.db);
    await A.stop();
    database.client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const execute = (sql: string) => database.client.execute(sql);
  const times = async () =>
    (await database.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id))).map(
      (c) => [c.originId, c.createdAt, c.updatedAt, ...CONTRACT_TIMES.map((t) => c[camel(t)])],
    );
  const epochs = async () => (await execute('SELECT sync_seq, n FROM contract_epochs ORDER BY 1')).rows;

  it('keeps every time and the page memos’ stamps, and a re-run finds nothing changed', async () => {
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 25 });
    // A second run stamps the pages' memos (their contracts all clean).
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', skipped: 25 });
    const before = await times();
    const stamps = await epochs();

    // The times as Concord stored them before 0046: absolute, in columns of their own names (the epochs'
    // trigger set aside, as the migration sets it aside).
    const trigger = (
      await execute(
        `SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'contract_epochs_update'`,
      )
    ).rows[0]!.sql as string;
    await execute('DROP TRIGGER contract_epochs_update');
    const stored = [...CONTRACT_TIMES, 'updated_at'];
    for (const t of stored) await execute(`ALTER TABLE contracts DROP COLUMN ${t}`);
    await execute(
      `UPDATE contracts SET ${stored.map((t) => `${t}_offset = ${t}_offset + created_at`).join(', ')}`,
    );
    for (const t of stored) await execute(`ALTER TABLE contracts RENAME COLUMN ${t}_offset TO ${t}`);
    await execute(trigger);
    const absolute = await execute(`SELECT source_last_checked - created_at AS d FROM contracts LIMIT 1`);
    expect(Math.abs(Number(absolute.rows[0]!.d))).toBeLessThan(60_000);

    for (const migration of MIGRATIONS) {
      const statements = readFileSync(path.resolve(migration), 'utf8')
        .split('--> statement-breakpoint')
        .map((x) => x.trim())
        .filter(Boolean);
      await database.client.batch(statements, 'write');
    }

    expect(await times()).toEqual(before);
    expect(await epochs()).toEqual(stamps);
    const rerun = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(rerun).toMatchObject({ result: 'success', skipped: 25, created: 0, updated: 0 });
    expect(await times()).toEqual(before.map((b) => b));
  });
});

const camel = (t: (typeof CONTRACT_TIMES)[number]) =>
  t.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as
    | 'sourceLastChanged'
    | 'sourceLastChecked'
    | 'sourceLastSynced'
    | 'targetLastChanged'
    | 'targetLastChecked'
    | 'targetLastSynced';
