// Changing a synchronisation's id field (fixing a misconfiguration: `id` → `code`) made the next run
// see every object under a new origin id: it created each one again in the register and held or
// carried out the deletion of every old one. The save now re-keys the contracts from the source
// objects they kept, in its transaction; when one cannot be re-keyed (no such field, two objects with
// the same value) it is refused at the field, naming examples, and nothing changes.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, objects, ofSchema, ofSynchronisation, runEntries, runs } from '@/server/db/schema';
import { executeEmbedded } from '@/server/runner/embedded';
import { requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { failure } from '../helpers/owner-api';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;

// Codes run the other way round from the ids (1 ↔ 12, 2 ↔ 11…): each new id is another object's old one.
const COUNT = 12;
const coded = people(COUNT).map((p) => ({ ...p, code: COUNT + 1 - p.id }));
// Staff: one without a `ref`, two in the same `team`.
const staff = people(4).map((p) => ({
  ...p,
  ref: p.id === 3 ? undefined : `R${p.id}`,
  team: p.id < 3 ? 'blue' : `t${p.id}`,
}));

// People with lines (sub-objects, whose origin ids begin with their parent's).
const withLines = people(3).map((p) => ({
  ...p,
  code: `P${p.id}`,
  lines: [1, 2].map((n) => ({ id: n, name: `Line ${n}`, email: `line${n}@example.test` })),
}));
// More contracts than one page of the re-keying (500): codes reversed, so ids move between its pages;
// `pair` gives the first and the last the same value.
const CROWD = 1100;
const crowd = people(CROWD).map((p) => ({ ...p, code: CROWD + 1 - p.id, pair: `X${p.id % (CROWD - 1)}` }));

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: coded, staff, orders: withLines, crowd });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

type Setup = Awaited<ReturnType<typeof restToRegister>>;

const liveObjects = (s: Setup) =>
  db.db
    .select({ id: objects.id })
    .from(objects)
    .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));
/** Each contract's origin id and the object it wrote, in the order they were recorded. */
const links = (s: Setup) =>
  db.db
    .select({ originId: contracts.originId, targetId: contracts.targetId, status: contracts.status })
    .from(contracts)
    .where(ofSynchronisation(s.sync.id))
    .orderBy(contracts.seq);
const save = (s: Setup, sourceConfig: Record<string, unknown>) =>
  s.api.synchronisations.update({ orgId: s.orgId, syncId: s.sync.id, ...s.input, sourceConfig });

