// Upgrading a database whose hashes are hex text (migration 0042 keeps them as their 16 bytes,
// db/schema/columns.ts hashColumn): every hash keeps its value, the change feed does not take the new
// form for a change of every object (a push would read them all again), a version's copied data stays
// (a trigger drops it when a version's target hash is rewritten), the page memos' stamps stay (no
// contract's content changed), and synchronisations run before the upgrade find every object unchanged
// after it: nothing written to the register, nothing sent to a REST target again. Today's code writes
// contracts without an organisation (migration 0043), which the schema of 0041 requires: so the
// database is today's, its hashes are made text as Concord wrote them before 0042, and 0042's
// statements are applied to it as the migrator applies them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { contractIdSql, contracts, ofSynchronisation } from '@/server/db/schema';
import { hashTextSql } from '@/server/db/schema/columns';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

const MIGRATION = 'drizzle/0042_hashes_as_bytes.sql';
const HASHES: Record<string, string[]> = {
  objects: ['hash'],
  contracts: ['origin_hash', 'target_hash', 'sent_hash', 'target_base_hash', 'origin_sent_hash'],
  contract_versions: ['origin_hash', 'target_hash'],
};
// Triggers that would take the change of form for a change; set aside while the hashes are made text as
// Concord wrote them before 0042.
const TRIGGERS = ['objects_feed_update', 'contract_versions_rewritten', 'contract_epochs_update'];

let dir: string;
let database: Database;
let A: JsonServer;
let B: JsonServer;
let intoRegister: Awaited<ReturnType<typeof restToRegister>>;
let toB: Awaited<ReturnType<typeof restToRest>>;

const execute = (sql: string, args: (string | number)[] = []) => database.client.execute({ sql, args });
type Row = Record<string, string | number | null>;
const rows = async (sql: string): Promise<Row[]> => (await execute(sql)).rows.map((r) => ({ ...r }) as Row);

/** Every stored hash as hex with its storage class, by table, row and column. */
async function hashes() {
  const found: Record<string, Row[]> = {};
  for (const [table, columns] of Object.entries(HASHES))
    found[table] = await rows(
      `SELECT rowid, ${columns.map((c) => `${hashTextSql(c)} AS ${c}, typeof(${c}) AS ${c}_type`).join(', ')}
       FROM ${table} ORDER BY rowid`,
    );
  return found;
}

const feed = () =>
  rows(
    `SELECT change_seq AS seq, id FROM objects UNION ALL SELECT seq, object_id FROM object_tombstones ORDER BY 1`,
  );
