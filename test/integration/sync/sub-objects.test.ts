// Sub-objects end to end: json-server orders with nested `lines` into one register schema, each line
// with a contract of its own (origin id `<order>/lines/<line>`, parent_origin_id the order). A re-run
// finds every line again instead of duplicating it; changed, new and removed lines, and removed orders,
// become updates, creates and deletes; a mapping edit, force and a dry run behave as for parents.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractReadColumns,
  contracts,
  mappings,
  objects,
  ofSchema,
  ofSynchronisation,
} from '@/server/db/schema';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { runDirect } from '../helpers/sync-setup';

const ORDER_SCHEMA = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { enum: ['order', 'line'] },
    number: { type: 'string' },
    customer: { type: 'string' },
    sku: { type: 'string' },
    qty: { type: 'integer', minimum: 0 },
  },
};
const ORDER_MAPPING = { mapping: { kind: '=order', number: 'number', customer: 'customer' } };
const LINE_MAPPING = { mapping: { kind: '=line', sku: 'sku', qty: 'qty' }, cast: { qty: 'int' } };

const line = (id: number, sku: string, qty: number) => ({ id, sku, qty });
const ORDERS = [
  { id: 1, number: 'ORD-1', customer: 'Ada', lines: [line(11, 'A', 1), line(12, 'B', 2)] },
  { id: 2, number: 'ORD-2', customer: 'Bob', lines: [line(21, 'A', 5)] },
  { id: 3, number: 'ORD-3', customer: 'Cy', lines: [line(31, 'C', 1), line(32, 'D', 3)] },
  { id: 4, number: 'ORD-4', customer: 'Di', lines: [line(41, 'A', 2)] },
  { id: 5, number: 'ORD-5', customer: 'Ed', lines: [] },
];

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
    jsonSchema: ORDER_SCHEMA,
  });
  const orderMapping = await api.mappings.create({ orgId, name: 'Order', config: ORDER_MAPPING });
  const lineMapping = await api.mappings.create({ orgId, name: 'Order line', config: LINE_MAPPING });
  const input = {
    name: 'Orders with their lines',
    sourceId: source.id,
    sourceEndpoint: '/orders?_page=1&_limit=2',
    sourceConfig: {
      pagination: { kind: 'link-header' },
      subObjects: [{ path: 'lines', mappingId: lineMapping.id }],
    },
    mappingId: orderMapping.id,
    targetType: 'register' as const,
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
  };
  const sync = await api.synchronisations.create({ orgId, ...input });
  return { api, orgId, schema, lineMapping, sync, input };
}

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ orders: ORDERS });
  env = await setup();
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const run = (mode?: { test?: boolean; force?: boolean }) => runDirect(db.db, env.orgId, env.sync.id, mode);
const liveObjects = () =>
  db.db
    .select()
    .from(objects)
    .where(and(ofSchema(env.schema.id), isNull(objects.deletedAt)));
const allContracts = () =>
  db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(env.sync.id));
