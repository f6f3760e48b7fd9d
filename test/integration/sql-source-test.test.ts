// "Test connection" for SQL sources against the real PostgreSQL and MariaDB servers: SELECT 1 and the
// server version, the first row of a table or query as a synchronisation reads it, failures answered
// as values with their reason (and never the password), the address policy, and the gate.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSqlConnectionOf } from '@/server/services/source-test-sql';
import { callerFor, createMember } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { newOrg } from './helpers/sync-more';
import { createPeople, q, SQL_PEERS, type SqlPeer } from './helpers/sql-peers';

const PASSWORD = 'pw-CONCORD-test-9a41c2';

describe.each(SQL_PEERS)('sources.testSqlConnection ($dialect)', ({ open }) => {
  let db: TestDatabase;
  let peer: SqlPeer;
  let org: Awaited<ReturnType<typeof newOrg>>;
  let user: string;
  let table: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await open();
    org = await newOrg(db.db);
    user = await peer.reader(PASSWORD);
    table = await createPeople(peer, 3);
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
    await db?.close();
  });

  const source = (config: Record<string, unknown> = {}, password = PASSWORD) =>
    org.api.sources.create({
      orgId: org.orgId,
      name: `${peer.label} ${Math.random().toString(36).slice(2, 7)}`,
      type: 'sql',
      config: { ...peer.config, user, ...config },
      secrets: { password },
    });

  it('connects, runs SELECT 1 and reads the first row of a table', async () => {
    const { id } = await source();
    const bare = await org.api.sources.testSqlConnection({ orgId: org.orgId, sourceId: id });
    expect(bare).toMatchObject({
      ok: true,
      url: `${peer.dialect}://127.0.0.1:${peer.config.port}/test`,
      sample: null,
    });
    expect(bare.ok && bare.serverVersion).toMatch(/\d+\.\d+/);

    const withTable = await org.api.sources.testSqlConnection({
      orgId: org.orgId,
      sourceId: id,
      endpoint: table,
    });
    expect(withTable).toMatchObject({
      ok: true,
      sample: {
        keyColumn: 'id',
        columns: ['id', 'name', 'email', 'city'],
        row: { id: 1, name: 'Person 1', email: 'person1@example.test', city: 'Utrecht' },
      },
    });
    const query = await org.api.sources.testSqlConnection({
      orgId: org.orgId,
      sourceId: id,
      endpoint: `SELECT email AS mail, name FROM ${q(peer, table)} WHERE id > 1`,
      keyColumn: 'mail',
    });
    expect(query).toMatchObject({
      ok: true,
      sample: { keyColumn: 'mail', columns: ['mail', 'name'], row: { mail: 'person2@example.test' } },
    });
  });

  it('answers a missing table and a refused connection with ok: false and the reason', async () => {
    const { id } = await source();
    const missing = await org.api.sources.testSqlConnection({
      orgId: org.orgId,
      sourceId: id,
      endpoint: `${table}_missing`,
    });
    expect(missing).toMatchObject({ ok: false });
    expect(!missing.ok && missing.reason).toMatch(/reading the table or query failed.*does not exist/);

    const closed = await source({ port: 1 });
    const refused = await org.api.sources.testSqlConnection({ orgId: org.orgId, sourceId: closed.id });
    expect(!refused.ok && refused.reason).toMatch(/Could not connect.*connection was refused/);
  });

  it('gives up on a server that accepts the connection and never speaks, within the source timeout', async () => {
    // A real TCP server that says nothing: connecting has a deadline of its own (the source's timeout, at
    // most 10 s), so a stalled database cannot hold a run or a test forever (issue 9).
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
    try {
      const { port } = silent.address() as AddressInfo;
      const { id } = await source({ port, timeoutMs: 1_000 });
      const stalled = await org.api.sources.testSqlConnection({ orgId: org.orgId, sourceId: id });
      expect(stalled).toMatchObject({ ok: false });
      expect(!stalled.ok && stalled.reason).toMatch(/^Could not connect to .*(timeout|ETIMEDOUT)/i);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => silent.close(done));
    }
  });

  it('answers a refused sign-in without the password', async () => {
    // PostgreSQL trusts local connections here: an unknown role is its refused sign-in.
    const denied =
      peer.dialect === 'postgres'
        ? await source({ user: 'concord_no_such_role' })
        : await source({}, `${PASSWORD}-wrong`);
    const result = await org.api.sources.testSqlConnection({ orgId: org.orgId, sourceId: denied.id });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toMatch(/refused the sign-in/);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('refuses a private address unless private networks are allowed', async () => {
    const { id } = await source();
    const refused = await testSqlConnectionOf(
      db.db,
      org.orgId,
      id,
      {},
      { urlPolicy: { allowPrivateNetworks: false } },
    );
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.reason).toMatch(/refused: 127\.0\.0\.1, a loopback address/);
  });

  it('is FORBIDDEN to a viewer, and BAD_REQUEST for a source that is not SQL', async () => {
    const { id } = await source();
    const viewer = await createMember(db.db, org.orgId, org.owner.user.id, 'viewer');
    const denied = await callerFor(db.db, viewer)
      .sources.testSqlConnection({ orgId: org.orgId, sourceId: id })
      .catch((error: unknown) => error);
    expect((denied as TRPCError).code).toBe('FORBIDDEN');
    const rest = await org.api.sources.create({
      orgId: org.orgId,
      name: 'An API',
      type: 'rest',
      config: { baseUrl: 'https://example.test' },
    });
    const wrong = await org.api.sources
      .testSqlConnection({ orgId: org.orgId, sourceId: rest.id })
      .catch((error: unknown) => error);
    expect((wrong as TRPCError).code).toBe('BAD_REQUEST');
  });
});
