// Discovering an SQL source and creating a connection from its tables, through the API against the real
// PostgreSQL and MariaDB servers (each in a database of its own): the catalog's tables, views, columns,
// types and keys; two selected tables becoming two schemas, mappings and synchronisations in one
// connection; running the connection filling the register with both tables' rows; a name clash
// suffixed, never overwritten; viewers may look but not create.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappings, schemas, synchronisations } from '@/server/db/schema';
import { discoverSource } from '@/server/services/discover';
import type { DataType } from '@/server/sync/core/discover';
import { callerFor, createMember } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { CUSTOMERS, ORDERS, shopDatabase, type ShopDatabase } from '../helpers/discover-db';
import { failure } from '../helpers/owner-api';
import { SQL_PEERS } from '../helpers/sql-peers';
import { liveObjects, newOrg } from '../helpers/sync-more';

type Api = Awaited<ReturnType<typeof newOrg>>['api'];

/** Runs the connection through the API and waits until every member's run has ended. */
async function runConnection(api: Api, orgId: string, connectionId: string) {
  const started = await api.connections.run({ orgId, connectionId });
  const deadline = Date.now() + 50_000;
  for (;;) {
    const all = await Promise.all(started.runs.map((r) => api.runs.get({ orgId, runId: r.runId })));
    if (all.every((run) => run.status === 'finished' || run.status === 'cancelled')) return all;
    if (Date.now() > deadline) throw new Error('the connection run did not finish');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(SQL_PEERS)('discovering an SQL source ($dialect)', ({ dialect }) => {
  let db: TestDatabase;
  let shop: ShopDatabase;
  let s: Awaited<ReturnType<typeof newOrg>>;
  let sourceId: string;
  let types: DataType[];
  const type = (name: string) => types.find((t) => t.name === name)!;

  beforeAll(async () => {
    db = await createTestDatabase();
    shop = await shopDatabase(dialect, `discover_it_${dialect}`);
    s = await newOrg(db.db);
    const source = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Shop database',
      type: 'sql',
      config: shop.config,
    });
    sourceId = source.id;
  });
  afterAll(async () => {
    await shop?.close();
    await db?.close();
  });

  it('lists the tables and views with their columns, types and keys', async () => {
    const found = await s.api.connections.discover({ orgId: s.orgId, sourceId });
    if (!found.ok) throw new Error(found.reason);
    types = found.types;
    expect(types.map((t) => t.name).sort()).toEqual([
      'discover_customer_names',
      'discover_customers',
      'discover_order_lines',
      'discover_orders',
    ]);
    const customers = type('discover_customers');
    expect(customers).toMatchObject({ kind: 'table', idField: 'id', problem: null });
    expect(customers.endpoint).toBe(
      dialect === 'postgres' ? 'public.discover_customers' : 'discover_customers',
    );
    const fields = Object.fromEntries(customers.fields.map((f) => [f.name, f]));
    expect(Object.keys(fields)).toEqual(['id', 'name', 'email', 'balance', 'joined', 'vip']);
    expect(fields.id).toMatchObject({ type: 'integer', key: true, nullable: false });
    expect(fields.name).toMatchObject({ type: 'string', key: false, nullable: false });
    expect(fields.email).toMatchObject({ type: 'string', nullable: true });
    // Decimals keep their digits as text; instants are ISO text with a zone.
    expect(fields.balance).toMatchObject({ type: 'string', nullable: true });
    expect(fields.joined).toMatchObject({ type: 'string', format: 'date-time' });
    expect(fields.vip?.type).toBe(dialect === 'postgres' ? 'boolean' : 'integer');

    expect(type('discover_orders')).toMatchObject({ kind: 'table', idField: 'order_no', problem: null });
    expect(type('discover_orders').fields.find((f) => f.name === 'placed')).toMatchObject({
      type: 'string',
      format: 'date',
    });
    // Two key columns cannot be paged on: not selectable, and says why.
    const lines = type('discover_order_lines');
    expect(lines.idField).toBeNull();
    expect(lines.problem).toContain('primary key has 2 columns (order_no, line)');
    expect(lines.fields.filter((f) => f.key).map((f) => f.name)).toEqual(['order_no', 'line']);
    expect(type('discover_customer_names')).toMatchObject({ kind: 'view', idField: 'id', problem: null });
  });

  it('connects only to an address the policy allows', async () => {
    const refused = await discoverSource(
      db.db,
      s.orgId,
      sourceId,
      {},
      {
        urlPolicy: { allowPrivateNetworks: false },
      },
    );
    expect(refused).toEqual({ ok: false, reason: expect.stringContaining('The connection was refused') });
  });

  it('creates two schemas, mappings and synchronisations from two tables in one connection', async () => {
    const connection = await s.api.connections.create({
      orgId: s.orgId,
      name: 'Shop',
      sourceId,
      types: [type('discover_customers'), type('discover_orders')].map((t) => ({
        ...t,
        fields: [...t.fields],
        idField: t.idField!,
      })),
    });
    const members = await db.db
      .select()
      .from(synchronisations)
      .where(eq(synchronisations.connectionId, connection.id));
    expect(members.map((m) => m.name).sort()).toEqual([
      'Shop · discover_customers',
      'Shop · discover_orders',
    ]);
    const customersSync = members.find((m) => m.name.endsWith('customers'))!;
    expect(customersSync).toMatchObject({
      sourceId,
      targetType: 'register',
      sourceEndpoint: dialect === 'postgres' ? 'public.discover_customers' : 'discover_customers',
    });
    expect(customersSync.sourceConfig).toMatchObject({ sourceIdField: 'id', sql: { keyColumn: 'id' } });
    const schemaRows = await db.db
      .select()
      .from(schemas)
      .where(and(eq(schemas.orgId, s.orgId), eq(schemas.registerId, connection.registerId!)));
    expect(schemaRows.map((r) => r.name).sort()).toEqual(['discover_customers', 'discover_orders']);
    const customersSchema = schemaRows.find((r) => r.name === 'discover_customers')!.jsonSchema;
    expect(customersSchema).toMatchObject({
      type: 'object',
      required: ['id', 'name'],
      'x-concord-key': ['id'],
      properties: { id: { type: 'integer' }, email: { type: ['string', 'null'] } },
    });
    const mappingRows = await db.db.select().from(mappings).where(eq(mappings.orgId, s.orgId));
    expect(mappingRows.map((m) => m.name).sort()).toEqual([
      'Shop · discover_customers',
      'Shop · discover_orders',
    ]);
    expect(mappingRows.find((m) => m.name.endsWith('orders'))!.config).toMatchObject({
      mapping: { order_no: 'order_no', customer_id: 'customer_id', total: 'total', placed: 'placed' },
    });
  });

  it('runs the connection: both tables’ rows arrive in the register', async () => {
    const [connection] = await s.api.connections.list({ orgId: s.orgId });
    const finished = await runConnection(s.api, s.orgId, connection!.id);
    expect(finished.map((r) => [r.result, r.created]).sort()).toEqual(
      [
        ['success', CUSTOMERS],
        ['success', ORDERS],
      ].sort(),
    );
    const status = await s.api.connections.get({ orgId: s.orgId, connectionId: connection!.id });
    const member = (schema: string) => status.members.find((m) => m.schemaName === schema)!;
    expect(member('discover_customers').lastRun).toMatchObject({ result: 'success', found: CUSTOMERS });
    expect(member('discover_orders').contracts.total).toBe(ORDERS);

    const customers = await liveObjects(db.db, member('discover_customers').sync.targetSchemaId!);
    expect(customers).toHaveLength(CUSTOMERS);
    const bea = customers.find((o) => o.data.name === 'Bea')!.data;
    expect(bea).toMatchObject({ id: 2, email: null, balance: null, joined: null });
    const orders = await liveObjects(db.db, member('discover_orders').sync.targetSchemaId!);
    expect(orders.map((o) => o.data.order_no).sort()).toEqual(['A-1', 'A-2', 'B-1', 'C-1']);
    expect(orders.find((o) => o.data.order_no === 'C-1')!.data).toMatchObject({
      customer_id: 3,
      total: '99.99',
      placed: '2024-06-03',
    });
  });

  it('gives a clashing name a suffix instead of overwriting', async () => {
    const [first] = await s.api.connections.list({ orgId: s.orgId });
    const second = await s.api.connections.create({
      orgId: s.orgId,
      name: 'Shop',
      sourceId,
      registerId: first!.registerId,
      types: [
        { ...type('discover_customers'), fields: [...type('discover_customers').fields], idField: 'id' },
      ],
    });
    expect(second.name).toBe('Shop (2)');
    const schemaNames = (
      await db.db.select().from(schemas).where(eq(schemas.registerId, first!.registerId!))
    ).map((r) => r.name);
    expect(schemaNames.sort()).toEqual(['discover_customers', 'discover_customers (2)', 'discover_orders']);
    const status = await s.api.connections.get({ orgId: s.orgId, connectionId: second.id });
    expect(status.members.map((m) => [m.sync.name, m.mappingName, m.schemaName])).toEqual([
      ['Shop (2) · discover_customers', 'Shop (2) · discover_customers', 'discover_customers (2)'],
    ]);
    // The first connection's schema and objects are untouched.
    const firstStatus = await s.api.connections.get({ orgId: s.orgId, connectionId: first!.id });
    expect(firstStatus.members.map((m) => m.schemaName).sort()).toEqual([
      'discover_customers',
      'discover_orders',
    ]);
  });

  it('refuses a type without an id field, and lets viewers look but not discover or create', async () => {
    const lines = type('discover_order_lines');
    const refused = await failure(
      s.api.connections.create({
        orgId: s.orgId,
        name: 'Lines',
        sourceId,
        types: [{ ...lines, fields: [...lines.fields], idField: '' }],
      }),
    );
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'types.0.idField' });
    expect(refused.message).toBe(
      'discover_order_lines cannot be synchronised as it is: its primary key has 2 columns (order_no, line); a synchronisation pages on one unique column.',
    );

    const viewer = callerFor(db.db, await createMember(db.db, s.orgId, s.owner.user.id, 'viewer'));
    const [connection] = await viewer.connections.list({ orgId: s.orgId });
    expect(
      (await viewer.connections.get({ orgId: s.orgId, connectionId: connection!.id })).members,
    ).toHaveLength(2);
    expect((await failure(viewer.connections.discover({ orgId: s.orgId, sourceId }))).code).toBe('FORBIDDEN');
    expect(
      (await failure(viewer.connections.run({ orgId: s.orgId, connectionId: connection!.id }))).code,
    ).toBe('FORBIDDEN');
  });

  it('does not require what the database gives a new row: a generated key, a default', async () => {
    const generated =
      dialect === 'postgres' ? 'integer GENERATED BY DEFAULT AS IDENTITY' : 'integer AUTO_INCREMENT';
    await shop.exec('DROP TABLE IF EXISTS discover_accounts');
    await shop.exec(
      `CREATE TABLE discover_accounts (id ${generated} PRIMARY KEY, code varchar(20) NOT NULL,
         status varchar(20) NOT NULL DEFAULT 'new', note varchar(200))`,
    );
    try {
      const found = await s.api.connections.discover({ orgId: s.orgId, sourceId });
      if (!found.ok) throw new Error(found.reason);
      const accounts = found.types.find((t) => t.name === 'discover_accounts')!;
      const given = accounts.fields.filter((f) => f.givenBySource).map((f) => f.name);
      expect(given).toEqual(['id', 'status']);
      const made = await s.api.connections.create({
        orgId: s.orgId,
        name: 'Accounts',
        sourceId,
        types: [{ ...accounts, fields: [...accounts.fields], idField: 'id' }],
      });
      const [schema] = await db.db
        .select()
        .from(schemas)
        .where(and(eq(schemas.orgId, s.orgId), eq(schemas.registerId, made.registerId!)));
      // A person adds an account in the register with its code alone; the database gives the rest.
      expect(schema!.jsonSchema).toMatchObject({ required: ['code'], 'x-concord-key': ['id'] });
    } finally {
      await shop.exec('DROP TABLE discover_accounts');
    }
  });
});
