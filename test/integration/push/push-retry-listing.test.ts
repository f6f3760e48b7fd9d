// Redelivery of what a listing left undelivered, and of retries no longer wanted (embedded runner,
// json-server as the target, answering one object 503 / 422 through its fault middleware). A person's Run
// of a register-to-REST synchronisation that leaves an object failed for a passing reason schedules its
// retry as a push does, and the retry run moves it out of the failed state (contracts list, Overview,
// its next attempt gone); an object the synchronisation unsubscribed from is let go, never sent.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, pushRetries } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import type { JsonServer } from '../helpers/json-server';
import { pushToPeer } from '../helpers/push-retry-setup';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';
// Three seconds between attempts instead of minutes: the tests wait seconds, and look at what waits first.
process.env.CONCORD_PUSH_RETRY_DELAYS_MS = '3000';

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
  const people = () => ((peer.read().people ?? []) as { name: string }[]).map((p) => p.name).sort();
  const retries = () => db.db.select().from(pushRetries).where(eq(pushRetries.synchronisationId, s.push.id));
  const overview = async () => {
    const o = await s.api.overview.get({ orgId: s.orgId });
    return { sync: o.synchronisations.find((x) => x.id === s.push.id)!, attention: o.attention };
  };
  const failedContracts = async () =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id, status: 'failed' })).rows;
  return { peer, s, create, runs, people, retries, overview, failedContracts };
}

const settled = (runs: { status: string }[]) => runs.every((r) => r.status === 'finished');

describe('what a listing left undelivered', { timeout: 90_000 }, () => {
  it('is tried again by itself after a person’s Run left it failed (503), not when refused (422)', async () => {
    const { peer, s, create, runs, people, retries, overview, failedContracts } = await setup();
    // Made while the synchronisation is off: no push goes out, the Run is what delivers them.
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: false });
    const bob = await create('Bob');
    await create('Ann');
    await create('Zed');
    await expect.poll(async () => (await db.db.select().from(outbox)).length, { timeout: 10_000 }).toBe(0);
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: true });
    await peer.faults([
      { path: '/people', method: 'POST', whenBodyHas: 'Bob', status: 503 },
      { path: '/people', method: 'POST', whenBodyHas: 'Zed', status: 422, body: { error: 'email taken' } },
    ]);

    await s.api.synchronisations.run({ orgId: s.orgId, syncId: s.push.id });
    await expect
      .poll(async () => (await runs()).map((r) => r.status), { timeout: 30_000 })
      .toEqual(['finished']);
    expect(people()).toEqual(['Ann']);
    // Bob waits for his retry, scheduled by the Run; Zed, refused, does not.
    const waiting = await retries();
    expect(waiting).toMatchObject([{ objectId: bob.id, attempts: 1, runId: (await runs())[0]!.id }]);
    expect(waiting[0]!.reason).toMatch(/503/);
    expect((await failedContracts()).map((c) => c.originId)).toEqual([bob.id]);
    const before = await overview();
    expect(before.sync).toMatchObject({
      undelivered: 1,
      refused: 1,
      nextAttemptAt: expect.any(Date) as Date,
    });
    expect(before.attention).toContainEqual(
      expect.objectContaining({ kind: 'undelivered', count: 1, nextAttemptAt: expect.any(Date) as Date }),
    );

    // The 503 passes: Bob arrives by himself, in a retry run; he is no longer failed anywhere.
    await peer.clearFaults();
    await expect.poll(people, { timeout: 30_000 }).toEqual(['Ann', 'Bob']);
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    const log = await runs();
    expect(log.map((r) => r.trigger).filter((t) => t !== 'retry')).toEqual(['manual']);
    expect(log.at(-1)).toMatchObject({ trigger: 'retry', result: 'success', created: 1 });
    expect(await retries()).toEqual([]);
    expect(await failedContracts()).toEqual([]);
    const contracts = await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id });
    expect(contracts.rows.map((c) => c.status).sort()).toEqual(['rejected', 'synced', 'synced']);
    const after = await overview();
    expect(after.sync).toMatchObject({ undelivered: 0, nextAttemptAt: null });
    expect(after.attention.map((item) => item.kind)).toEqual(['refused']);
    // Zed was sent once, by the Run: a refusal is not tried again.
    const zed = (await peer.requests()).filter((r) => JSON.stringify(r.body ?? null).includes('Zed'));
    expect(zed).toHaveLength(1);
  });

  it('moves out of the failed state once a push’s retry delivers it: contracts list and Overview', async () => {
    const { peer, create, runs, people, retries, overview, failedContracts } = await setup();
    await peer.faults([{ path: '/people', method: 'POST', whenBodyHas: 'Cat', status: 503 }]);
    await create('Cat');
    await expect.poll(async () => (await retries()).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await failedContracts()).length, { timeout: 20_000 }).toBe(1);
    expect((await overview()).sync).toMatchObject({
      undelivered: 1,
      nextAttemptAt: expect.any(Date) as Date,
    });

    await peer.clearFaults();
    await expect.poll(people, { timeout: 30_000 }).toEqual(['Cat']);
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    expect((await runs()).at(-1)).toMatchObject({ trigger: 'retry', result: 'success' });
    expect(await retries()).toEqual([]);
    expect(await failedContracts()).toEqual([]);
    const after = await overview();
    expect(after.sync).toMatchObject({
      health: { state: 'ok' },
      objects: 1,
      undelivered: 0,
      nextAttemptAt: null,
    });
    expect(after.attention).toEqual([]);
  });
});

describe('a retry of an object its synchronisation unsubscribed from', { timeout: 90_000 }, () => {
  it('is let go, by register id or by the id its data carries: never sent, no longer due', async () => {
    const { peer, s, create, runs, people, retries, overview } = await setup();
    await peer.down();
    const kim = await create('Kim', { id: 'p-7' });
    const lou = await create('Lou');
    const max = await create('Max');
    // The push fails as a whole; its retries wait (each retry run fails too while the target is down).
    await expect
      .poll(async () => (await retries()).map((r) => r.objectId).sort(), { timeout: 30_000 })
      .toEqual([kim.id, lou.id, max.id].sort());
    // Off while its list changes, so that no retry run holds them meanwhile (none is queued while off).
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: false });
    await expect.poll(async () => settled(await runs()), { timeout: 30_000 }).toBe(true);
    expect((await retries()).every((r) => r.nextAttemptAt !== null)).toBe(true);
    // Kim by the id her data carries, Lou by his register id.
    await s.api.hub.setUnsubscribe({
      orgId: s.orgId,
      syncId: s.push.id,
      unsubscribe: { paused: false, objectIds: ['p-7', lou.id], fields: [] },
    });
    await peer.up();
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: true });
    await expect.poll(people, { timeout: 30_000 }).toEqual(['Max']);
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    // Let go, not kept due: nothing of theirs is queued or sent, however long one waits.
    await expect.poll(retries, { timeout: 10_000 }).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(people()).toEqual(['Max']);
    const sent = (await peer.requests()).filter((r) => r.method !== 'GET');
    expect(sent.map((r) => (r.body as { name: string }).name)).toEqual(['Max']);
    expect((await overview()).sync.nextAttemptAt).toBeNull();
  });
});
