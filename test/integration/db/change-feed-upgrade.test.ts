// The change feed moved from its own table onto the objects (migrations 0022–0023, issue 14): after the
// upgrade a reader sees the same feed — the same positions, operations and times, tombstones of
// objects deleted for good included — its cursor stays valid, and the feed goes on as before: a change
// moves an object to the end past every position handed out, a delete for good leaves a tombstone, an
// object created again with a tombstone's id takes it back, and pages of any size give the same feed.
// Deleting a register still takes its objects, now without an index on their register (0024).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { objectChangesAfter } from '@/server/services/object-changes';
import { updateObject } from '@/server/services/objects';
import { callerFor, createOwner } from '../../factories';
import { migrationsUpTo } from '../helpers/migrations';
import { PERSON_MAPPING, personTarget } from '../helpers/sync-setup';

const BEFORE = '0021_hashes_of_128_bits';

let dir: string;
let database: Database;
let orgId: string;
let userId: string;
let schemaId: string;
const ids: Record<string, string> = {};

type Entry = { seq: number; objectId: string; op: string; changedAt: number };

/** The whole feed through the service, `limit` changes a page, following its cursor. */
async function wholeFeed(limit = 100, after = 0): Promise<Entry[]> {
  const all: Entry[] = [];
  for (let cursor = after; ;) {
    const page = await objectChangesAfter(database.db, orgId, schemaId, cursor, limit);
    for (const { change, object } of page.changes) {
      all.push({ ...change, changedAt: change.changedAt.getTime() });
      // An object deleted for good comes without one; every other change with the object as it is now.
      if (object === null) expect(change.op).toBe('delete');
      else expect(object.id).toBe(change.objectId);
    }
    cursor = page.lastSeq;
    if (!page.hasMore) return all;
  }
}

let registerId: string;
let api: ReturnType<typeof callerFor>;
let serial = 0;

async function insertObject(
  data: Record<string, unknown>,
  id = `obj_feed${String(++serial).padStart(22, '0')}`,
) {
  const now = Date.now();
  // Before migration 0036 an object also named its register; from 0038 it names its schema by number;
  // until 0044 its organisation; from 0049 its last write is an offset from its creation.
  const columns = await database.client.execute("SELECT name FROM pragma_table_info('objects')");
  const named = new Set(columns.rows.map((r) => r.name));
  const register = named.has('register_id') ? [registerId] : [];
  const schema = named.has('schema_seq') ? '(SELECT seq FROM schemas WHERE id = ?)' : '?';
  const org = named.has('org_id') ? [orgId] : [];
  await database.client.execute({
    sql: `INSERT INTO objects (id, ${org.length > 0 ? 'org_id, ' : ''}${register.length > 0 ? 'register_id, ' : ''}${
      named.has('schema_seq') ? 'schema_seq' : 'schema_id'
    }, data, hash, version, created_at, ${named.has('updated_at_offset') ? 'updated_at_offset' : 'updated_at'})
          VALUES (?, ${org.length > 0 ? '?, ' : ''}${register.length > 0 ? '?, ' : ''}${schema}, ?, ?, 1, ?, ?)`,
    args: [
      id,
      ...org,
      ...register,
      schemaId,
      JSON.stringify(data),
      `h${serial}`,
      now,
      named.has('updated_at_offset') ? 0 : now,
    ],
  });
  return id;
}

