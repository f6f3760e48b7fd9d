// An incremental synchronisation of json-server orders with their nested lines, the lines through a
// mapping of their own: editing that mapping must reach every line, as an edit of the orders' mapping
// does, so the next run is a full reconciliation that rewrites the lines of orders that did not change.
// A line taken out of an order that changed goes with the incremental run that read the order (which
// came whole); the lines of orders it did not read stay, as do orders that vanished.
import { and, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, ofSchema } from '@/server/db/schema';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { runDirect } from '../helpers/sync-setup';

const T0 = '2024-05-01T10:00:00.000Z';
const SCHEMA = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['order', 'line'] }, number: { type: 'string' }, sku: { type: 'string' } },
};
// A minute apart, the last at T0: the cursor after the first run is T0, which only order 3 holds.
const ORDERS = [1, 2, 3].map((id) => ({
  id,
  number: `ORD-${id}`,
  updatedAt: new Date(Date.parse(T0) - (3 - id) * 60_000).toISOString(),
  lines: [{ id: id * 10 + 1, sku: `sku-${id}` }],
}));

let db: TestDatabase;
let peer: JsonServer;
let env: Awaited<ReturnType<typeof setup>>;

async function setup() {
  const owner = await createOwner(db.db);
  const api = callerFor(db.db, owner.user);
  const orgId = owner.org.id;
  const source = await api.sources.create({
    orgId,
    name: 'Shop',
    type: 'rest',
    config: { baseUrl: peer.url },
  });
  const register = await api.registers.create({ orgId, name: 'Sales' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Order or line',
    jsonSchema: SCHEMA,
  });
  const orderMapping = await api.mappings.create({
    orgId,
    name: 'Order',
    config: { mapping: { kind: '=order', number: 'number' } },
  });
  const lineMapping = await api.mappings.create({
    orgId,
    name: 'Order line',
    config: { mapping: { kind: '=line', sku: 'sku' } },
  });
  const sync = await api.synchronisations.create({
    orgId,
    name: 'Orders with their lines',
    sourceId: source.id,
    sourceEndpoint: '/orders?_page=1&_limit=10&_sort=updatedAt,id',
    sourceConfig: {
      pagination: { kind: 'link-header' },
      subObjects: [{ path: 'lines', mappingId: lineMapping.id }],
      incremental: { field: 'updatedAt', query: 'updatedAt_gte={{cursor}}', lookbackSeconds: 0 },
    },
    mappingId: orderMapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
  });
  return { api, orgId, schema, lineMapping, sync };
}

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ orders: ORDERS });
  env = await setup();
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

const skus = async () =>
  (
    await db.db
      .select()
      .from(objects)
      .where(and(ofSchema(env.schema.id), isNull(objects.deletedAt)))
  )
    .filter((o) => o.data.kind === 'line')
    .map((o) => o.data.sku as string)
    .sort();

const orders = async () =>
  (
    await db.db
      .select()
      .from(objects)
      .where(and(ofSchema(env.schema.id), isNull(objects.deletedAt)))
  )
    .filter((o) => o.data.kind === 'order')
    .map((o) => o.data.number as string)
    .sort();

describe('an incremental synchronisation with sub-objects', () => {
  it('lists everything again after the lines’ own mapping is edited, and rewrites every line', async () => {
    expect(await runDirect(db.db, env.orgId, env.sync.id)).toMatchObject({ listing: 'full', created: 6 });
    // Only order 3 changes at the source; the cursor (T0) has passed orders 1 and 2.
    await fetch(`${peer.url}/orders/3`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ updatedAt: '2024-05-01T11:00:00.000Z' }),
    });
    await env.api.mappings.update({
      orgId: env.orgId,
      mappingId: env.lineMapping.id,
      name: 'Order line',
      config: { mapping: { kind: '=line', sku: 'sku' }, cast: { sku: 'uppercase' } },
    });
    const run = await runDirect(db.db, env.orgId, env.sync.id);
    expect(run.message).toMatch(
      /^Full reconciliation \(the settings, a mapping or the target schema changed/,
    );
    expect(run).toMatchObject({ listing: 'full', result: 'success', found: 6 });
    expect(await skus()).toEqual(['SKU-1', 'SKU-2', 'SKU-3']);
  });

  it('deletes a line taken out of an order it read, and nothing it did not read', async () => {
    // Order 3 changes and loses its line; order 1 vanishes without a trace an incremental run can see.
    await fetch(`${peer.url}/orders/3`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ updatedAt: '2024-05-01T12:00:00.000Z', lines: [] }),
    });
    await fetch(`${peer.url}/orders/1`, { method: 'DELETE' });
    const run = await runDirect(db.db, env.orgId, env.sync.id);
    expect(run).toMatchObject({ listing: 'incremental', result: 'success', deleted: 1, found: 1 });
    expect(run.message).toMatch(/nothing it did not read is deleted/);
    expect(await skus()).toEqual(['SKU-1', 'SKU-2']);
    expect(await orders()).toEqual(['ORD-1', 'ORD-2', 'ORD-3']);
  });
});
