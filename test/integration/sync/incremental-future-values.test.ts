// One object whose updated-at a source wrote far in the future (a typo's year 2099, a clock set wrong, a
// "valid until" taken for a change time) must not take the cursor there: every later incremental run
// would ask for changes since 2099 and miss every real change until the next full reconciliation — a
// week of edits, say, never synchronised, with every run green. Concord keeps the cursor at the latest
// value that is not more than a day ahead of its own clock, and the run warns, naming the value.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { INCREMENTAL_BY_UPDATED_AT, people, restToRegister, runDirect } from '../helpers/sync-setup';
import { liveObjects } from '../helpers/sync-more';

const recent = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const FAR = '2099-01-01T00:00:00.000Z';

let db: TestDatabase;
let peer: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  const [ada, bob, cy] = people(3);
  peer = await startJsonServer({
    people: [
      { ...ada, updatedAt: recent(60) },
      { ...bob, updatedAt: recent(30) },
      { ...cy, updatedAt: FAR },
    ],
  });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

it('keeps the cursor out of the future, warns, and still reads the changes made after', async () => {
  const s = await restToRegister(db.db, peer.url, { sourceConfig: INCREMENTAL_BY_UPDATED_AT });
  const state = () => s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });
  const first = await runDirect(db.db, s.orgId, s.sync.id);
  expect(first).toMatchObject({ listing: 'full', created: 3, result: 'warning' });
  expect(first.message).toMatch(
    `1 object read has an updated-at more than a day ahead of Concord’s clock (${FAR}): the cursor does not go there.`,
  );
  const { cursor } = (await state())!;
  expect(Date.parse(String(cursor))).toBeLessThan(Date.now());

  // Bob changes now: the next incremental run reads him.
  await fetch(`${peer.url}/people/2`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bob, renamed', updatedAt: recent(0) }),
  });
  const next = await runDirect(db.db, s.orgId, s.sync.id);
  expect(next).toMatchObject({ listing: 'incremental', updated: 1 });
  const objects = await liveObjects(db.db, s.schema.id);
  expect(objects.map((o) => o.data['name'])).toContain('Bob, renamed');
});
