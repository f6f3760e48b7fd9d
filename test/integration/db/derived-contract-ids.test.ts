// Contract ids derived from the rowid and a salt (migration 0045, schema/contracts.ts contractIdSql):
// a new contract stores no id of its own, yet people and the API see one id per contract that finds it,
// and only it, and only for its organisation; an id that is not one Concord gave out finds nothing.
// Contracts recorded before the upgrade keep the ids they were given. The database is today's with its
// contracts given ids as Concord gave them before 0045 (and the index of then), and 0045's statements
// are applied to it as the migrator applies them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { newIds } from '@/server/db/ids';
import { migrateDatabase } from '@/server/db/migrate';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

const MIGRATION = 'drizzle/0045_derived_contract_ids.sql';

let dir: string;
let database: Database;
let A: JsonServer;
let mine: Awaited<ReturnType<typeof restToRegister>>;
let theirs: Awaited<ReturnType<typeof restToRegister>>;

const execute = (sql: string, args: (string | number)[] = []) => database.client.execute({ sql, args });
const listed = async (s = mine) =>
  (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 500 })).rows;
const get = (contractId: string, s = mine) => s.api.contracts.get({ orgId: s.orgId, contractId });
const detail = (contractId: string, s = mine) => s.api.contracts.detail({ orgId: s.orgId, contractId });
const legacyIndexEntries = async () =>
  Number(
    (await execute(`SELECT count(*) AS n FROM contracts INDEXED BY contracts_id WHERE id <> ''`)).rows[0]!.n,
  );

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'concord-contract-ids-'));
  database = openDatabase(`file:${path.join(dir, 'concord.db')}`);
  await migrateDatabase(database);
  A = await startJsonServer({ people: people(4) });
  mine = await restToRegister(database.db, A.url);
  theirs = await restToRegister(database.db, A.url);
});
afterAll(async () => {
  await stopEmbeddedRunner(database.db);
  await A.stop();
  database.client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a new contract's id", () => {
  it('is one id per contract that finds it, and nothing of another organisation', async () => {
    expect(await runThroughApi(mine.api, mine.orgId, mine.sync.id)).toMatchObject({ created: 4 });
    expect(await runThroughApi(theirs.api, theirs.orgId, theirs.sync.id)).toMatchObject({ created: 4 });
    const rows = await listed();
    expect(rows).toHaveLength(4);
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^con_[0-9a-f]{16}[1-9a-f][0-9a-f]*$/);
    // No id stored and no entry in the id index: the id is the rowid and the salt.
    expect((await execute(`SELECT count(*) AS n FROM contracts WHERE id <> ''`)).rows[0]!.n).toBe(0);
    for (const row of rows) {
      expect(await get(row.id)).toMatchObject({ id: row.id, originId: row.originId });
      const shown = await detail(row.id);
      expect(shown.contract.id).toBe(row.id);
      expect(shown.source).toMatchObject({ id: Number(row.originId) });
    }
    // Each organisation finds its own contracts by their ids, never the other's.
    const other = (await listed(theirs))[0]!;
    await expect(get(other.id)).rejects.toThrow(/not found/i);
    await expect(get(rows[0]!.id, theirs)).rejects.toThrow(/not found/i);
  });

  it('finds nothing when it is not one Concord gave out', async () => {
    const row = (await listed())[0]!;
    const salt = row.id.slice(4, 20);
    const seq = row.id.slice(20);
    const forged = [
      // The right rowid with another salt: ids cannot be guessed from the rowid.
      `con_${salt.slice(0, 15)}${salt[15] === '0' ? '1' : '0'}${seq}`,
      // The same number written with a leading zero: one contract, one id.
      `con_${salt}0${seq}`,
      // The rowid alone, and an empty id (every new contract's stored legacy id is '').
      `con_${seq}`,
      '',
      ' ',
    ];
    for (const id of forged) await expect(get(id)).rejects.toThrow(/not found|must not be empty|too small/i);
  });
});

describe('upgrading a database whose contracts have stored ids (migration 0045)', () => {
  it('keeps every stored id, finds each contract by it, and gives later contracts derived ids', async () => {
    // The contracts as Concord stored them before 0045: an id each, no salt, all in one unique index.
    // (Both organisations' contracts: the index of then held every one.)
    const before = await listed();
    const given = newIds('contract', before.length);
    for (const [i, row] of before.entries())
      await execute(`UPDATE contracts SET id = ?, salt = NULL WHERE seq = ?`, [given[i]!, row.seq]);
    const others = await listed(theirs);
    for (const [i, id] of newIds('contract', others.length).entries())
      await execute(`UPDATE contracts SET id = ?, salt = NULL WHERE seq = ?`, [id, others[i]!.seq]);
    await execute('DROP INDEX contracts_id');
    await execute('ALTER TABLE contracts DROP COLUMN salt');
    await execute('CREATE UNIQUE INDEX contracts_id ON contracts (id)');
    const statements = readFileSync(path.resolve(MIGRATION), 'utf8')
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter(Boolean);
    await database.client.batch(statements, 'write');

    const after = await listed();
    expect(after.map((r) => [r.seq, r.id])).toEqual(before.map((r, i) => [r.seq, given[i]]));
    for (const [i, row] of before.entries()) {
      expect(await get(given[i]!)).toMatchObject({ originId: row.originId });
      // The id it had before the simulated upgrade was never given out on this database.
      await expect(get(row.id)).rejects.toThrow(/not found/i);
    }
    expect(await legacyIndexEntries()).toBe(before.length + others.length);

    // A later contract: a derived id, and no entry in the legacy index.
    await fetch(`${A.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 5, name: 'Person five', email: 'five@example.test' }),
    });
    expect(await runThroughApi(mine.api, mine.orgId, mine.sync.id)).toMatchObject({
      result: 'success',
      created: 1,
      skipped: 4,
    });
    const later = (await listed()).find((r) => r.originId === '5')!;
    expect(later.id).toMatch(/^con_[0-9a-f]{16}/);
    expect(await get(later.id)).toMatchObject({ originId: '5' });
    expect(await legacyIndexEntries()).toBe(before.length + others.length);
    // The history of an old contract is found by its stored id too.
    const history = await mine.api.history.contract({ orgId: mine.orgId, contractId: given[0]! });
    expect(history.contractId).toBe(given[0]);
    expect(history.versions.map((v) => v.action)).toEqual(['create']);
  });
});
