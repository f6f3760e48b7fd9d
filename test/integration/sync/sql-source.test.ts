// SQL sources end to end, against the real PostgreSQL and MariaDB servers, driven through the API and
// run as the embedded runner runs them: a table into a register schema (create all, skip all, updates,
// creates and deletes), a query instead of a table, keyset paging over several pages on a text key,
// and every failure — bad SQL, a missing table, a refused connection, a refused sign-in, a private
// address — ending the run in error with its reason and deleting nothing, the password nowhere.
import type { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { contractReadColumns, contracts, ofSynchronisation } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects } from '../helpers/sync-more';
import { runDirect } from '../helpers/sync-setup';
import { createPeople, insertPeople, p, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { runTraces, runWithPolicy, sqlToRegister } from '../helpers/sql-sync';

const PASSWORD = 'pw-CONCORD-sql-5e1f0b';

describe.each(SQL_PEERS)('an SQL source ($dialect) into the register', ({ open }) => {
  let db: TestDatabase;
  let peer: SqlPeer;
  const logged: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await open();
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    expect(logged.join('\n')).not.toContain(PASSWORD);
    await peer?.dropAll();
    await peer?.close();
    await db?.close();
  });

  describe('a table', () => {
    let table: string;
    let user: string;
    let s: Awaited<ReturnType<typeof sqlToRegister>>;
    const run = () => runDirect(db.db, s.orgId, s.sync.id);

    beforeAll(async () => {
      table = await createPeople(peer, 30);
      user = await peer.reader(PASSWORD);
      s = await sqlToRegister(db.db, peer, { endpoint: table, password: PASSWORD, connection: { user } });
    });
    afterEach(async () => expect(await runTraces(db.db, s.sync.id)).not.toContain(PASSWORD));

    it('creates every row as an object on the first run', async () => {
      expect(await run()).toMatchObject({
        result: 'success',
        found: 30,
        created: 30,
        deleted: 0,
        pagesFetched: 1,
        complete: true,
      });
      const rows = await liveObjects(db.db, s.schema.id);
      expect(rows).toHaveLength(30);
      expect(rows.find((o) => o.data.email === 'person7@example.test')?.data).toEqual({
        name: 'Person 7',
        email: 'person7@example.test',
        city: 'Utrecht',
      });
    });

    it('skips every row on an unchanged re-run', async () => {
      expect(await run()).toMatchObject({
        result: 'success',
        found: 30,
        skipped: 30,
        created: 0,
        updated: 0,
      });
    });

    it('turns changed, new and deleted rows into updates, creates and deletes', async () => {
      await peer.exec(`UPDATE ${q(peer, table)} SET name = ${p(peer, 1)} WHERE id = 3`, ['Person three']);
      await peer.exec(`UPDATE ${q(peer, table)} SET city = ${p(peer, 1)} WHERE id = 20`, ['Delft']);
      await insertPeople(peer, table, 31, 1);
      await peer.exec(`DELETE FROM ${q(peer, table)} WHERE id = 12`);
      expect(await run()).toMatchObject({
        result: 'success',
        found: 30,
        created: 1,
        updated: 2,
        deleted: 1,
        skipped: 27,
        complete: true,
      });
      const names = (await liveObjects(db.db, s.schema.id)).map((o) => o.data.name);
      expect(names).toContain('Person three');
      expect(names).toContain('Person 31');
      expect(names).not.toContain('Person 12');
      const [gone] = await db.db
        .select(contractReadColumns)
        .from(contracts)
        .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, '12')));
      expect(gone).toMatchObject({ status: 'deleted', lastAction: 'delete' });
    });

    // Each failure runs against a sync whose contracts exist: a failed listing must delete none of them.
    const failsWith = async (reason: RegExp) => {
      const before = (await liveObjects(db.db, s.schema.id)).length;
      const failed = await run();
      expect(failed).toMatchObject({ result: 'error', deleted: 0, complete: false });
      expect(failed.message).toContain(`SQL source "${peer.label} people"`);
      expect(failed.message).toMatch(reason);
      expect(failed.message).not.toContain(PASSWORD);
      expect(await liveObjects(db.db, s.schema.id)).toHaveLength(before);
    };
    const withEndpoint = (sourceEndpoint: string) =>
      s.api.synchronisations.update({ orgId: s.orgId, syncId: s.sync.id, ...s.input, sourceEndpoint });
    const withConnection = (config: Record<string, unknown>, secrets?: Record<string, string | null>) =>
      s.api.sources.update({
        orgId: s.orgId,
        sourceId: s.source.id,
        config: { ...peer.config, user, ...config },
        secrets,
      });

    it('ends in error on a query with a syntax error, and deletes nothing', async () => {
      await withEndpoint(`SELECT id, name, FROM ${table}`);
      await failsWith(/not valid SQL.*check the query/);
    });

    it('ends in error on a missing table, and deletes nothing', async () => {
      await withEndpoint(`${table}_missing`);
      await failsWith(/does not exist.*check the table name/);
    });

    it('ends in error when the key column is not a column, and deletes nothing', async () => {
      await withEndpoint(table);
      await s.api.synchronisations.update({
        orgId: s.orgId,
        syncId: s.sync.id,
        ...s.input,
        sourceConfig: { sql: { keyColumn: 'no_such_column' } },
      });
      await failsWith(/column.*check the key column/);
      await s.api.synchronisations.update({ orgId: s.orgId, syncId: s.sync.id, ...s.input });
    });

    it('ends in error when a query outlasts the statement timeout, and deletes nothing', async () => {
      const sleep = peer.dialect === 'postgres' ? 'pg_sleep(3)' : 'SLEEP(3)';
      await withEndpoint(`SELECT id, name, email, city, ${sleep} AS slept FROM ${q(peer, table)}`);
      await withConnection({ timeoutMs: 1000 });
      await failsWith(/longer than the statement timeout.*raise the timeout/);
      await withEndpoint(table);
      await withConnection({});
    });

    it('ends in error when the connection is refused, and deletes nothing', async () => {
      await withConnection({ port: 1 });
      await failsWith(/connection was refused.*check the host, the port/);
    });

    it('ends in error when the sign-in is refused, and deletes nothing', async () => {
      // PostgreSQL here trusts every local connection, whatever the password: a role that does not
      // exist is its refused sign-in. MariaDB's root has an empty password, so any other is refused.
      if (peer.dialect === 'postgres') await withConnection({ user: 'concord_no_such_role' });
      else await withConnection({}, { password: `${PASSWORD}-wrong` });
      await failsWith(/refused the sign-in.*check the user and the password/);
    });

    it('refuses a private address unless private networks are allowed, and deletes nothing', async () => {
      await withConnection({}, { password: PASSWORD });
      const refused = await runWithPolicy(db.db, s.orgId, s.sync.id, false);
      expect(refused).toMatchObject({ result: 'error', deleted: 0, complete: false });
      expect(refused.message).toMatch(/127\.0\.0\.1, a loopback address; calls into private networks/);
      await withConnection({ host: 'localhost' });
      const named = await runWithPolicy(db.db, s.orgId, s.sync.id, false);
      expect(named.message).toMatch(/localhost resolves to .*(loopback|private)/);
      // Another host took the saved password with it (a secret goes only where it was given for), so
      // it is given again with the address it belongs to.
      expect((await withConnection({})).secretsSet).toEqual([]);
      await withConnection({}, { password: PASSWORD });
      // Allowed again, the same source reads: everything is still there to skip or update.
      expect(await runWithPolicy(db.db, s.orgId, s.sync.id, true)).toMatchObject({
        result: 'success',
        found: 30,
        deleted: 0,
      });
    });
  });

  it('refuses to save an endpoint that is neither a table nor a SELECT query, or no key column', async () => {
    const refused = (await sqlToRegister(db.db, peer, { endpoint: 'DELETE FROM people' }).catch(
      (error: unknown) => error,
    )) as TRPCError;
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toMatch(/neither a table name .* nor a query/);
    expect(refused.cause).toMatchObject({ field: 'sourceEndpoint' });
    const path = (await sqlToRegister(db.db, peer, {
      endpoint: 'people',
      sourceConfig: { sourceIdField: 'doc.id' },
    }).catch((error: unknown) => error)) as TRPCError;
    expect(path.message).toMatch(/name the key column/);
  });

  it('reads a query instead of a table', async () => {
    const table = await createPeople(peer, 12);
    const s = await sqlToRegister(db.db, peer, {
      // Long, as real queries are (a comment stands in for the length).
      endpoint: `SELECT id, UPPER(name) AS name, email, city /* ${'x'.repeat(3000)} */ FROM ${q(peer, table)} WHERE city = 'Leiden';`,
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      found: 6,
      created: 6,
      complete: true,
    });
    const rows = await liveObjects(db.db, s.schema.id);
    expect(rows.map((o) => o.data.name).sort()).toEqual(
      ['PERSON 10', 'PERSON 12', 'PERSON 2', 'PERSON 4', 'PERSON 6', 'PERSON 8'].sort(),
    );
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ skipped: 6, created: 0 });
  });

  it('pages over several pages on a text key, and resumes each page from the last key', async () => {
    const table = peer.table('concord_codes');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (code ${peer.types.text} PRIMARY KEY, name ${peer.types.text}, email ${peer.types.text}, city ${peer.types.text})`,
    );
    // Codes whose text order differs from their number order, with a shared prefix.
    const codes = Array.from({ length: 23 }, (_, i) => `K-${(i * 7) % 23}-${String.fromCharCode(97 + i)}`);
    for (const code of codes) {
      await peer.exec(
        `INSERT INTO ${q(peer, table)} (code, name, email, city) VALUES (${p(peer, 1)}, ${p(peer, 2)}, ${p(peer, 3)}, 'Delft')`,
        [code, `Name ${code}`, `${code}@example.test`],
      );
    }
    const s = await sqlToRegister(db.db, peer, {
      endpoint: table,
      sourceConfig: { sourceIdField: 'code', sql: { pageSize: 5 } },
    });
    const first = await runDirect(db.db, s.orgId, s.sync.id);
    expect(first).toMatchObject({
      result: 'success',
      found: 23,
      created: 23,
      pagesFetched: 5,
      complete: true,
    });
    const listed = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(ofSynchronisation(s.sync.id));
    expect(listed.map((c) => c.originId).sort()).toEqual([...codes].sort());
    await peer.exec(`DELETE FROM ${q(peer, table)} WHERE code = ${p(peer, 1)}`, [codes[4]]);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      found: 22,
      skipped: 22,
      deleted: 1,
      pagesFetched: 5,
    });
  });

  it('refuses to page past a key that is not unique, and deletes nothing', async () => {
    const table = peer.table('concord_dupes');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id integer PRIMARY KEY, batch integer, name ${peer.types.text}, email ${peer.types.text})`,
    );
    for (let id = 1; id <= 6; id++)
      await peer.exec(
        `INSERT INTO ${q(peer, table)} VALUES (${id}, ${Math.ceil(id / 3)}, 'N ${id}', 'e${id}@x.test')`,
      );
    const s = await sqlToRegister(db.db, peer, {
      endpoint: table,
      sourceConfig: { sql: { keyColumn: 'batch', pageSize: 2 } },
    });
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'error', deleted: 0, complete: false });
    expect(run.message).toMatch(/key column "batch" is not unique/);
  });
});
