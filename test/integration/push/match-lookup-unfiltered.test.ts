// A push whose create was written at json-server but whose answer never came (the connection cut), with
// a match field whose parameter the target does not filter by: its lookup `GET /people?_limit=1&mail=…`
// answers the first person it holds, whoever that is. Before, Concord read "the target holds none" and
// sent the create again: a second copy of the object at the target. Now an answer that lists objects
// whose match field holds another value says the target did not filter by it: the object fails, saying
// so and what to set, and is not sent again until the lookup can answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { PEOPLE_TARGET, registerToRest } from '../helpers/push-setup';
import { runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({
    people: [{ id: 1, name: 'Only at the target', email: 'own@example.test' }],
  });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

type Person = { id: string | number; name: string; email: string };
const people = async () => (await (await fetch(`${peer.url}/people`)).json()) as Person[];

describe('a match lookup the target does not filter', () => {
  it('is not taken for "none": the create is not sent a second time', async () => {
    const s = await registerToRest(db.db, peer.url, {
      targetConfig: {
        ...PEOPLE_TARGET,
        match: { field: 'email', param: 'mail', endpoint: '/people?_limit=1' },
      },
    });
    await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Ada', email: 'ada@example.test' },
    });
    await peer.faults([
      { path: '/people', method: 'POST', whenBodyHas: 'ada@example.test', passThrough: true, cutOff: true },
    ]);
    expect(await runThroughApi(s.api, s.orgId, s.push.id)).toMatchObject({ failed: 1 });
    await peer.clearFaults();
    expect((await people()).filter((p) => p.email === 'ada@example.test')).toHaveLength(1);

    const posts = async () => (await peer.requests()).filter((r) => r.method === 'POST').length;
    const before = await posts();
    const second = await runThroughApi(s.api, s.orgId, s.push.id);
    expect(await posts()).toBe(before);
    expect(second).toMatchObject({ created: 0, failed: 1 });
    expect((await people()).filter((p) => p.email === 'ada@example.test')).toHaveLength(1);
    const { rows } = await s.api.runs.entries({ orgId: s.orgId, runId: second.id });
    expect(rows[0]?.reason).toContain('does not filter by `mail`');
  });
});
