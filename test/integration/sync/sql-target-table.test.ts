// The table of an SQL target made from the register schema through the API — its CREATE TABLE shown
// first, created when asked, refused when it exists — then every JSON type written into it and read back
// with the SQL source: what a person gets when they push register objects out and pull them in again.
import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSource } from '@/server/sync/sources/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { putObjects, registerToSql } from '../helpers/sql-target';
import { runDirect } from '../helpers/sync-setup';

const OBJECTS = [
  {
    id: 'a1',
    data: {
      name: 'Full',
      age: 42,
      score: 1.25,
      active: true,
      tags: ['x', 'y'],
      address: { city: 'Leiden', lines: ['Breestraat 1'] },
      seen: '2024-05-01T10:00:00.123Z',
    },
  },
  { id: 'a2', data: { name: 'Bare' } },
  {
    id: 'a3',
    data: { name: 'Nulls', age: null, score: 0, active: false, tags: [], address: {}, seen: null },
  },
];

describe.each(SQL_PEERS)('an SQL target’s table from the register schema ($dialect)', ({ dialect, open }) => {
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

  it('previews the CREATE TABLE, creates it once, and round-trips every type', async () => {
    const table = peer.table('sqltarget_made');
    const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'none' });
    const input = { orgId: t.orgId, sourceId: t.to.id, schemaId: t.schema.id, table, keyColumns: ['id'] };

    const preview = await t.api.sources.sqlTablePreview(input);
    expect(preview.statement).toContain('CREATE TABLE');
    expect(preview.columns.map((c) => c.name)).toEqual([
      'id',
      'name',
      'age',
      'score',
      'active',
      'tags',
      'address',
      'seen',
    ]);
    // A preview runs nothing: the table does not exist yet.
    const before = await peer.query(
      dialect === 'postgres'
        ? 'SELECT to_regclass($1) AS t'
        : 'SELECT count(*) AS t FROM information_schema.tables WHERE table_name = ?',
      [table],
    );
    expect(Number(before[0]?.['t'] ?? 0)).toBe(0);

    const made = await t.api.sources.createSqlTable(input);
    expect(made.statement).toBe(preview.statement);
    const again = await t.api.sources.createSqlTable(input).catch((e: TRPCError) => e);
    expect(again).toMatchObject({ code: 'CONFLICT' });
    expect((again as Error).message).toMatch(/already exists/);

    await t.put(OBJECTS);
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({ result: 'success', created: 3 });

    // Read back as a synchronisation from this table would read it.
    const source = createSqlSource({
      systemId: t.to.id,
      name: 'read back',
      source: { ...peer.config, ssl: false, timeoutMs: 10_000 },
      secrets: {},
      endpoint: table,
      keyColumn: 'id',
      maxPages: 10,
      urlPolicy: { allowPrivateNetworks: true },
    });
    const rows: Record<string, unknown>[] = [];
    for await (const page of source.pages(null)) rows.push(...(page.objects as Record<string, unknown>[]));
    await source.close();

    const pg = dialect === 'postgres';
    // What each type comes back as: JSON as JSON, bigint as text (every digit kept), MariaDB's boolean
    // as 1/0 and its datetime(6) without a zone, with microseconds.
    expect(rows).toEqual([
      {
        id: 'a1',
        name: 'Full',
        age: '42',
        score: 1.25,
        active: pg ? true : 1,
        tags: ['x', 'y'],
        address: { city: 'Leiden', lines: ['Breestraat 1'] },
        seen: pg ? '2024-05-01T10:00:00.123Z' : '2024-05-01T10:00:00.123000',
      },
      { id: 'a2', name: 'Bare', age: null, score: null, active: null, tags: null, address: null, seen: null },
      {
        id: 'a3',
        name: 'Nulls',
        age: null,
        score: 0,
        active: pg ? false : 0,
        tags: [],
        address: {},
        seen: null,
      },
    ]);
  });

  it('makes a required property that may be null a column that takes NULL', async () => {
    const t = await registerToSql(
      db.db,
      peer,
      { table: peer.table('sqltarget_unused'), keyColumns: ['id'] },
      { deleteMode: 'none' },
    );
    // Required means present: a register object holding null there is valid.
    const schema = await t.api.registers.createSchema({
      orgId: t.orgId,
      registerId: t.register.id,
      name: 'Note',
      jsonSchema: {
        type: 'object',
        required: ['title', 'note', 'rating'],
        properties: {
          title: { type: 'string' },
          note: { type: ['string', 'null'] },
          rating: { type: ['integer', 'null'] },
        },
      },
    });
    const from = await t.api.sources.create({
      orgId: t.orgId,
      name: 'Notes in the register',
      type: 'register',
      config: { registerId: t.register.id, schemaId: schema.id },
    });
    const table = peer.table('sqltarget_notes');
    const sync = await t.api.synchronisations.create({
      orgId: t.orgId,
      name: 'Notes out',
      sourceId: from.id,
      targetType: 'source',
      targetSourceId: t.to.id,
      targetConfig: { table, keyColumns: ['id'] },
      deleteMode: 'none',
    });
    const made = await t.api.sources.createSqlTable({
      orgId: t.orgId,
      sourceId: t.to.id,
      schemaId: schema.id,
      table,
      keyColumns: ['id'],
    });
    expect(made.columns.map((c) => [c.name, c.notNull])).toEqual([
      ['id', true],
      ['title', true],
      ['note', false],
      ['rating', false],
    ]);
    await putObjects(db.db, schema, [
      { id: 'n1', data: { title: 'Full', note: 'text', rating: 4 } },
      { id: 'n2', data: { title: 'Empty', note: null, rating: null } },
    ]);
    expect(await runDirect(db.db, t.orgId, sync.id)).toMatchObject({
      result: 'success',
      created: 2,
      failed: 0,
    });
  });

  it('refuses a query as the table, at the field', async () => {
    const t = await registerToSql(
      db.db,
      peer,
      { table: peer.table('sqltarget_x'), keyColumns: ['id'] },
      { deleteMode: 'none' },
    );
    const refused = await t.api.sources
      .sqlTablePreview({
        orgId: t.orgId,
        sourceId: t.to.id,
        schemaId: t.schema.id,
        table: 'SELECT 1',
        keyColumns: ['id'],
      })
      .catch((e: TRPCError) => e);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
    expect((refused as Error).message).toMatch(/query cannot be written to/);
  });
});
