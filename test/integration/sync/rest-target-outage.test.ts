// A REST target that is down (nothing listens on its port) when a run writes to it. The run ends in
// error, as it must, and the next run once the target is back writes everything. Before, its message
// read "The run stopped because of an unexpected error: The target could not be reached; … (ECONNREFUSED)..
// Run it again": an outage is what Concord expects of a target and names in words, like an SQL target's
// lost connection, so it now reads "The run stopped: …" with one full stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let A: JsonServer;
let B: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  A = await startJsonServer({ people: people(5) });
  B = await startJsonServer({ people: [] });
});
afterAll(async () => {
  await A.stop();
  await B.stop();
  await db.close();
});

describe('a REST target that is down', () => {
  it('ends the run saying so in words, and the next run writes everything once it is back', async () => {
    const s = await restToRest(db.db, A.url, B.url, {
      createEndpoint: '/people',
      updateEndpoint: '/people/{{targetId}}',
      deleteEndpoint: '/people/{{targetId}}',
    });
    await B.down();
    const down = await runThroughApi(s.api, s.orgId, s.sync.id, {}, 120_000);
    expect(down).toMatchObject({ result: 'error', created: 0 });
    expect(down.message).toMatch(
      /^The run stopped: The target could not be reached; nothing was created\. POST http:\/\/127\.0\.0\.1:\d+\/people failed after 4 attempts: the connection was refused \(ECONNREFUSED\)\. Run it again; objects already synchronised are skipped\.$/,
    );

    await B.up();
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 5 });
  });
});
