// The page cap is a safety bound, not a limit of ordinary listings: a synchronisation whose user never
// chose one lists past the old default of 50 pages (and deletes what vanished), a run that does hit a
// chosen cap records it for the sync's page, and the migration gives saved synchronisations that
// carried the old default the new one — keeping only the settings their source reads, and keeping
// REST targets whose "soft" deletion sent DELETE deleting.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/server/db/client';
import { migrateDatabase, MIGRATIONS_FOLDER } from '@/server/db/migrate';
import { runs, synchronisations } from '@/server/db/schema';
import { maxPagesOf } from '@/server/sync/config/sync-config';
import { DEFAULT_MAX_PAGES } from '@/server/sync/core/pagination/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { fileToRegister, newOrg } from '../helpers/sync-more';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(60) });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

describe('the default page cap', () => {
  it('lists a 60-page source to its end and deletes what vanished, with no cap chosen', async () => {
    const s = await restToRegister(db.db, peer.url, { sourceEndpoint: '/people?_page=1&_limit=1' });
    expect(s.sync.sourceConfig).not.toHaveProperty('maxPages');
    expect(DEFAULT_MAX_PAGES).toBeGreaterThanOrEqual(10_000);
    const first = await runDirect(db.db, s.orgId, s.sync.id);
    expect(first).toMatchObject({
      result: 'success',
      complete: true,
      pagesFetched: 60,
      created: 60,
      pageCap: null,
    });
    await fetch(`${peer.url}/people/7`, { method: 'DELETE' });
    const second = await runDirect(db.db, s.orgId, s.sync.id);
    expect(second).toMatchObject({ result: 'success', complete: true, pagesFetched: 59, deleted: 1 });
  });

  it('records the cap a run stopped at, and deletes nothing', async () => {
    const s = await restToRegister(db.db, peer.url, {
      sourceEndpoint: '/people?_page=1&_limit=5',
      sourceConfig: { pagination: { kind: 'link-header' }, maxPages: 3 },
    });
    expect(maxPagesOf(s.sync.sourceConfig as { maxPages?: number })).toBe(3);
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({
      result: 'warning',
      complete: false,
      pagesFetched: 3,
      pageCap: 3,
      deleted: 0,
    });
    const listed = await s.api.runs.list({ orgId: s.orgId, syncId: s.sync.id, limit: 5 });
    expect(listed[0]?.run.pageCap).toBe(3);
  });
});

describe('settings a source does not read', () => {
  it('refuses a page cap for a file source and a results position for a CSV file, at their fields', async () => {
    const s = await fileToRegister(db.db, {
      format: 'csv',
      jsonSchema: { type: 'object' },
      mapping: { mapping: { name: 'name' } },
      sourceIdField: 'id',
    });
    const refused = await s.api.synchronisations
      .update({
        orgId: s.orgId,
        syncId: s.sync.id,
        ...s.input,
        sourceConfig: { maxPages: 10, resultsPosition: 'rows' },
      })
      .then(
        () => null,
        (error: { cause: { issues: unknown } }) => error.cause.issues,
      );
    expect(refused).toEqual([
      {
        field: 'sourceConfig.maxPages',
        message: 'Max pages does not apply to a file source: the whole file is read.',
      },
      {
        field: 'sourceConfig.resultsPosition',
        message: 'Results position does not apply to a CSV file: every row is an object.',
      },
    ]);
  });
});

