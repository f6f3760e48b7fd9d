// A push whose target is down: every push of a new object fails. A later push with nothing to send —
// the deletion of an object that never reached the target — ends as a success; the Overview must still
// call the synchronisation failing (since its first failed push), not healthy.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, runs } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { registerToRest } from '../helpers/push-setup';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await db?.close();
});

const pushRuns = (syncId: string) =>
  db.db.select().from(runs).where(eq(runs.synchronisationId, syncId)).orderBy(runs.createdAt);

async function settledRuns(syncId: string, count: number) {
  await expect.poll(async () => (await db.db.select().from(outbox)).length, { timeout: 20_000 }).toBe(0);
  await expect
    .poll(
      async () => {
        const all = await pushRuns(syncId);
        return all.length >= count && all.every((r) => r.status === 'finished');
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return pushRuns(syncId);
}

describe('a push target that took nothing', () => {
  it('stays failing on the Overview after a push with nothing to send', async () => {
    // Nothing listens on port 9 here: every write is refused a connection.
    const s = await registerToRest(db.db, 'http://127.0.0.1:9');
    const create = (name: string) =>
      s.api.registers.createObject({
        orgId: s.orgId,
        schemaId: s.schema.id,
        data: { name, email: `${name.toLowerCase()}@example.test` },
      });
    await create('Ada');
    const first = await settledRuns(s.push.id, 1);
    expect(first.at(-1)).toMatchObject({ result: 'error' });

    const bob = await create('Bob');
    await settledRuns(s.push.id, 2);
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: bob.id });
    const after = await settledRuns(s.push.id, 3);
    // Bob never reached the target, so his deletion had nothing to send: that push succeeded.
    expect(after.at(-1)).toMatchObject({ result: 'success' });

    // On the Overview the push is still failing, since its first failed push, with that run's reason.
    const overview = await s.api.overview.get({ orgId: s.orgId });
    const health = overview.synchronisations.find((sync) => sync.id === s.push.id);
    expect(health).toMatchObject({
      health: { state: 'failing', since: first.at(-1)!.finishedAt },
      lastRun: { id: after[1]!.id, result: 'error' },
      objects: 0,
    });
    expect(overview.attention).toContainEqual(
      expect.objectContaining({ kind: 'failing', syncId: s.push.id, runId: after[1]!.id }),
    );
  });

  it('lists objects whose write failed as not delivered yet, after later pushes went through', async () => {
    // A target that takes everyone but Bob, whose POST it answers 503 every time.
    const taken: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const person = JSON.parse(body || '{}') as { name?: string };
        if (person.name === 'Bob') {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
          return;
        }
        taken.push(person.name ?? '');
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ...person, id: taken.length }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const s = await registerToRest(db.db, `http://127.0.0.1:${port}`);
      const create = (name: string) =>
        s.api.registers.createObject({
          orgId: s.orgId,
          schemaId: s.schema.id,
          data: { name, email: `${name.toLowerCase()}@example.test` },
        });
      await create('Ann');
      await settledRuns(s.push.id, 1);
      await create('Bob');
      await settledRuns(s.push.id, 2);
      await create('Cy');
      const all = await settledRuns(s.push.id, 3);
      expect(taken).toEqual(['Ann', 'Cy']);
      expect(all.at(-1)).toMatchObject({ result: 'success', created: 1 });

      const overview = await s.api.overview.get({ orgId: s.orgId });
      const health = overview.synchronisations.find((sync) => sync.id === s.push.id);
      expect(health).toMatchObject({ health: { state: 'warning' }, objects: 2, undelivered: 1 });
      expect(overview.attention).toContainEqual({
        kind: 'undelivered',
        syncId: s.push.id,
        syncName: s.push.name,
        count: 1,
        nextRunAt: null,
        // A push synchronisation has no schedule, but a 503 is tried again by itself: first after a minute.
        nextAttemptAt: expect.any(Date) as Date,
      });
      const item = overview.attention.find((a) => a.kind === 'undelivered');
      const wait = (item as { nextAttemptAt: Date }).nextAttemptAt.getTime() - Date.now();
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60_000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
