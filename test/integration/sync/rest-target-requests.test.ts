// What a REST target receives, through the API against json-server B: the target mapping turns each
// synchronised object into the request body (on create and update, with idInRequestBody on top), an
// edit of the target mapping re-sends every object, an object the target mapping cannot map fails
// alone, and soft deletion marks a vanished object deleted with the configured request instead of
// removing it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

type Row = Record<string, unknown>;

/** From the synchronised object ({ name, email, city }) to the body B's API expects. */
const BODY_MAPPING = {
  mapping: { fullName: 'name', 'contact.email': 'email', 'contact.city': 'city', kind: '=person' },
};

let db: TestDatabase;
const peers: JsonServer[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

async function setup(count: number, deletion: Parameters<typeof restToRest>[4] = {}) {
  const [A, B] = await Promise.all([
    startJsonServer({ people: people(count) }),
    startJsonServer({ people: [] }),
  ]);
  peers.push(A, B);
  const s = await restToRest(
    db.db,
    A.url,
    B.url,
    {
      createEndpoint: '/people',
      updateEndpoint: '/people/{{targetId}}',
      deleteEndpoint: '/people/{{targetId}}',
    },
    deletion,
  );
  const body = await s.api.mappings.create({ orgId: s.orgId, name: 'Person for B', config: BODY_MAPPING });
  const update = (changes: Record<string, unknown>) =>
    s.api.synchronisations.update({ orgId: s.orgId, syncId: s.sync.id, ...s.input, ...changes });
  await update({ targetMappingId: body.id });
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const inB = () => B.read()['people'] as Row[];
  const contract = async (originId: string) =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 100 })).rows.find(
      (c) => c.originId === originId,
    );
  return { A, B, s, body, update, run, inB, contract };
}

describe('the target mapping', () => {
  it('makes the body of every create and update, with the id in the body on top', async () => {
    const t = await setup(3);
    expect(await t.run()).toMatchObject({ result: 'success', created: 3, failed: 0 });
    await expect.poll(t.inB).toHaveLength(3);
    const first = await t.contract('1');
    expect(t.inB().find((r) => String(r['id']) === first?.targetId)).toEqual({
      id: Number(first?.targetId),
      fullName: 'Person 1',
      contact: { email: 'person1@example.test', city: 'Leiden' },
      kind: 'person',
    });

    await t.update({
      targetMappingId: t.body.id,
      targetConfig: {
        createEndpoint: '/people',
        updateEndpoint: '/people/{{targetId}}',
        deleteEndpoint: '/people/{{targetId}}',
        updateMethod: 'PUT',
        idInRequestBody: 'externalId',
      },
    });
    await fetch(`${t.A.url}/people/2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Person two' }),
    });
    // Editing the synchronisation re-sends every object, now with the id in the body.
    expect(await t.run()).toMatchObject({ result: 'success', updated: 3, failed: 0 });
    const second = await t.contract('2');
    await expect
      .poll(() => t.inB().find((r) => String(r['id']) === second?.targetId))
      .toEqual({
        id: Number(second?.targetId),
        fullName: 'Person two',
        contact: { email: 'person2@example.test', city: 'Utrecht' },
        kind: 'person',
        externalId: second?.targetId,
      });
  });

  it('re-sends every object after an edit of the target mapping alone', async () => {
    const t = await setup(2);
    expect(await t.run()).toMatchObject({ created: 2 });
    expect(await t.run()).toMatchObject({ skipped: 2, updated: 0 });
    await t.s.api.mappings.update({
      orgId: t.s.orgId,
      mappingId: t.body.id,
      config: { mapping: { ...BODY_MAPPING.mapping, kind: '=member' } },
    });
    expect(await t.run()).toMatchObject({ result: 'success', updated: 2, skipped: 0 });
    await expect.poll(() => t.inB().map((r) => r['kind'])).toEqual(['member', 'member']);
  });

  it('fails each object it cannot map, with the reason, and sends nothing for it', async () => {
    const t = await setup(2);
    await t.s.api.mappings.update({
      orgId: t.s.orgId,
      mappingId: t.body.id,
      config: { root: 'profile', mapping: { fullName: 'name' } },
    });
    const run = await t.run();
    // Concord refused them before writing: invalid, not refused by the target.
    expect(run).toMatchObject({ created: 0, invalid: 2, failed: 0 });
    const { rows } = await t.s.api.runs.entries({ orgId: t.s.orgId, runId: run.id });
    expect(rows[0]?.reason).toMatch(/^The target mapping could not make the object: /);
    expect(t.inB()).toEqual([]);
  });

  it('is refused for a register target, where it would do nothing', async () => {
    const t = await setup(1);
    const refused = await t
      .update({ targetType: 'register', targetMappingId: t.body.id })
      .catch((error: { message: string; cause: { field?: string } }) => error);
    expect(refused).toMatchObject({
      message: expect.stringMatching(/^A target mapping applies only to a REST API or SQL database target/),
      cause: { field: 'targetMappingId' },
    });
  });
});

describe('the target system’s own settings', () => {
  it('sends its query parameters with every write', async () => {
    const t = await setup(2);
    await t.s.api.sources.update({
      orgId: t.s.orgId,
      sourceId: t.s.target.id,
      config: { baseUrl: t.B.url, query: { tenant: 'acme' } },
    });
    expect(await t.run()).toMatchObject({ result: 'success', created: 2 });
    await fetch(`${t.A.url}/people/1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed' }),
    });
    expect(await t.run()).toMatchObject({ result: 'success', updated: 1 });
    const writes = (await t.B.requests()).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.method)).toEqual(['POST', 'POST', 'PUT']);
    expect(writes.every((r) => new URL(r.url, t.B.url).searchParams.get('tenant') === 'acme')).toBe(true);
  });
});

describe('soft deletion in a REST target', () => {
  it('marks a vanished object deleted with the configured request, and keeps it', async () => {
    const t = await setup(3, {
      deleteMode: 'soft',
      targetConfig: {
        createEndpoint: '/people',
        updateEndpoint: '/people/{{targetId}}',
        deleteEndpoint: '/people/{{targetId}}',
        softDelete: { method: 'PATCH', body: { deleted: true, deletedAt: '{{now}}' } },
      },
    });
    expect(await t.run()).toMatchObject({ created: 3 });
    await expect.poll(t.inB).toHaveLength(3);
    const gone = await t.contract('2');
    await fetch(`${t.A.url}/people/2`, { method: 'DELETE' });
    const before = Date.now();
    expect(await t.run()).toMatchObject({ result: 'success', deleted: 1, skipped: 2 });
    await expect.poll(() => t.inB().find((r) => String(r['id']) === gone?.targetId)?.['deleted']).toBe(true);
    const marked = t.inB().find((r) => String(r['id']) === gone?.targetId)!;
    expect(marked).toMatchObject({ fullName: 'Person 2', deleted: true });
    expect(Date.parse(String(marked['deletedAt']))).toBeGreaterThanOrEqual(before - 1000);
    expect(t.inB()).toHaveLength(3);
    expect(await t.contract('2')).toMatchObject({ status: 'deleted', lastAction: 'delete' });
  });

  it('sends DELETE for a hard deletion', async () => {
    const t = await setup(2, { deleteMode: 'hard' });
    expect(await t.run()).toMatchObject({ created: 2 });
    await fetch(`${t.A.url}/people/1`, { method: 'DELETE' });
    expect(await t.run()).toMatchObject({ deleted: 1 });
    await expect.poll(t.inB).toHaveLength(1);
  });
});