describe('the migration of saved synchronisations', () => {
  it('takes a stored 50 for the old default, keeps a chosen cap, and drops settings the source ignores', async () => {
    // A database as the previous version left it: every migration before this one.
    const dir = mkdtempSync(path.join(tmpdir(), 'concord-migrate-'));
    const folder = path.join(dir, 'drizzle');
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalFile = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const mine = journal.entries.findIndex((e) => e.tag === '0003_config_hardening');
    expect(mine).toBeGreaterThan(0);
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, mine) }));
    const old = openDatabase(`file:${path.join(dir, 'concord.db')}`);
    try {
      await migrateDatabase(old, folder);
      const { api, orgId } = await newOrg(old.db);
      const rest = await api.sources.create({
        orgId,
        name: 'A',
        type: 'rest',
        config: { baseUrl: peer.url },
      });
      const csv = await api.sources.create({ orgId, name: 'F', type: 'file', config: { format: 'csv' } });
      const register = await api.registers.create({ orgId, name: 'R' });
      // Today's services write a schema's number (0038), which this schema lacks: there for the setup.
      await old.client.execute('ALTER TABLE schemas ADD seq integer');
      const schema = await api.registers.createSchema({
        orgId,
        registerId: register.id,
        name: 'S',
        jsonSchema: { type: 'object' },
      });
      await old.client.execute('ALTER TABLE schemas DROP COLUMN seq');
      // Rows as the previous version wrote them: its columns only (later migrations add others).
      const insert = async (name: string, sourceId: string, target: 'register' | 'source') => {
        const id = `syn_${name.toLowerCase().replace(/\W/g, '')}`;
        const now = Date.now();
        await old.client.execute({
          sql: `INSERT INTO synchronisations (id, org_id, name, source_id, target_type, target_register_id,
            target_schema_id, target_source_id, delete_mode, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'soft', ?, ?)`,
          args: [
            id,
            orgId,
            name,
            sourceId,
            target,
            target === 'register' ? register.id : null,
            target === 'register' ? schema.id : null,
            target === 'source' ? sourceId : null,
            now,
            now,
          ],
        });
        return { id };
      };
      const sync = (name: string, sourceId: string) => insert(name, sourceId, 'register');
      // What the previous version wrote: every default, the cap of 50 included.
      const written = {
        resultsPosition: null,
        sourceIdField: 'id',
        pagination: { kind: 'auto' },
        maxPages: 50,
        query: {},
        headers: {},
        hashFields: [],
        subObjects: [],
      };
      const saved = {
        defaulted: await sync('Defaulted', rest.id),
        chosen: await sync('Chosen', rest.id),
        file: await sync('File', csv.id),
        // Soft deletion in a REST target used to send DELETE.
        toRest: await insert('To REST', rest.id, 'source'),
      };
      const store = (id: string, sourceConfig: Record<string, unknown>) =>
        old.client.execute({
          sql: 'UPDATE synchronisations SET source_config = ? WHERE id = ?',
          args: [JSON.stringify(sourceConfig), id],
        });
      await store(saved.defaulted.id, written);
      await store(saved.chosen.id, { ...written, maxPages: 200 });
      await store(saved.file.id, { ...written, maxPages: 80, resultsPosition: 'rows' });
      const before = (await old.client.execute('SELECT id, updated_at FROM synchronisations')).rows.map(
        (r) => ({ id: r['id'] as string, updatedAt: new Date(Number(r['updated_at'])) }),
      );

      await migrateDatabase(old);
      const after = new Map((await old.db.select().from(synchronisations)).map((r) => [r.id, r]));
      const config = (id: string) => after.get(id)?.sourceConfig as Record<string, unknown>;
      expect(config(saved.defaulted.id)).not.toHaveProperty('maxPages');
      expect(maxPagesOf(config(saved.defaulted.id))).toBe(DEFAULT_MAX_PAGES);
      expect(config(saved.defaulted.id)).toMatchObject({
        pagination: { kind: 'auto' },
        resultsPosition: null,
      });
      expect(config(saved.chosen.id)).toMatchObject({ maxPages: 200 });
      expect(after.get(saved.toRest.id)?.deleteMode).toBe('hard');
      expect(after.get(saved.defaulted.id)?.deleteMode).toBe('soft');
      expect(config(saved.file.id)).toEqual({ sourceIdField: 'id', hashFields: [], subObjects: [] });
      // Not an edit: the skip rule still holds for every object.
      for (const row of before) expect(after.get(row.id)?.updatedAt).toEqual(row.updatedAt);
      expect(await old.db.select({ pageCap: runs.pageCap }).from(runs)).toEqual([]);

      // The settings the API hands out, it takes back.
      for (const id of [saved.defaulted.id, saved.file.id]) {
        const got = await api.synchronisations.get({ orgId, syncId: id });
        await api.synchronisations.update({
          orgId,
          syncId: id,
          name: got.name,
          sourceId: got.sourceId,
          sourceConfig: got.sourceConfig,
          targetType: 'register',
          targetRegisterId: got.targetRegisterId,
          targetSchemaId: got.targetSchemaId,
        });
      }
    } finally {
      old.client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
