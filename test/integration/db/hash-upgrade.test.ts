// Upgrading a database whose hashes have 64 characters (migration 0021 cuts them to 32, the 128-bit
// hashes Concord makes now): synchronisations run before the upgrade find every object unchanged after
// it — nothing written to the register, nothing sent to a REST target again — and the change feed does
// not record the cut as a change of every object (a push would read them all again), yet still records
// a real change. That a hash stored before begins with the one made now, sent hashes included, is
// test/unit/sync/core/output-hashes.test.ts; this is the migration.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { CONTRACT_TIMES as TIMES, contractIdText } from '@/server/db/schema';
import { hashTextSql } from '@/server/db/schema/columns';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { migrationsUpTo } from '../helpers/migrations';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

const BEFORE = '0020_contracts_last_action_index';
// Today's code goes by the synchronisations' numbers (0029), which this schema lacks: for the setup and
// the runs before the upgrade they are added (and given, as the trigger of 0029 would), then taken away;
// its contracts name their synchronisation by number only (0037) and have a number of their own (0039),
// so the contracts' table of then steps aside for today's, with the unique key the contract upsert names,
// and takes its rows back after the runs with the synchronisation's id and organisation, which today's
// contracts hold through the synchronisation only (0043; its own triggers count them), their ids
// derived (0045: read back as `contractIdText`) and their times stored as offsets read through virtual
// columns (0046); the source objects they keep are in a table of their own (0048), which is not carried
// back (nothing here reads them); every contract write names the register object it was made from
// (0057: NULL here, no register source).
// So do its versions by the runs' numbers (0032): runs get theirs as the trigger of 0032 would; and its
// register objects are today's (0033: the writer by number; 0035: their places in the change feed
// numbered by the writer, after a counter; 0036: no register id; 0038: the schema by its number, which
// schemas get as the trigger of 0038 would; 0044: no organisation, which the schema holds; 0049: its
// times as offsets read through virtual columns), so for those runs the objects' table of then steps aside
// for today's, and takes its rows back after them as the Concord of then wrote them (its register and
// schema by id, its writer by id; its own triggers record each in its feed). Today's runs keep their
// pages' memos (0040) and stamp them by the contract epochs (0041), with the answers' facts (0052), in tables
// of their own for those runs, and look for push retries to let go of at their end (0058); the create
// intents they keep carry what an accepted create sent (0060).
const TODAYS_CONTRACT_KEY = [
  'ALTER TABLE synchronisations ADD seq integer',
  'ALTER TABLE contracts RENAME TO contracts_then',
  `CREATE TABLE contracts (seq integer PRIMARY KEY NOT NULL, id text NOT NULL, sync_seq integer NOT NULL,
    parent_origin_id text, origin_id text NOT NULL, target_id text, origin_hash text, target_hash text,
    sent_hash text, sent_data text, target_base_hash text, origin_sent_hash text, target_data text,
    flips integer DEFAULT 0 NOT NULL, flips_since integer, ${TIMES.map((t) => `${t}_offset integer`).join(', ')},
    last_action text, status text NOT NULL, last_error text, origin_data text, created_at integer NOT NULL,
    updated_at_offset integer NOT NULL, salt blob, origin_copy integer, origin_copy_at integer,
    created_run_seq integer, origin_object text,
    updated_at integer NOT NULL GENERATED ALWAYS AS (created_at + updated_at_offset) VIRTUAL,
    ${TIMES.map((t) => `${t} integer GENERATED ALWAYS AS (created_at + ${t}_offset) VIRTUAL`).join(', ')})`,
  'CREATE UNIQUE INDEX contracts_today_origin ON contracts (sync_seq, origin_id)',
  'CREATE INDEX contracts_today_target ON contracts (sync_seq, target_id)',
  'ALTER TABLE runs ADD seq integer',
  'ALTER TABLE runs ADD unreadable integer DEFAULT 0 NOT NULL',
  `CREATE TRIGGER runs_number AFTER INSERT ON runs BEGIN
    UPDATE runs SET seq = NEW.rowid WHERE rowid = NEW.rowid;
  END`,
  'ALTER TABLE schemas ADD seq integer',
  `CREATE TRIGGER schemas_number AFTER INSERT ON schemas BEGIN
    UPDATE schemas SET seq = NEW.rowid WHERE rowid = NEW.rowid;
  END`,
  'ALTER TABLE objects RENAME TO objects_then',
  `CREATE TABLE objects (id text PRIMARY KEY NOT NULL, schema_seq integer NOT NULL,
    data text NOT NULL, hash text NOT NULL, version integer DEFAULT 1 NOT NULL, deleted_at integer,
    created_by text, updated_by text, updated_by_sync_seq integer, change_seq integer,
    changed_at_offset integer, created_at integer NOT NULL, updated_at_offset integer NOT NULL,
    changed_at integer GENERATED ALWAYS AS (created_at + changed_at_offset) VIRTUAL,
    updated_at integer NOT NULL GENERATED ALWAYS AS (created_at + updated_at_offset) VIRTUAL)`,
  'CREATE TABLE change_counter (id integer PRIMARY KEY NOT NULL, n integer NOT NULL)',
  'INSERT INTO change_counter (id, n) VALUES (1, 0)',
  `CREATE TABLE page_memos (org_id text NOT NULL, sync_seq integer NOT NULL, page integer NOT NULL,
    digest text NOT NULL, key text NOT NULL, hashes blob NOT NULL, written_at integer NOT NULL,
    stamp_epoch integer, stamp_edited integer, stamp_run text, answer text, PRIMARY KEY (sync_seq, page))`,
  'CREATE TABLE contract_epochs (sync_seq integer PRIMARY KEY NOT NULL, n integer NOT NULL)',
  `CREATE TABLE source_copies (seq integer PRIMARY KEY AUTOINCREMENT NOT NULL, sync_seq integer NOT NULL,
    objects integer NOT NULL, live integer NOT NULL, data blob NOT NULL)`,
  // A listing's end looks for push retries to let go of (0058).
  `CREATE TABLE push_retries (synchronisation_id text NOT NULL, object_id text NOT NULL,
    PRIMARY KEY (synchronisation_id, object_id))`,
  // A create's intent keeps what an accepted create sent (0060).
  'ALTER TABLE create_intents ADD sent_object text',
  `CREATE TRIGGER contract_epochs_update AFTER UPDATE ON contracts BEGIN
    INSERT INTO contract_epochs (sync_seq, n) VALUES (NEW.sync_seq, 1)
    ON CONFLICT (sync_seq) DO UPDATE SET n = n + 1;
  END`,
  `CREATE TRIGGER contract_epochs_delete AFTER DELETE ON contracts BEGIN
    INSERT INTO contract_epochs (sync_seq, n) VALUES (OLD.sync_seq, 1)
    ON CONFLICT (sync_seq) DO UPDATE SET n = n + 1;
  END`,
];
const THEN_CONTRACT_KEY = [
  // First: dropping a column checks the whole schema, whose triggers name tables dropped below.
  'ALTER TABLE create_intents DROP COLUMN sent_object',
  `UPDATE contract_versions SET contract_id = (SELECT ${contractIdText('c')} FROM contracts AS c WHERE c.seq = contract_seq)`,
  `INSERT INTO objects_then (id, org_id, register_id, schema_id, data, hash, version, deleted_at,
      created_by, updated_by, updated_by_sync, created_at, updated_at)
    SELECT o.id, s.org_id, s.register_id, s.id, o.data, o.hash, o.version, o.deleted_at,
      o.created_by, o.updated_by, (SELECT id FROM synchronisations WHERE seq = o.updated_by_sync_seq),
      o.created_at, o.updated_at
    FROM objects AS o JOIN schemas AS s ON s.seq = o.schema_seq ORDER BY o.change_seq`,
  'DROP TABLE objects',
  'ALTER TABLE objects_then RENAME TO objects',
  'DROP TRIGGER schemas_number',
  'ALTER TABLE schemas DROP COLUMN seq',
  'DROP TABLE change_counter',
  'DROP TABLE page_memos',
  'DROP TABLE contract_epochs',
  'DROP TABLE source_copies',
  'DROP TABLE push_retries',
  `INSERT INTO contracts_then (id, org_id, synchronisation_id, parent_origin_id, origin_id, target_id,
      origin_hash, target_hash, source_last_changed, source_last_checked, source_last_synced,
      target_last_changed, target_last_checked, target_last_synced, last_action, status, last_error,
      origin_data, created_at, updated_at, sent_hash, sent_data, target_base_hash, origin_sent_hash,
      target_data, flips, flips_since)
    SELECT ${contractIdText('c')}, s.org_id, s.id, c.parent_origin_id, c.origin_id, c.target_id, c.origin_hash,
      c.target_hash, c.source_last_changed, c.source_last_checked, c.source_last_synced,
      c.target_last_changed, c.target_last_checked, c.target_last_synced, c.last_action, c.status,
      c.last_error, c.origin_data, c.created_at, c.updated_at, c.sent_hash, c.sent_data,
      c.target_base_hash, c.origin_sent_hash, c.target_data, c.flips, c.flips_since
    FROM contracts AS c JOIN synchronisations AS s ON s.seq = c.sync_seq ORDER BY c.rowid`,
  'DROP TABLE contracts',
  'ALTER TABLE contracts_then RENAME TO contracts',
  'ALTER TABLE synchronisations DROP COLUMN seq',
];
// A stored hash of 64 characters begins with the 32 that Concord makes now (canonical-json.ts).
const REST_OF_A_DIGEST = 'f'.repeat(32);
// Today's engine writes versions without org_id and created_at (0027), which this schema requires, and
// names their run (0032) and contract (0039) by number: for the runs before the upgrade, the (still
// empty) table takes rows without them, under its own indexes; it is then given them, as the Concord of
// then wrote them (the contract's id while today's contracts are still there).
const TODAYS_VERSIONS = [
  'DROP TABLE contract_versions',
  `CREATE TABLE contract_versions (id integer PRIMARY KEY NOT NULL, org_id text, contract_id text,
    contract_seq integer, run_id text, run_seq integer, action text NOT NULL, origin_hash text,
    target_hash text, data text, created_at integer, updated_at integer NOT NULL)`,
  'CREATE UNIQUE INDEX contract_versions_run_contract ON contract_versions (run_seq, contract_seq)',
  'CREATE INDEX contract_versions_contract ON contract_versions (contract_seq, id)',
];
const THEN_VERSIONS = [
  `UPDATE contract_versions SET created_at = updated_at,
    org_id = (SELECT org_id FROM contracts WHERE contracts.id = contract_id),
    run_id = (SELECT id FROM runs WHERE runs.seq = run_seq)`,
  'DROP INDEX contract_versions_run_contract',
  'CREATE UNIQUE INDEX contract_versions_run_contract ON contract_versions (run_id, contract_id)',
  'DROP INDEX contract_versions_contract',
  'CREATE INDEX contract_versions_contract ON contract_versions (contract_id, id)',
  'ALTER TABLE contract_versions DROP COLUMN run_seq',
  'ALTER TABLE contract_versions DROP COLUMN contract_seq',
  'DROP TRIGGER runs_number',
  'ALTER TABLE runs DROP COLUMN seq',
  'ALTER TABLE runs DROP COLUMN unreadable',
];
const HASHES: Record<string, string[]> = {
  objects: ['hash'],
  contracts: ['origin_hash', 'target_hash', 'sent_hash', 'target_base_hash', 'origin_sent_hash'],
  contract_versions: ['origin_hash', 'target_hash'],
};

