// Redelivery against what happens meanwhile (embedded runner, json-server as the target, stopped and
// started again on its port): a newer change of the object supersedes its waiting retry (no retry run
// after it), a change made while the target was down is what arrives (never the older version), and a
// person's Run delivers what waits and clears it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import type { JsonServer } from '../helpers/json-server';
import { pushToPeer } from '../helpers/push-retry-setup';
import { countRequests } from '../helpers/push-setup';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';
// Four seconds between attempts: long enough for what the tests do meanwhile, short enough to wait for.
const DELAY = 4_000;
process.env.CONCORD_PUSH_RETRY_DELAYS_MS = String(DELAY);

let db: TestDatabase;
const peers: JsonServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.stop()));
  await db?.close();
});

async function setup() {
  const { peer, s, create, runs } = await pushToPeer(db.db, peers);
  const move = (object: { id: string; version: number }, name: string, city: string) =>
    s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: object.id,
      version: object.version,
      data: { name, email: `${name.toLowerCase()}@example.test`, city },
    });
  const people = () => (peer.read().people ?? []) as { name: string; city?: string }[];
  const failedRuns = async () => (await runs()).filter((r) => r.result === 'error').length;
  return { peer, s, create, move, runs, people, failedRuns };
}

const settled = (runs: { status: string }[]) => runs.every((r) => r.status === 'finished');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a push waiting to be tried again', { timeout: 90_000 }, () => {
  it('is superseded by a newer change of its object: that change goes out, no retry after it', async () => {
    const { peer, create, move, runs, people, failedRuns } = await setup();
    await peer.down();
    const cy = await create('Cy');
    await expect.poll(failedRuns, { timeout: 30_000 }).toBe(1);
    const failedAt = Date.now();
    await peer.up();
    await move(cy, 'Cy', 'Oslo');
    await expect.poll(() => people(), { timeout: 20_000 }).toMatchObject([{ name: 'Cy', city: 'Oslo' }]);
    // Past the time the retry was due: none came.
    await pause(Math.max(0, failedAt + DELAY + 2_000 - Date.now()));
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    expect((await runs()).map((r) => [r.trigger, r.result])).toEqual([
      ['push', 'error'],
      ['push', 'success'],
    ]);
    expect(countRequests(await peer.requests())).toEqual({ 'POST /people': 1 });
  });

  it('delivers the object as it is now: a change made while the target was down is what arrives', async () => {
    const { peer, create, move, runs, people, failedRuns } = await setup();
    await peer.down();
    const dee = await create('Dee');
    await expect.poll(failedRuns, { timeout: 30_000 }).toBe(1);
    await move(dee, 'Dee', 'Rome');
    await expect.poll(failedRuns, { timeout: 30_000 }).toBe(2);
    await peer.up();
    await expect.poll(() => people(), { timeout: 30_000 }).toMatchObject([{ name: 'Dee', city: 'Rome' }]);
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    await pause(DELAY + 1_000);
    expect((await runs()).map((r) => [r.trigger, r.result])).toEqual([
      ['push', 'error'],
      ['push', 'error'],
      ['retry', 'success'],
    ]);
    // Once, with the newer data: the older version never went out after it.
    const writes = (await peer.requests()).filter((r) => r.method !== 'GET');
    expect(writes).toMatchObject([{ method: 'POST', body: { name: 'Dee', city: 'Rome' } }]);
    expect(people()).toHaveLength(1);
  });

  it('is delivered by a person’s Run, which clears it: no retry comes after', async () => {
    const { peer, s, create, runs, people, failedRuns } = await setup();
    await peer.down();
    await create('Eve');
    await expect.poll(failedRuns, { timeout: 30_000 }).toBe(1);
    const failedAt = Date.now();
    await peer.up();
    await s.api.synchronisations.run({ orgId: s.orgId, syncId: s.push.id });
    await expect.poll(() => people().map((p) => p.name), { timeout: 20_000 }).toEqual(['Eve']);
    await pause(Math.max(0, failedAt + DELAY + 2_000 - Date.now()));
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    expect((await runs()).map((r) => r.trigger)).toEqual(['push', 'manual']);
    expect(countRequests(await peer.requests())).toEqual({ 'POST /people': 1 });
    const overview = await s.api.overview.get({ orgId: s.orgId });
    expect(overview.attention).toEqual([]);
  });
});
