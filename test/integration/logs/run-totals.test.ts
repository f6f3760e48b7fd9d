// The total a source reports, for the progress's percentage and time left: SQL sources count the rows
// the listing will read (count(*), also within an incremental window's conditions), REST sources read
// X-Total-Count or a body's `meta.total`. Kept on the run, so a reload during the run still has it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { insertPeople, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { sqlToRegister } from '../helpers/sql-sync';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

describe.each(SQL_PEERS)('an SQL source ($dialect)', ({ open }) => {
  let peer: SqlPeer;
  beforeAll(async () => {
    peer = await open();
  });
  afterAll(async () => {
    await peer.dropAll();
    await peer.close();
  });

  it('counts the rows before the first page and keeps the count on the run', async () => {
    const table = peer.table('runlog_people');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id integer PRIMARY KEY, name ${peer.types.text} NOT NULL, email ${peer.types.text}, city ${peer.types.text})`,
    );
    await insertPeople(peer, table, 1, 23);
    const s = await sqlToRegister(db.db, peer, { endpoint: table, sourceConfig: { sql: { pageSize: 10 } } });
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', found: 23, pagesFetched: 3, expectedTotal: 23 });
    const { rows } = await s.api.runs.timeline({ orgId: s.orgId, runId: run.id });
    const pages = rows.filter((l) => l.kind === 'page');
    expect(pages.map((l) => [l.page, l.objects, l.status])).toEqual([
      [1, 10, null],
      [2, 10, null],
      [3, 3, null],
    ]);
    // Only the first page carries the count; the address names the database, never a password.
    expect(pages.map((l) => l.data)).toEqual([{ total: 23 }, null, null]);
    expect(pages[0]!.url).toContain('127.0.0.1');
  });
});

describe('a REST source', () => {
  let peer: JsonServer;
  beforeAll(async () => {
    peer = await startJsonServer({ people: people(12) });
  });
  afterAll(() => peer.stop());

  it('reads X-Total-Count', async () => {
    const s = await restToRegister(db.db, peer.url);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ found: 12, expectedTotal: 12 });
  });

  it('has no total when the source says nothing (json-server counts only paged listings)', async () => {
    const s = await restToRegister(db.db, peer.url, {
      sourceEndpoint: '/people',
      sourceConfig: { pagination: { kind: 'none' } },
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ found: 12, expectedTotal: null });
  });

  it("reads a body's meta.total", async () => {
    // json-server answers a custom route with the body it holds: a page with its meta.
    const withMeta = await startJsonServer({
      report: [{ id: 'r', meta: { total: 40 }, data: people(3) }] as unknown[],
    });
    try {
      const s = await restToRegister(db.db, withMeta.url, {
        sourceEndpoint: '/report/r',
        sourceConfig: { pagination: { kind: 'none' }, resultsPosition: 'data' },
      });
      expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ found: 3, expectedTotal: 40 });
    } finally {
      await withMeta.stop();
    }
  });
});