let dir: string;
let database: Database;
let A: JsonServer;
let B: JsonServer;
let intoRegister: Awaited<ReturnType<typeof restToRegister>>;
let toB: Awaited<ReturnType<typeof restToRest>>;

async function lengths(): Promise<Record<string, number[]>> {
  const found: Record<string, number[]> = {};
  for (const [table, columns] of Object.entries(HASHES)) {
    const rows = await database.client.execute(
      `SELECT DISTINCT ${columns.map((c) => `length(${c})`).join(', ')} FROM ${table}`,
    );
    found[table] = [...new Set(rows.rows.flatMap((r) => Object.values(r).filter((v) => v !== null)))].map(
      Number,
    );
  }
  return found;
}

/** Every version as the history shows it (its hashes aside, which the upgrade cuts), with its run's and contract's ids. */
async function versions() {
  const columns = await database.client.execute('SELECT name FROM pragma_table_info(?)', [
    'contract_versions',
  ]);
  const has = (name: string) => columns.rows.some((c) => c.name === name);
  const byNumber = has('run_seq');
  const byContractNumber = has('contract_seq');
  const rows = await database.client.execute(
    `SELECT v.id, ${byContractNumber ? 'c.id' : 'v.contract_id'} AS contract_id, ${byNumber ? 'r.id' : 'v.run_id'} AS run_id,
       v.action, v.data, v.updated_at
     FROM contract_versions v ${byNumber ? 'LEFT JOIN runs r ON r.seq = v.run_seq' : ''}
     ${byContractNumber ? 'JOIN contracts c ON c.seq = v.contract_seq' : ''} ORDER BY v.id`,
  );
  return rows.rows.map((r) => ({ ...r }));
}