const person = (name: string) => ({ name, email: `${name.toLowerCase()}@example.test`, city: 'Delft' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'concord-feed-'));
  database = openDatabase(`file:${path.join(dir, 'concord.db')}`);
  await migrateDatabase(database, migrationsUpTo(dir, BEFORE));
  // Today's services write a schema's number (0038), which this schema lacks: it is there for the setup.
  await database.client.execute('ALTER TABLE schemas ADD seq integer');
  const owner = await createOwner(database.db);
  orgId = owner.org.id;
  userId = owner.user.id;
  api = callerFor(database.db, owner.user);
  const target = await personTarget(api, orgId, PERSON_MAPPING);
  schemaId = target.schema.id;
  registerId = target.register.id;
  await database.client.execute('ALTER TABLE schemas DROP COLUMN seq');
});
afterAll(async () => {
  await stopEmbeddedRunner(database.db);
  database.client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the change feed across the upgrade', () => {
  let before: Entry[];

  it('reads the same feed after the upgrade as the table held before it', async () => {
    // Before the upgrade the objects are written in SQL: today's services expect today's columns.
    for (const name of ['Ada', 'Bo', 'Cy', 'Di', 'Ed']) ids[name] = await insertObject(person(name));
    await database.client.execute({
      sql: 'UPDATE objects SET data = ?, hash = ?, version = 2 WHERE id = ?',
      args: [JSON.stringify(person('Bob')), 'b0b', ids.Bo!],
    });
    await database.client.execute({
      sql: 'UPDATE objects SET deleted_at = ? WHERE id = ?',
      args: [Date.now(), ids.Cy!],
    });
    // Deleted for good (as a synchronisation with hard deletion, or retention, does): a tombstone.
    await database.client.execute({ sql: 'DELETE FROM objects WHERE id = ?', args: [ids.Di!] });
    const old = await database.client.execute(
      'SELECT seq, object_id, op, changed_at FROM object_changes ORDER BY seq',
    );
    before = old.rows.map((r) => ({
      seq: Number(r.seq),
      objectId: r.object_id as string,
      op: r.op as string,
      changedAt: Number(r.changed_at),
    }));
    expect(before.map((e) => [e.objectId, e.op])).toEqual([
      [ids.Ada, 'upsert'],
      [ids.Ed, 'upsert'],
      [ids.Bo, 'upsert'],
      [ids.Cy, 'delete'],
      [ids.Di, 'delete'],
    ]);

    await migrateDatabase(database);

    const tables = await database.client.execute(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'object_changes'",
    );
    expect(tables.rows).toHaveLength(0);
    expect(await wholeFeed()).toEqual(before);
    // A cursor taken before the upgrade goes on where it was; small pages give the same feed.
    expect(await wholeFeed(100, before[1]!.seq)).toEqual(before.slice(2));
    expect(await wholeFeed(1)).toEqual(before);
    expect(await wholeFeed(2)).toEqual(before);
  });

  it('moves a changed object to the end, past every position handed out before', async () => {
    await updateObject(database.db, orgId, userId, { objectId: ids.Ada!, version: 1, data: person('Ada L') });
    const feed = await wholeFeed();
    const last = feed.at(-1)!;
    expect(last).toMatchObject({ objectId: ids.Ada, op: 'upsert' });
    expect(last.seq).toBeGreaterThan(Math.max(...before.map((e) => e.seq)));
    expect(feed.filter((e) => e.objectId === ids.Ada)).toHaveLength(1);
    // Writing a row without changing it (no new hash, version or deletion) is no change.
    await database.client.execute({
      sql: 'UPDATE objects SET updated_by_sync_seq = ? WHERE id = ?',
      args: [12_345, ids.Ed!],
    });
    expect(await wholeFeed()).toEqual(feed);
  });

  it('leaves a tombstone for a delete for good, and takes it back when the id is created again', async () => {
    await database.client.execute({ sql: 'DELETE FROM objects WHERE id = ?', args: [ids.Bo!] });
    let feed = await wholeFeed();
    expect(feed.at(-1)).toMatchObject({ objectId: ids.Bo, op: 'delete' });
    const page = await objectChangesAfter(database.db, orgId, schemaId, feed.at(-2)!.seq, 10);
    expect(page.changes).toEqual([expect.objectContaining({ object: null })]);

    // Created again with the same id (ids are stable per origin): the object, no tombstone, at the end.
    await insertObject(person('Bo again'), ids.Bo);
    feed = await wholeFeed();
    expect(feed.filter((e) => e.objectId === ids.Bo)).toEqual([
      expect.objectContaining({ objectId: ids.Bo, op: 'upsert' }),
    ]);
    expect(feed.at(-1)!.objectId).toBe(ids.Bo);
    const seqs = feed.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('deletes a register with its objects (they name no register: its schemas cascade to them)', async () => {
    // By the schema's number (0038), read before the schema goes.
    const numbered = await database.client.execute({
      sql: 'SELECT seq FROM schemas WHERE id = ?',
      args: [schemaId],
    });
    const seq = Number(numbered.rows[0]?.seq);
    const count = async () =>
      Number(
        (
          await database.client.execute({
            sql: 'SELECT count(*) AS n FROM objects WHERE schema_seq = ?',
            args: [seq],
          })
        ).rows[0]?.n,
      );
    expect(await count()).toBeGreaterThan(0);
    await api.registers.delete({ orgId, registerId });
    expect(await count()).toBe(0);
  });
});