const contractOf = async (originId: string) => (await allContracts()).find((c) => c.originId === originId);
const send = (method: string, path: string, body?: unknown) =>
  fetch(`${peer.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('sub-objects from a REST source into the register', () => {
  it('creates every order and every line on the first run, each line with its own contract', async () => {
    const first = await run();
    expect(first).toMatchObject({
      result: 'success',
      found: 11,
      created: 11,
      pagesFetched: 3,
      complete: true,
    });
    const rows = await liveObjects();
    expect(rows.filter((o) => o.data.kind === 'order')).toHaveLength(5);
    expect(rows.filter((o) => o.data.kind === 'line').map((o) => o.data)).toContainEqual({
      kind: 'line',
      sku: 'B',
      qty: 2,
    });
    const all = await allContracts();
    expect(all).toHaveLength(11);
    const lines = all.filter((c) => c.parentOriginId !== null);
    expect(lines.map((c) => [c.originId, c.parentOriginId]).sort()).toEqual([
      ['1/lines/11', '1'],
      ['1/lines/12', '1'],
      ['2/lines/21', '2'],
      ['3/lines/31', '3'],
      ['3/lines/32', '3'],
      ['4/lines/41', '4'],
    ]);
    expect(all.every((c) => c.status === 'synced' && c.targetId && c.targetHash)).toBe(true);
    expect(
      all
        .filter((c) => c.parentOriginId === null)
        .map((c) => c.originId)
        .sort(),
    ).toEqual(['1', '2', '3', '4', '5']);
  });

  it('finds every line again on a re-run: nothing created, nothing duplicated', async () => {
    const before = await liveObjects();
    const again = await run();
    expect(again).toMatchObject({ result: 'success', found: 11, created: 0, updated: 0, skipped: 11 });
    expect(await allContracts()).toHaveLength(11);
    const after = await liveObjects();
    expect(after.map((o) => [o.id, o.version])).toEqual(before.map((o) => [o.id, o.version]));
  });

  it('updates a changed line in place and creates a new one', async () => {
    const before = await contractOf('1/lines/12');
    await send('PATCH', '/orders/1', { lines: [line(11, 'A', 1), line(12, 'B', 9), line(13, 'E', 1)] });
    const changed = await run();
    // The order's own hash covers its lines, so it is looked at again too; its mapped data is unchanged,
    // so nothing is sent for it.
    expect(changed).toMatchObject({
      result: 'success',
      found: 12,
      created: 1,
      updated: 1,
      rewritten: 0,
      skipped: 10,
    });
    const after = await contractOf('1/lines/12');
    expect(after?.targetId).toBe(before?.targetId);
    const rows = await liveObjects();
    expect(rows.find((o) => o.id === after?.targetId)?.data).toEqual({ kind: 'line', sku: 'B', qty: 9 });
    const order = await contractOf('1');
    expect(rows.find((o) => o.id === order?.targetId)?.version).toBe(1);
    expect(await contractOf('1/lines/13')).toMatchObject({ parentOriginId: '1', status: 'synced' });
  });

  it('deletes a line removed from its order', async () => {
    await send('PATCH', '/orders/3', { lines: [line(31, 'C', 1)] });
    const removed = await run();
    expect(removed).toMatchObject({
      result: 'success',
      found: 11,
      updated: 0,
      rewritten: 0,
      deleted: 1,
      skipped: 11,
    });
    expect(await contractOf('3/lines/32')).toMatchObject({ status: 'deleted', lastAction: 'delete' });
    expect(await contractOf('3/lines/31')).toMatchObject({ status: 'synced' });
    expect((await liveObjects()).map((o) => o.data.sku)).not.toContain('D');
  });

  it('deletes the lines of a removed order with it', async () => {
    await send('DELETE', '/orders/2');
    const gone = await run();
    expect(gone).toMatchObject({ result: 'success', found: 9, deleted: 2, created: 0, skipped: 9 });
    expect(await contractOf('2')).toMatchObject({ status: 'deleted' });
    expect(await contractOf('2/lines/21')).toMatchObject({ status: 'deleted', parentOriginId: '2' });
    const rows = await liveObjects();
    expect(rows.filter((o) => o.data.kind === 'order')).toHaveLength(4);
    expect(rows.filter((o) => o.data.kind === 'line')).toHaveLength(5);
  });

  it('updates only the lines after their mapping is edited, and everything when forced', async () => {
    await env.api.mappings.update({
      orgId: env.orgId,
      mappingId: env.lineMapping.id,
      config: { ...LINE_MAPPING, mapping: { ...LINE_MAPPING.mapping, sku: '{{ sku | downcase }}' } },
    });
    expect(await run()).toMatchObject({ result: 'success', updated: 5, skipped: 4, created: 0 });
    const lines = (await liveObjects()).filter((o) => o.data.kind === 'line');
    expect(lines.every((o) => o.data.sku === String(o.data.sku).toLowerCase())).toBe(true);
    // Nothing changed since: every object is written again, and counted as rewritten, not updated.
    expect(await run({ force: true })).toMatchObject({ rewritten: 9, updated: 0, skipped: 0, created: 0 });
  });

  it('writes nothing in a dry run, and lists the lines it would delete', async () => {
    await send('PATCH', '/orders/4', { lines: [] });
    const objectsBefore = await liveObjects();
    const contractsBefore = await allContracts();
    const dry = await run({ test: true });
    // The order's mapped data stays the same: nothing to send for it.
    expect(dry).toMatchObject({ result: 'success', test: true, updated: 0, rewritten: 0, created: 0 });
    expect(dry.message).toMatch(/delete 1/);
    const entries = await env.api.runs.entries({ orgId: env.orgId, runId: dry.id });
    expect(entries.rows).toContainEqual(
      expect.objectContaining({ action: 'delete', originId: '4/lines/41' }),
    );
    expect(await liveObjects()).toEqual(objectsBefore);
    expect(await allContracts()).toEqual(contractsBefore);
    expect(await run()).toMatchObject({ updated: 0, rewritten: 0, deleted: 1, created: 0 });
  });

  it('ends in error and deletes nothing when the lines’ mapping has gone', async () => {
    const contractsBefore = await allContracts();
    await db.db.delete(mappings).where(eq(mappings.id, env.lineMapping.id));
    const broken = await run();
    expect(broken).toMatchObject({ result: 'error', created: 0, updated: 0, deleted: 0 });
    expect(broken.message).toContain('The mapping of the sub-objects at "lines" no longer exists.');
    expect(await allContracts()).toEqual(contractsBefore);
  });

  it('refuses to save sub-objects whose mapping is not one of the organisation’s, or whose path is bad', async () => {
    const other = await createOwner(db.db);
    const foreign = await callerFor(db.db, other.user).mappings.create({
      orgId: other.org.id,
      name: 'Foreign',
      config: LINE_MAPPING,
    });
    const withSubs = (subObjects: unknown[]) =>
      env.api.synchronisations.create({
        orgId: env.orgId,
        ...env.input,
        sourceConfig: { ...env.input.sourceConfig, subObjects },
      });
    await expect(withSubs([{ path: 'lines', mappingId: foreign.id }])).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(withSubs([{ path: 'lines..x' }])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(withSubs([{ path: 'lines' }, { path: 'lines' }])).rejects.toThrow(/configured twice/);
  });
});
