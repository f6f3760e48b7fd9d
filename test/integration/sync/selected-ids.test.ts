// Selected ids against real peers, set up through the API: json-server fetched by id (exactly one GET
// per selected id, counted from what json-server received, and nothing listed), the listing read and
// filtered when there is no path of one object, a failed fetch deleting nothing, and deletion
// limited to the selection — a selected id gone from the source (404) is deleted, an object outside the
// selection never is. Then PostgreSQL and MariaDB read by `WHERE id IN (…)` in pages of ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { createPeople, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { sqlToRegister } from '../helpers/sql-sync';
import { liveObjects } from '../helpers/sync-more';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';

describe('selected ids from a REST source', () => {
  let db: TestDatabase;
  let peer: JsonServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await startJsonServer({ people: people(30) });
  });
  afterAll(async () => {
    await peer?.stop();
    await db?.close();
  });

  const forgetRequests = () => fetch(`${peer.url}/__requests`, { method: 'DELETE' });
  const gets = async () => (await peer.requests()).filter((r) => r.method === 'GET').map((r) => r.url);
  const selection = (selectedIds: string[], objectEndpoint?: string) => ({
    pagination: { kind: 'link-header' as const },
    selectedIds,
    ...(objectEndpoint ? { objectEndpoint } : {}),
  });

  it('fetches exactly the selected ids, one request each, and lists nothing', async () => {
    const s = await restToRegister(db.db, peer.url, {
      sourceConfig: selection(['12', '3', '7', '3 '], '/people/{{id}}'),
    });
    // Each id counts once, as the API saved it.
    const saved = await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id });
    expect(saved.sourceConfig).toMatchObject({ selectedIds: ['12', '3', '7'] });
    await forgetRequests();
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', found: 3, created: 3, complete: true, deleted: 0 });
    expect((await gets()).sort()).toEqual(['/people/12', '/people/3', '/people/7']);
    const names = (await liveObjects(db.db, s.schema.id)).map((o) => o.data.name).sort();
    expect(names).toEqual(['Person 12', 'Person 3', 'Person 7']);
  });

  it('reads the listing and keeps only the selected ids without a path of one object', async () => {
    const s = await restToRegister(db.db, peer.url, { sourceConfig: selection(['4', '25']) });
    await forgetRequests();
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', found: 2, created: 2, complete: true });
    const requested = await gets();
    expect(requested).toHaveLength(3); // the three listing pages of ten
    expect(requested.every((url) => url.startsWith('/people?'))).toBe(true);
    const names = (await liveObjects(db.db, s.schema.id)).map((o) => o.data.name).sort();
    expect(names).toEqual(['Person 25', 'Person 4']);
  });

  it('deletes a selected id the source no longer has, and nothing outside the selection', async () => {
    const s = await restToRegister(db.db, peer.url);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 30 });
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      deleteMode: 'hard',
      sourceConfig: selection(['5', '6', '8'], '/people/{{id}}'),
    });
    // Person 6 (selected) and person 20 (not selected) leave the source.
    for (const id of [6, 20]) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });
    await forgetRequests();
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', found: 2, deleted: 1, complete: true });
    expect((await gets()).sort()).toEqual(['/people/5', '/people/6', '/people/8']);
    const live = (await liveObjects(db.db, s.schema.id)).map((o) => o.data.name);
    expect(live).toHaveLength(29);
    expect(live).not.toContain('Person 6');
    expect(live).toContain('Person 20');
  });

  it('holds for approval when most of the selection vanishes at once (a wrong path answers 404)', async () => {
    const s = await restToRegister(db.db, peer.url, { deleteMode: 'hard' });
    const total = peer.read().people!.length;
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: total });
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      deleteMode: 'hard',
      sourceConfig: selection(['2', '3', '4'], '/persons/{{id}}'),
    });
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    // Three of thirty contracts, but all three selected ones: the share counts the selection.
    expect(run).toMatchObject({ found: 0, deleted: 0, held: 3, complete: true });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(total);
  });

  it('deletes nothing when fetching a selected id fails', async () => {
    const s = await restToRegister(db.db, peer.url, { deleteMode: 'hard' });
    const total = peer.read().people!.length;
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: total });
    await fetch(`${peer.url}/people/1`, { method: 'DELETE' });
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      deleteMode: 'hard',
      sourceConfig: selection(['1', '2', '3'], '/people/{{id}}'),
    });
    await peer.faults([{ path: '/people/2', status: 500, body: { error: 'down' } }]);
    try {
      const run = await runDirect(db.db, s.orgId, s.sync.id);
      expect(run.complete).toBe(false);
      expect(run.result).not.toBe('success');
      expect(run.message).toContain('/people/2');
      expect(run.deleted).toBe(0);
      // Person 1 is gone from the source, but an incomplete listing deletes nothing.
      expect(await liveObjects(db.db, s.schema.id)).toHaveLength(total);
    } finally {
      await peer.clearFaults();
    }
  });

  it('refuses a path of one object without {{id}}, at its field', async () => {
    const s = await restToRegister(db.db, peer.url);
    const saving = s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      sourceConfig: selection(['1'], '/people/1'),
    });
    await expect(saving).rejects.toMatchObject({
      message: expect.stringContaining('must contain {{id}}'),
    });
  });
});

describe.each(SQL_PEERS)('selected ids from an SQL source ($dialect)', ({ open }) => {
  let db: TestDatabase;
  let peer: SqlPeer;

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await open();
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
    await db?.close();
  });

  it('reads only the selected rows, a page of ids at a time, and deletes only within the selection', async () => {
    const table = await createPeople(peer, 30);
    // Two rows a page: the whole table would be 15 pages; four selected ids are two.
    const s = await sqlToRegister(db.db, peer, { endpoint: table, sourceConfig: { sql: { pageSize: 2 } } });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 30, pagesFetched: 15 });

    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      deleteMode: 'hard',
      sourceConfig: { sql: { pageSize: 2 }, selectedIds: ['2', '5', '9', '12'] },
    });
    // Row 5 (selected) and row 20 (not selected) leave the table.
    await peer.exec(`DELETE FROM ${q(peer, table)} WHERE id IN (5, 20)`);
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', found: 3, pagesFetched: 2, deleted: 1, complete: true });
    const live = (await liveObjects(db.db, s.schema.id)).map((o) => o.data.name);
    expect(live).toHaveLength(29);
    expect(live).not.toContain('Person 5');
    expect(live).toContain('Person 20');
  });

  it('creates only the selected rows on a first run', async () => {
    const table = await createPeople(peer, 10);
    const s = await sqlToRegister(db.db, peer, {
      endpoint: table,
      sourceConfig: { selectedIds: ['3', '7', '99'] },
    });
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', found: 2, created: 2, pagesFetched: 1, complete: true });
    const names = (await liveObjects(db.db, s.schema.id)).map((o) => o.data.name).sort();
    expect(names).toEqual(['Person 3', 'Person 7']);
  });
});
