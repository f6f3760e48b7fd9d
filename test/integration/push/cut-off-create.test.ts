// A push from the register to a REST target (json-server, which ignores Idempotency-Key) whose create is
// written but whose connection breaks before the answer leaves. The POST is not sent again at once — a
// second copy at the target — and the run does not call it an outage ("nothing was created"): the
// object failed, may have been created, and the next run looks for it by the match field and links it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests, PEOPLE_TARGET, registerToRest } from '../helpers/push-setup';
import { runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: [] });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

type Person = { id: string | number; name: string; email: string };
const people = async () => (await (await fetch(`${peer.url}/people`)).json()) as Person[];
const writes = async () => countRequests((await peer.requests()).filter((r) => r.method !== 'GET'));

describe('a create whose answer never came, pushed to a REST target', () => {
  it('is not sent again at once, nor taken for an outage; the next run finds it by its match field', async () => {
    const s = await registerToRest(db.db, peer.url, {
      targetConfig: { ...PEOPLE_TARGET, match: { field: 'email', param: 'email' } },
    });
    const ada = await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Ada', email: 'ada@example.test' },
    });
    await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Bob', email: 'bob@example.test' },
    });
    await peer.faults([
      { path: '/people', method: 'POST', whenBodyHas: 'ada@example.test', passThrough: true, cutOff: true },
    ]);

    const first = await runThroughApi(s.api, s.orgId, s.push.id);
    // Bob went through; Ada failed, a warning — not an error saying nothing was created.
    expect(first).toMatchObject({ result: 'warning', created: 1, failed: 1 });
    const entries = (await s.api.runs.entries({ orgId: s.orgId, runId: first.id })).rows;
    const failed = entries.find((e) => e.action === 'failed');
    expect(failed).toMatchObject({ originId: ada.id });
    expect(failed?.reason).toContain('the connection closed unexpectedly');
    expect(failed?.reason).toContain('The request had been sent, so the object may have been created there.');
    expect(failed?.reason).toContain('The next run looks for it by its match field `email`');
    // One POST each: Ada's was not repeated, and the target holds her once.
    expect(await writes()).toEqual({ 'POST /people': 2 });
    expect((await people()).filter((p) => p.email === 'ada@example.test')).toHaveLength(1);

    await peer.clearFaults();
    const second = await runThroughApi(s.api, s.orgId, s.push.id);
    expect(second).toMatchObject({ result: 'success', failed: 0 });
    expect(await writes()).toEqual({ 'POST /people': 2 });
    const held = await people();
    expect(held.map((p) => p.email).sort()).toEqual(['ada@example.test', 'bob@example.test']);
    const contracts = await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id, pageSize: 10 });
    const adaAt = held.find((p) => p.email === 'ada@example.test')!;
    expect(contracts.rows.find((c) => c.originId === ada.id)).toMatchObject({
      status: 'synced',
      targetId: String(adaAt.id),
    });
  });

  it('without a match field, is looked for at its own id, and sent again under the same key when the target does not hold it', async () => {
    const s = await registerToRest(db.db, peer.url);
    const cy = await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Cy', email: 'cy@example.test' },
    });
    await peer.faults([
      {
        path: '/people',
        method: 'POST',
        whenBodyHas: 'cy@example.test',
        passThrough: true,
        cutOff: true,
        times: 1,
      },
    ]);
    const before = (await peer.requests()).length;
    const first = await runThroughApi(s.api, s.orgId, s.push.id);
    expect(first).toMatchObject({ result: 'error', created: 0, failed: 1 });
    const failed = (await s.api.runs.entries({ orgId: s.orgId, runId: first.id })).rows[0];
    expect(failed?.reason).toContain('The next run looks for it by its own id at `id`');
    // The target rolled the write back behind the cut: the next run must send it again.
    const made = (await people()).find((p) => p.email === 'cy@example.test')!;
    await fetch(`${peer.url}/people/${made.id}`, { method: 'DELETE' });

    const second = await runThroughApi(s.api, s.orgId, s.push.id);
    expect(second).toMatchObject({ result: 'success', created: 1, failed: 0 });
    const posts = (await peer.requests()).slice(before).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.idempotencyKey).toBe(posts[0]!.idempotencyKey);
    const cys = (await people()).filter((p) => p.email === 'cy@example.test');
    expect(cys).toHaveLength(1);
    const contracts = await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id, pageSize: 10 });
    expect(contracts.rows.find((c) => c.originId === cy.id)).toMatchObject({
      status: 'synced',
      targetId: String(cys[0]!.id),
    });
  });
});