describe('changing the id field of a synchronisation that has run', () => {
  it("re-keys its contracts, a deleted one's too, so the next run creates and deletes nothing", async () => {
    const s = await restToRegister(db.db, peer.url);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: COUNT, deleted: 0 });
    // The last person leaves the source: their contract is deleted, and keeps the object it last saw.
    await fetch(`${peer.url}/people/${COUNT}`, { method: 'DELETE' });
    // A dry run first: its log lists the deletion it would make.
    await runDirect(db.db, s.orgId, s.sync.id, { test: true });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 0, deleted: 1 });
    const before = await links(s);
    expect(before.at(-1)).toMatchObject({ originId: String(COUNT), status: 'deleted' });
    const logged = () =>
      db.db
        .select({ action: runEntries.action, originId: runEntries.originId })
        .from(runEntries)
        .innerJoin(runs, eq(runs.id, runEntries.runId))
        .where(eq(runs.synchronisationId, s.sync.id));
    expect(await logged()).toContainEqual({ action: 'delete', originId: String(COUNT) });

    await save(s, { pagination: { kind: 'link-header' }, sourceIdField: 'code' });
    const after = await links(s);
    expect(after.map((c) => c.originId)).toEqual(before.map((c) => String(COUNT + 1 - Number(c.originId))));
    // Each contract still links the object it wrote, and keeps its status.
    expect(after.map((c) => [c.targetId, c.status])).toEqual(before.map((c) => [c.targetId, c.status]));
    // The log's line about the deletion names (and links to) the contract by its new id.
    expect(await logged()).toContainEqual({ action: 'delete', originId: '1' });
    expect(await logged()).not.toContainEqual({ action: 'delete', originId: String(COUNT) });

    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', found: COUNT - 1, created: 0, deleted: 0 });
    expect(await liveObjects(s)).toHaveLength(COUNT - 1);
    expect((await links(s)).map((c) => c.status)).toEqual([...Array(COUNT - 1).fill('synced'), 'deleted']);
  });

  it('refuses an id field some kept object lacks, or shares with another, and changes nothing', async () => {
    const s = await restToRegister(db.db, peer.url, { sourceEndpoint: '/staff?_page=1&_limit=10' });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 4 });
    const before = await links(s);
    const saved = await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id });

    const missing = await failure(save(s, { pagination: { kind: 'link-header' }, sourceIdField: 'ref' }));
    expect(missing).toMatchObject({ code: 'BAD_REQUEST', field: 'sourceConfig.sourceIdField' });
    expect(missing.message).toContain(
      'Changing the id field from "id" to "ref" re-keys this synchronisation\'s 4 contracts',
    );
    expect(missing.message).toContain('the contract of "3": its source object has no "ref" field');
    expect(missing.message).toContain('create a new synchronisation with this id field');

    const shared = await failure(save(s, { pagination: { kind: 'link-header' }, sourceIdField: 'team' }));
    expect(shared.message).toContain(
      'the contract of "2": its source object would get the id "blue", as "1" would',
    );

    expect(await links(s)).toEqual(before);
    expect(await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id })).toEqual(saved);
    // And it still runs as it did.
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 0, deleted: 0 });

    // A run waiting to start would list by the old ids: a field every object has is refused until it ends.
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const waiting = await failure(save(s, { pagination: { kind: 'link-header' }, sourceIdField: 'email' }));
    expect(waiting).toMatchObject({ field: 'sourceConfig.sourceIdField' });
    expect(waiting.message).toContain('a run of it is queued or running: wait until it ends');
    expect(await links(s)).toEqual(before);
    await executeEmbedded(db.db, run.id, { urlPolicy: { allowPrivateNetworks: true } });
    await save(s, { pagination: { kind: 'link-header' }, sourceIdField: 'email' });
    expect((await links(s)).map((c) => c.originId)).toEqual(
      [1, 2, 3, 4].map((n) => `person${n}@example.test`),
    );
  });

  it("moves sub-objects under their parent's new id", async () => {
    const s = await restToRegister(db.db, peer.url, {
      sourceEndpoint: '/orders',
      sourceConfig: { subObjects: [{ path: 'lines' }] },
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 9 });
    await save(s, { subObjects: [{ path: 'lines' }], sourceIdField: 'code' });
    const rows = await db.db
      .select({ originId: contracts.originId, parent: contracts.parentOriginId })
      .from(contracts)
      .where(ofSynchronisation(s.sync.id))
      .orderBy(contracts.originId);
    expect(rows).toEqual(
      ['P1', 'P2', 'P3'].flatMap((parent) => [
        { originId: parent, parent: null },
        { originId: `${parent}/lines/1`, parent },
        { originId: `${parent}/lines/2`, parent },
      ]),
    );
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 0, deleted: 0 });
    expect(await liveObjects(s)).toHaveLength(9);

    // The lines' own id field: refused where a line lacks it, else each line's own part re-keyed.
    const lines = (idField: string) =>
      save(s, { subObjects: [{ path: 'lines', idField }], sourceIdField: 'code' });
    const refused = await failure(lines('sku'));
    expect(refused).toMatchObject({ field: 'sourceConfig.subObjects.0.idField' });
    expect(refused.message).toContain(
      'Changing the id field of the nested objects at "lines" from "id" to "sku" re-keys this synchronisation\'s 9 contracts',
    );
    expect(refused.message).toContain('the contract of "P1/lines/1": its source object has no "sku" field');
    await lines('email');
    const children = await db.db
      .select({ originId: contracts.originId })
      .from(contracts)
      .where(ofSynchronisation(s.sync.id))
      .orderBy(contracts.seq);
    expect(children.map((c) => c.originId).filter((id) => id.includes('/'))).toEqual(
      ['P1', 'P2', 'P3'].flatMap((p) => [`${p}/lines/line1@example.test`, `${p}/lines/line2@example.test`]),
    );
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 0, deleted: 0 });
    expect(await liveObjects(s)).toHaveLength(9);
  });

  it('re-keys page by page, a new id taken on another page refused by name', async () => {
    const s = await restToRegister(db.db, peer.url, { sourceEndpoint: '/crowd?_page=1&_limit=100' });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: CROWD });
    const before = await links(s);
    const shared = await failure(save(s, { pagination: { kind: 'link-header' }, sourceIdField: 'pair' }));
    expect(shared.message).toContain(
      `the contract of "${CROWD}": its source object would get the id "X1", as another contract would`,
    );
    expect(await links(s)).toEqual(before);

    await save(s, { pagination: { kind: 'link-header' }, sourceIdField: 'code' });
    expect((await links(s)).map((c) => c.originId)).toEqual(
      before.map((c) => String(CROWD + 1 - Number(c.originId))),
    );
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 0, deleted: 0 });
    expect(await liveObjects(s)).toHaveLength(CROWD);
  });

  it('renames the selected ids and the ids deletions are restricted to with their contracts', async () => {
    const settings = { pagination: { kind: 'link-header' }, selectedIds: ['1', '2'] };
    const s = await restToRegister(db.db, peer.url, { sourceConfig: settings, restrictDeletion: ['2'] });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 2 });
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      sourceConfig: { ...settings, sourceIdField: 'code' },
    });
    const saved = await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id });
    expect(saved.sourceConfig).toMatchObject({ selectedIds: ['12', '11'] });
    expect(saved.restrictDeletion).toEqual(['11']);
    expect((await links(s)).map((c) => c.originId)).toEqual(['12', '11']);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ found: 2, created: 0, deleted: 0 });
  });
});
