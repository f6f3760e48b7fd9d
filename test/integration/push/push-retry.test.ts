// Redelivery: a push that did not get through is tried again by itself (embedded runner). json-server is
// the target: stopped (every connection refused) and started again on the same port with its data, or
// answering one object 503 / 422 through its fault middleware. What a user sees: the peer's people, the
// run log (trigger `retry`), the contracts, and the Overview's "not delivered yet" with its next attempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import type { JsonServer } from '../helpers/json-server';
import { pushToPeer } from '../helpers/push-retry-setup';
import { countRequests } from '../helpers/push-setup';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';
// A second, then six, between attempts, instead of minutes: the tests wait seconds.
process.env.CONCORD_PUSH_RETRY_DELAYS_MS = '1000,6000';

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
  const people = () => (peer.read().people ?? []) as { name: string; city?: string }[];
  const attention = async () => (await s.api.overview.get({ orgId: s.orgId })).attention;
  return { peer, s, create, runs, people, attention };
}

const settled = (runs: { status: string }[]) => runs.every((r) => r.status === 'finished');

// A refused connection is asked four times by the HTTP client before a run fails: runs take seconds.
describe('a push the target did not take', { timeout: 90_000 }, () => {
  it('is delivered once the target is back, by itself, exactly once', async () => {
    const { peer, s, create, runs, people, attention } = await setup();
    await peer.down();
    await create('Ada');
    await create('Bob');

    // The push fails (nothing listens), and so does the first retry a second later.
    await expect
      .poll(async () => (await runs()).some((r) => r.trigger === 'retry' && r.result === 'error'), {
        timeout: 30_000,
      })
      .toBe(true);
    // The Overview says they are not delivered yet, and when they are tried again.
    const waiting = (await attention()).find((item) => item.kind === 'undelivered');
    expect(waiting).toMatchObject({ count: 2, nextRunAt: null, nextAttemptAt: expect.any(Date) as Date });

    await peer.up();
    await expect
      .poll(
        () =>
          people()
            .map((p) => p.name)
            .sort(),
        { timeout: 30_000 },
      )
      .toEqual(['Ada', 'Bob']);
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    const log = await runs();
    // Delivered by retry runs (one per push that failed, each on its own schedule), nothing else.
    const succeeded = log.filter((r) => r.result === 'success');
    expect(succeeded.map((r) => r.trigger)).toEqual(succeeded.map(() => 'retry'));
    expect(succeeded.reduce((sum, r) => sum + r.created, 0)).toBe(2);
    expect(succeeded[0]!.message).toMatch(/undelivered register changes? tried again/);
    // The retry runs name the changes they delivered (the ledger moved them from the failed runs).
    const delivered = [];
    for (const run of succeeded)
      delivered.push(...(await s.api.runs.changes({ orgId: s.orgId, runId: run.id })));
    expect(delivered.map((c) => c.outcome)).toEqual(['sent', 'sent']);

    // Delivered: nothing more is tried, however long one waits.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(countRequests(await peer.requests())).toEqual({ 'POST /people': 2 });
    expect((await runs()).length).toBe(log.length);
    const contracts = await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id });
    expect(contracts.rows.map((c) => c.status)).toEqual(['synced', 'synced']);
    expect(await attention()).toEqual([]);
    const overview = await s.api.overview.get({ orgId: s.orgId });
    expect(overview.synchronisations.find((sync) => sync.id === s.push.id)).toMatchObject({
      health: { state: 'ok' },
      objects: 2,
      undelivered: 0,
      nextAttemptAt: null,
    });
  });

  it('tries again an object the target answered 503, not one it refused with a 422', async () => {
    const { peer, s, create, runs, people, attention } = await setup();
    await peer.faults([
      { path: '/people', method: 'POST', whenBodyHas: 'Bob', status: 503 },
      { path: '/people', method: 'POST', whenBodyHas: 'Zed', status: 422, body: { error: 'email taken' } },
    ]);
    await create('Ann');
    await create('Bob');
    await create('Zed');
    await expect.poll(() => people().map((p) => p.name), { timeout: 20_000 }).toEqual(['Ann']);
    await expect
      .poll(async () => (await runs()).map((r) => r.trigger), { timeout: 20_000 })
      .toContain('retry');
    const items = await attention();
    expect(items).toContainEqual(expect.objectContaining({ kind: 'undelivered', count: 1 }));
    expect(items).toContainEqual(expect.objectContaining({ kind: 'refused', count: 1 }));

    // The 503 passes: Bob arrives by himself; Zed, refused, is not sent again until he changes.
    await peer.clearFaults();
    await expect
      .poll(
        () =>
          people()
            .map((p) => p.name)
            .sort(),
        { timeout: 20_000 },
      )
      .toEqual(['Ann', 'Bob']);
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const zed = (await peer.requests()).filter((r) => JSON.stringify(r.body ?? null).includes('Zed'));
    expect(zed).toHaveLength(1);
    expect(
      people()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Ann', 'Bob']);
    const after = await attention();
    expect(after.map((item) => item.kind)).toEqual(['refused']);
    const contracts = await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id });
    expect(contracts.rows.map((c) => c.status).sort()).toEqual(['rejected', 'synced', 'synced']);
  });

  it('is not tried while its synchronisation is disabled, and is once it is enabled again', async () => {
    const { peer, s, create, runs, people, attention } = await setup();
    await peer.down();
    await create('Cleo');
    await expect
      .poll(async () => (await runs()).map((r) => r.result), { timeout: 30_000 })
      .toEqual(['error']);
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: false });
    await peer.up();
    // Past several retry delays: nothing is tried while it is off, and the Overview does not promise it.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await runs()).toHaveLength(1);
    expect(people()).toEqual([]);
    expect((await attention()).find((item) => item.kind === 'undelivered')).toMatchObject({
      count: 1,
      nextAttemptAt: null,
    });

    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: true });
    await expect.poll(() => people().map((p) => p.name), { timeout: 20_000 }).toEqual(['Cleo']);
    await expect.poll(async () => settled(await runs()), { timeout: 20_000 }).toBe(true);
    expect((await runs()).map((r) => r.trigger)).toEqual(['push', 'retry']);
    expect(countRequests(await peer.requests())).toEqual({ 'POST /people': 1 });
    expect(await attention()).toEqual([]);
  });

  it('starts its waits afresh when the object changes meanwhile: the newer change supersedes it', async () => {
    const { peer, s, create, runs } = await setup();
    await peer.down();
    const fay = await create('Fay');
    // The push and its first retry failed: the next attempt is six seconds away.
    await expect
      .poll(async () => (await runs()).map((r) => [r.trigger, r.result]), { timeout: 30_000 })
      .toEqual([
        ['push', 'error'],
        ['retry', 'error'],
      ]);
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: fay.id,
      version: fay.version,
      data: { name: 'Fay', email: 'fay@example.test', city: 'Lima' },
    });
    // The newer change's own push fails too; its retry is its first: a second after, not six.
    await expect.poll(async () => (await runs()).length, { timeout: 30_000 }).toBe(3);
    await expect.poll(async () => settled(await runs()), { timeout: 30_000 }).toBe(true);
    const newer = (await runs()).at(-1)!;
    expect(newer).toMatchObject({ trigger: 'push', result: 'error' });
    const item = (await s.api.overview.get({ orgId: s.orgId })).attention.find(
      (a) => a.kind === 'undelivered',
    ) as { nextAttemptAt: Date } | undefined;
    expect(item?.nextAttemptAt.getTime()).toBeLessThanOrEqual(newer.finishedAt!.getTime() + 1_500);
  });
});