/** The change feed's positions, [seq, object id] in order: from its table before 0022, from the objects after. */
async function feed(): Promise<[number, string][]> {
  const tables = await database.client.execute(
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'object_changes'",
  );
  const rows = await database.client.execute(
    tables.rows.length > 0
      ? 'SELECT seq, object_id FROM object_changes ORDER BY seq'
      : `SELECT change_seq AS seq, id AS object_id FROM objects
         UNION ALL SELECT seq, object_id FROM object_tombstones ORDER BY seq`,
  );
  return rows.rows.map((r) => [Number(r.seq), r.object_id as string]);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'concord-upgrade-'));
  database = openDatabase(`file:${path.join(dir, 'concord.db')}`);
  await migrateDatabase(database, migrationsUpTo(dir, BEFORE));
  for (const statement of TODAYS_CONTRACT_KEY) await database.client.execute(statement);
  [A, B] = await Promise.all([startJsonServer({ people: people(5) }), startJsonServer({ people: [] })]);
  intoRegister = await restToRegister(database.db, A.url);
  toB = await restToRest(database.db, A.url, B.url, {
    createEndpoint: '/people',
    updateEndpoint: '/people/{{targetId}}',
    updateMethod: 'PUT',
  });
  await database.client.execute('UPDATE synchronisations SET seq = rowid');
});
afterAll(async () => {
  await stopEmbeddedRunner(database.db);
  await Promise.all([A.stop(), B.stop()]);
  database.client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cutting stored hashes to 128 bits', () => {
  it('keeps both synchronisations unchanged across the upgrade', async () => {
    // Synced before the upgrade, then given the 64-character hashes Concord stored then (as text: today's
    // code writes them as bytes).
    const register = () => runThroughApi(intoRegister.api, intoRegister.orgId, intoRegister.sync.id);
    const rest = () => runThroughApi(toB.api, toB.orgId, toB.sync.id);
    for (const statement of TODAYS_VERSIONS) await database.client.execute(statement);
    expect(await register()).toMatchObject({ result: 'success', created: 5 });
    expect(await rest()).toMatchObject({ result: 'success', created: 5 });
    // Concord of then wrote each creation as a version row: today's leaves a pull's to its contract
    // until it changes (0051), whose trigger (not in this database of then) would write it so.
    await database.client.batch([
      `INSERT INTO contract_versions (contract_seq, run_seq, action, origin_hash, target_hash, data, updated_at)
        SELECT seq, created_run_seq, 'create', origin_hash, target_hash, NULL, created_at FROM contracts
        WHERE created_run_seq IS NOT NULL`,
      'UPDATE contracts SET created_run_seq = NULL',
    ]);
    for (const statement of THEN_CONTRACT_KEY) await database.client.execute(statement);
    for (const statement of THEN_VERSIONS) await database.client.execute(statement);
    for (const [table, columns] of Object.entries(HASHES))
      await database.client.execute(
        `UPDATE ${table} SET ${columns.map((c) => `${c} = ${hashTextSql(c)} || '${REST_OF_A_DIGEST}'`).join(', ')}`,
      );
    expect(await lengths()).toEqual({ objects: [64], contracts: [64], contract_versions: [64] });
    const sentHashes = await database.client.execute(
      'SELECT count(*) AS n FROM contracts WHERE sent_hash IS NOT NULL',
    );
    expect(Number(sentHashes.rows[0]?.n)).toBe(5); // the REST target's contracts: sent hash ≠ its answer's
    const feedBefore = await feed();
    const versionsBefore = await versions();
    expect(versionsBefore).toHaveLength(10);
    expect(versionsBefore.filter((v) => typeof v.run_id !== 'string')).toEqual([]);
    const requestsToB = (await B.requests()).length;

    await migrateDatabase(database);

    // 0027 made the versions' table anew without org_id and created_at, 0032 with the run's number
    // instead of its id: every row is there as it was, with its run.
    expect(await versions()).toEqual(versionsBefore);

    // Cut to 32 hex characters (0021), then kept as their 16 bytes (0042).
    expect(await lengths()).toEqual({ objects: [16], contracts: [16], contract_versions: [16] });
    // Not a change of any object: the feed holds the same entries in the same order.
    expect(await feed()).toEqual(feedBefore);
    expect(await register()).toMatchObject({ result: 'success', skipped: 5, created: 0, updated: 0 });
    expect(await rest()).toMatchObject({ result: 'success', skipped: 5, created: 0, updated: 0 });
    expect((await B.requests()).length).toBe(requestsToB);
  });

  it('still records a real change in the feed, and updates only that object', async () => {
    const before = await feed();
    const res = await fetch(`${A.url}/people/3`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Person three' }),
    });
    expect(res.ok).toBe(true);
    const again = await runThroughApi(intoRegister.api, intoRegister.orgId, intoRegister.sync.id);
    expect(again).toMatchObject({ result: 'success', updated: 1, skipped: 4 });
    const after = await feed();
    const moved = after.filter(([seq]) => !before.some(([b]) => b === seq));
    expect(moved).toHaveLength(1);
    const row = await database.client.execute({
      sql: 'SELECT typeof(hash) AS type, lower(hex(hash)) AS hex FROM objects WHERE id = ?',
      args: [moved[0]![1]],
    });
    expect(row.rows[0]).toMatchObject({ type: 'blob', hex: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });
});