const register = () => runThroughApi(intoRegister.api, intoRegister.orgId, intoRegister.sync.id);
const rest = () => runThroughApi(toB.api, toB.orgId, toB.sync.id);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'concord-hash-bytes-'));
  database = openDatabase(`file:${path.join(dir, 'concord.db')}`);
  await migrateDatabase(database);
  [A, B] = await Promise.all([startJsonServer({ people: people(6) }), startJsonServer({ people: [] })]);
  intoRegister = await restToRegister(database.db, A.url);
  toB = await restToRest(database.db, A.url, B.url, {
    createEndpoint: '/people',
    updateEndpoint: '/people/{{targetId}}',
    updateMethod: 'PUT',
  });
});
afterAll(async () => {
  await stopEmbeddedRunner(database.db);
  await Promise.all([A.stop(), B.stop()]);
  database.client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('keeping stored hashes as bytes', () => {
  it('keeps every hash, the feed, the versions’ data and both synchronisations unchanged', async () => {
    expect(await register()).toMatchObject({ result: 'success', created: 6 });
    expect(await rest()).toMatchObject({ result: 'success', created: 6 });
    // A change at the peer: the register object's first version gets a copy of its data.
    await fetch(`${A.url}/people/2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Person two' }),
    });
    expect(await register()).toMatchObject({ result: 'success', updated: 1, skipped: 5 });
    expect(await rest()).toMatchObject({ result: 'success', updated: 1, skipped: 5 });

    // The hashes as Concord stored them before 0042: hex text.
    const triggers = await rows(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name IN (${TRIGGERS.map((t) => `'${t}'`).join(', ')})`,
    );
    expect(triggers).toHaveLength(TRIGGERS.length);
    for (const t of triggers) await execute(`DROP TRIGGER ${String(t.name)}`);
    for (const [table, columns] of Object.entries(HASHES))
      await execute(`UPDATE ${table} SET ${columns.map((c) => `${c} = ${hashTextSql(c)}`).join(', ')}`);
    for (const t of triggers) await execute(String(t.sql));

    const before = await hashes();
    const texts = Object.values(before).flatMap((list) =>
      list.flatMap((row) => Object.entries(row).filter(([k, v]) => k.endsWith('_type') && v !== 'null')),
    );
    expect(new Set(texts.map(([, v]) => v))).toEqual(new Set(['text']));
    // 6 objects; 12 contracts with two hashes each, the REST target's with a sent hash too (its answer's
    // hash differs from what it was sent); 9 versions with two each: the REST target's 6 creations and
    // its update, the register's update and the creation it wrote out (the register's 5 other creations
    // are their contracts, migration 0051 — a hash's change of form is no change of the contract).
    expect(texts).toHaveLength(6 + 12 * 2 + 6 + 9 * 2);
    const feedBefore = await feed();
    const copies = await rows('SELECT version_id, data FROM version_data ORDER BY version_id');
    expect(copies).toHaveLength(1);
    const epochs = await rows('SELECT sync_seq, n FROM contract_epochs ORDER BY sync_seq');
    const stamped = await rows('SELECT sync_seq, page, stamp_epoch FROM page_memos ORDER BY 1, 2');
    const requestsToB = (await B.requests()).length;

    // As the migrator applies it: its statements in order, in one transaction.
    const statements = readFileSync(MIGRATION, 'utf8').split('--> statement-breakpoint');
    await database.client.batch(statements, 'write');
    // It makes its triggers again as they were then; a later migration (0049: the objects' feed time as
    // an offset) changed one since, and an upgrade runs that one after it: today's go back.
    for (const t of triggers) {
      await execute(`DROP TRIGGER ${String(t.name)}`);
      await execute(String(t.sql));
    }

    // Every hash the same hex, now as 16 bytes; nothing else moved.
    const after = await hashes();
    const typed = (form: string) =>
      Object.fromEntries(
        Object.entries(before).map(([table, list]) => [
          table,
          list.map((row) =>
            Object.fromEntries(
              Object.entries(row).map(([k, v]) => [k, k.endsWith('_type') && v === 'text' ? form : v]),
            ),
          ),
        ]),
      );
    expect(after).toEqual(typed('blob'));
    const lengths = await rows(
      `SELECT DISTINCT length(hash) AS n FROM objects UNION SELECT length(origin_hash) FROM contracts
       UNION SELECT length(target_hash) FROM contract_versions`,
    );
    expect(lengths).toEqual([{ n: 16 }]);
    expect(await feed()).toEqual(feedBefore);
    expect(await rows('SELECT version_id, data FROM version_data ORDER BY version_id')).toEqual(copies);
    expect(await rows('SELECT sync_seq, n FROM contract_epochs ORDER BY sync_seq')).toEqual(epochs);
    expect(await rows('SELECT sync_seq, page, stamp_epoch FROM page_memos ORDER BY 1, 2')).toEqual(stamped);

    expect(await register()).toMatchObject({ result: 'success', skipped: 6, created: 0, updated: 0 });
    expect(await rest()).toMatchObject({ result: 'success', skipped: 6, created: 0, updated: 0 });
    expect((await B.requests()).length).toBe(requestsToB);
    expect(await feed()).toEqual(feedBefore);
  });

  it('shows the history as before, the copied first version included', async () => {
    const [contract] = await database.db
      .select({ id: contractIdSql })
      .from(contracts)
      .where(and(ofSynchronisation(intoRegister.sync.id), eq(contracts.originId, '2')));
    const history = await intoRegister.api.history.contract({
      orgId: intoRegister.orgId,
      contractId: String(contract!.id),
    });
    expect(history.versions.map((v) => [v.action, (v.data as { name?: string } | null)?.name])).toEqual([
      ['update', 'Person two'],
      ['create', 'Person 2'],
    ]);
    for (const v of history.versions) {
      expect(v.originHash).toMatch(/^[0-9a-f]{32}$/);
      expect(v.targetHash).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('records a real change afterwards, as bytes, and updates only that object', async () => {
    const before = await feed();
    await fetch(`${A.url}/people/4`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Person four' }),
    });
    expect(await register()).toMatchObject({ result: 'success', updated: 1, skipped: 5 });
    const moved = (await feed()).filter((r) => !before.some((b) => b.seq === r.seq));
    expect(moved).toHaveLength(1);
    const [row] = await rows(
      `SELECT typeof(hash) AS type, length(hash) AS n FROM objects WHERE id = '${String(moved[0]!.id)}'`,
    );
    expect(row).toEqual({ type: 'blob', n: 16 });
  });
});
