// A person's Run and the retries of a register-to-REST synchronisation (embedded runner, json-server as
// the target: answering one object 503 through its fault middleware, or stopped). The retries are a minute
// away here, so none comes by itself during a test: what is seen is what each Run scheduled or cleared.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, pushRetries } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import type { JsonServer } from '../helpers/json-server';
import { pushToPeer } from '../helpers/push-retry-setup';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';
process.env.CONCORD_PUSH_RETRY_DELAYS_MS = '60000';

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
  /** A person's Run, waited for: the run as its log shows it. */
  const run = async () => {
    const before = (await runs()).length;
    await s.api.synchronisations.run({ orgId: s.orgId, syncId: s.push.id });
    await expect
      .poll(async () => (await runs()).filter((r) => r.status === 'finished').length, { timeout: 30_000 })
      .toBe(before + 1);
    return (await runs()).at(-1)!;
  };
  const people = () => ((peer.read().people ?? []) as { name: string }[]).map((p) => p.name).sort();
  const retries = () => db.db.select().from(pushRetries).where(eq(pushRetries.synchronisationId, s.push.id));
  const overview = async () =>
    (await s.api.overview.get({ orgId: s.orgId })).synchronisations.find((x) => x.id === s.push.id)!;
  return { peer, s, create, runs, run, people, retries, overview };
}

describe('a person’s Run and the retries', { timeout: 90_000 }, () => {
  it('schedules an object it left failed once, counts a second failure, and clears it once delivered', async () => {
    const { peer, s, create, runs, run, people, retries, overview } = await setup();
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: false });
    const bob = await create('Bob');
    await expect.poll(async () => (await db.db.select().from(outbox)).length, { timeout: 10_000 }).toBe(0);
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: true });
    await peer.faults([{ path: '/people', method: 'POST', whenBodyHas: 'Bob', status: 503 }]);

    const first = await run();
    expect(await retries()).toMatchObject([{ objectId: bob.id, attempts: 1, runId: first.id }]);
    // Failed again: the same retry, one attempt more (the wait grows with it), named by the later Run.
    const second = await run();
    const again = await retries();
    expect(again).toMatchObject([{ objectId: bob.id, attempts: 2, runId: second.id }]);
    expect((await overview()).nextAttemptAt).toEqual(again[0]!.nextAttemptAt);

    // A Run that delivers it clears it: no next attempt, nothing failed.
    await peer.clearFaults();
    const third = await run();
    expect(third).toMatchObject({ trigger: 'manual', created: 1 });
    expect(people()).toEqual(['Bob']);
    expect(await retries()).toEqual([]);
    expect(await overview()).toMatchObject({ undelivered: 0, nextAttemptAt: null });
    expect((await runs()).map((r) => r.trigger)).toEqual(['manual', 'manual', 'manual']);
  });

  it('that fails as a whole (the target down) schedules nothing, and leaves a waiting retry as it was', async () => {
    const { peer, s, create, runs, run, retries, overview } = await setup();
    // Dee was never pushed (made while the synchronisation was off): only a Run would deliver her.
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: false });
    const dee = await create('Dee');
    await expect.poll(async () => (await db.db.select().from(outbox)).length, { timeout: 10_000 }).toBe(0);
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: true });
    // Cy's push fails as a whole: her retry waits.
    await peer.down();
    const cy = await create('Cy');
    await expect
      .poll(async () => (await runs()).map((r) => [r.trigger, r.status]), { timeout: 30_000 })
      .toEqual([['push', 'finished']]);
    const waiting = await retries();
    expect(waiting).toMatchObject([{ objectId: cy.id, attempts: 1 }]);

    const failed = await run();
    expect(failed).toMatchObject({ trigger: 'manual', result: 'error' });
    expect(failed.message).toMatch(/could not be reached/);
    // Dee is not made a retry (the next full run compares every object anyway); Cy's waits as it was.
    expect(await retries()).toEqual(waiting);
    expect(waiting.map((r) => r.objectId)).not.toContain(dee.id);
    expect(await overview()).toMatchObject({ undelivered: 1, nextAttemptAt: waiting[0]!.nextAttemptAt });
  });
});
