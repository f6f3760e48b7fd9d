// A register object's change-feed time and last write time are stored as offsets from its creation and
// read through virtual columns of their names (migration 0049, schema/registers.ts): a synchronisation
// creating objects stores 0 for both, one updating them and a person editing one move them (the feed's
// triggers set changed_at's), and upgrading a database whose times are absolute keeps every time and
// every place in the feed (a re-run still finds nothing changed).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { objects } from '@/server/db/schema';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

const MIGRATION = 'drizzle/0049_object_times_as_offsets.sql';

let dir: string;
let database: Database;
let A: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'concord-object-times-'));
  database = openDatabase(`file:${path.join(dir, 'concord.db')}`);
  await migrateDatabase(database);
  A = await startJsonServer({ people: people(12) });
  s = await restToRegister(database.db, A.url);
});
afterAll(async () => {
  await stopEmbeddedRunner(database.db);
  await A.stop();
  database.client.close();
  rmSync(dir, { recursive: true, force: true });
});

const execute = (sql: string, args: (string | number)[] = []) => database.client.execute({ sql, args });
/** Each object's times as read, with its feed position, in id order. */
const times = async () =>
  (await database.db.select().from(objects).orderBy(asc(objects.id))).map((o) => ({
    id: o.id,
    createdAt: o.createdAt.getTime(),
    updatedAt: o.updatedAt.getTime(),
    changedAt: o.changedAt?.getTime() ?? null,
    changeSeq: o.changeSeq,
    version: o.version,
  }));
const stored = async (id: string) =>
  (await execute('SELECT updated_at_offset, changed_at_offset FROM objects WHERE id = ?', [id])).rows[0]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a register object's times", () => {
  it('take no byte when created, and move on an update, by the engine or a person', async () => {
    const started = Date.now();
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 12 });
    const created = await times();
    expect(created).toHaveLength(12);
    for (const o of created) {
      expect(o.createdAt).toBeGreaterThanOrEqual(started);
      expect(o.updatedAt).toBe(o.createdAt);
      expect(o.changedAt).toBe(o.createdAt);
      expect(await stored(o.id)).toEqual({ updated_at_offset: 0, changed_at_offset: 0 });
    }

    // The source changes one: the engine's update moves both times to the write's.
    await sleep(5);
    await fetch(`${A.url}/people/3`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Person three' }),
    });
    const beforeUpdate = Date.now();
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ updated: 1, skipped: 11 });
    const afterEngine = await times();
    const changed = afterEngine.filter((o, i) => o.version !== created[i]!.version);
    expect(changed).toHaveLength(1);
    const one = changed[0]!;
    expect(one.createdAt).toBe(created.find((o) => o.id === one.id)!.createdAt);
    expect(one.updatedAt).toBeGreaterThanOrEqual(beforeUpdate);
    expect(one.changedAt).toBeGreaterThanOrEqual(beforeUpdate);
    const offsets = await stored(one.id);
    expect(Number(offsets.updated_at_offset)).toBe(one.updatedAt - one.createdAt);
    expect(Number(offsets.changed_at_offset)).toBe(one.changedAt! - one.createdAt);
    // The others untouched.
    expect(afterEngine.filter((o) => o.id !== one.id)).toEqual(created.filter((o) => o.id !== one.id));

    // A person edits another through the API: drizzle's update moves its last write, the feed's
    // trigger its feed time.
    await sleep(5);
    const other = afterEngine.find((o) => o.id !== one.id)!;
    const beforeEdit = Date.now();
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: other.id,
      version: other.version,
      data: { name: 'Edited', email: 'edited@example.test', city: 'Delft' },
    });
    const edited = (await times()).find((o) => o.id === other.id)!;
    expect(edited.createdAt).toBe(other.createdAt);
    expect(edited.updatedAt).toBeGreaterThanOrEqual(beforeEdit);
    expect(edited.changedAt).toBeGreaterThanOrEqual(beforeEdit);
    expect(edited.changeSeq).toBeGreaterThan(other.changeSeq!);
  });

  it('are kept, with every place in the feed, by the upgrade from absolute times', async () => {
    const before = await times();
    // The times as Concord stored them before 0049: absolute, in columns of their own names, and the
    // feed's triggers as they were (the migration makes them again).
    const triggers = (
      await execute(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name IN ('objects_feed_insert', 'objects_feed_update')`,
      )
    ).rows as unknown as { name: string; sql: string }[];
    expect(triggers).toHaveLength(2);
    for (const t of triggers) await execute(`DROP TRIGGER ${t.name}`);
    for (const t of ['updated_at', 'changed_at']) await execute(`ALTER TABLE objects DROP COLUMN ${t}`);
    await execute(
      'UPDATE objects SET updated_at_offset = updated_at_offset + created_at, changed_at_offset = changed_at_offset + created_at',
    );
    for (const t of ['updated_at', 'changed_at'])
      await execute(`ALTER TABLE objects RENAME COLUMN ${t}_offset TO ${t}`);
    for (const t of triggers)
      await execute(t.sql.replaceAll('`changed_at_offset`', '`changed_at`').replace(' - `created_at`', ''));
    const absolute = await execute('SELECT updated_at - created_at AS d FROM objects LIMIT 1');
    expect(Math.abs(Number(absolute.rows[0]!.d))).toBeLessThan(60_000);

    const statements = readFileSync(path.resolve(MIGRATION), 'utf8')
      .split('--> statement-breakpoint')
      .map((x) => x.trim())
      .filter(Boolean);
    await database.client.batch(statements, 'write');

    expect(await times()).toEqual(before);
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      skipped: 12,
      created: 0,
      updated: 0,
    });
    expect(await times()).toEqual(before);
  });
});
