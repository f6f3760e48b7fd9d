// Nothing queued for the hub's fan-out is lost when the process dies (seed 004): register objects are
// created and edited through the API while the app runs, the app is killed (SIGKILL) while their changes
// wait in the outbox, more edits are made while it is down, and after a restart each subscriber — a push
// to one REST system (json-server) and a two-way leg with another — has received each object exactly
// once: one POST of its last version, nothing else.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { appProcess } from './app-process';
import { startJsonServer } from '../integration/helpers/json-server';

// Its own port, apart from the spec server's (E2E_PORT) and the other kill test's.
const PORT = Number(process.env.E2E_PUSH_KILL_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 100);
const OBJECTS = 20;
const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-push-kill-'));
process.env.CONCORD_DATA_DIR = dataDir;
// A long window: the changes are still waiting in the outbox when the process is killed.
const ENV = { CONCORD_PUSH_DEBOUNCE_MS: '10000' };
const concord = appProcess({ port: PORT, dataDir, env: ENV });

async function kill(app: ChildProcess) {
  const exited = new Promise((resolve) => app.once('exit', resolve));
  process.kill(-app.pid!, 'SIGKILL');
  await exited;
}

async function until<T>(probe: () => Promise<T | false | undefined>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const up = async () => (await fetch(`http://127.0.0.1:${PORT}/sign-in`)).ok;

test('changes waiting in the outbox when the process is killed are each delivered once after a restart', async () => {
  test.setTimeout(240_000);
  const { openDatabase } = await import('@/server/db/client');
  const { migrateDatabase } = await import('@/server/db/migrate');
  const { outbox, runs } = await import('@/server/db/schema');
  const { eq } = await import('drizzle-orm');
  const { countRequests, registerToRest } = await import('../integration/helpers/push-setup');

  const database = openDatabase(`file:${dataDir}/concord.db`);
  await migrateDatabase(database);
  const { db } = database;
  const peer = await startJsonServer({ people: [] });
  const other = await startJsonServer({ people: [] });
  const apps: ChildProcess[] = [];
  try {
    const s = await registerToRest(db, peer.url);
    // The second subscriber: a two-way leg with another system, which adds what only the register has.
    const otherSource = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Other API',
      type: 'rest',
      config: { baseUrl: other.url },
    });
    const shared = await s.api.mappings.create({
      orgId: s.orgId,
      name: 'Person',
      config: { mapping: { name: 'name', email: 'email' } },
    });
    const leg = await s.api.synchronisations.create({
      orgId: s.orgId,
      name: 'Other API ⇄ directory',
      sourceId: otherSource.id,
      sourceEndpoint: '/people',
      mappingId: shared.id,
      targetType: 'register',
      targetRegisterId: s.register.id,
      targetSchemaId: s.schema.id,
      direction: 'two-way',
      twoWay: { targetOnly: 'add-to-source' },
    });
    apps.push(concord.start());
    await until(up, 'the app to start', 120_000);

    // Edits through the API (this process writes the same database file the app reads).
    const made: { id: string; version: number }[] = [];
    for (let i = 1; i <= OBJECTS; i++) {
      const row = await s.api.registers.createObject({
        orgId: s.orgId,
        schemaId: s.schema.id,
        data: { name: `Person ${i}`, email: `person${i}@example.test` },
      });
      made.push({ id: row.id, version: row.version });
    }
    await kill(apps[0]!);
    expect(await db.select().from(outbox)).toHaveLength(OBJECTS);
    expect(await db.select().from(runs).where(eq(runs.synchronisationId, s.push.id))).toEqual([]);
    expect(countRequests(await peer.requests())).toEqual({});
    expect(countRequests(await other.requests())).toEqual({});

    // While the app is down, half of the objects change again.
    for (const [i, object] of made.entries()) {
      if (i % 2) continue;
      await s.api.registers.updateObject({
        orgId: s.orgId,
        objectId: object.id,
        version: object.version,
        data: { name: `Person ${i + 1} (edited)`, email: `person${i + 1}@example.test` },
      });
    }

    apps.push(concord.start());
    const delivered = await until(
      () => {
        const held = peer.read().people;
        return Promise.resolve(held?.length === OBJECTS && held);
      },
      'every object to arrive',
      120_000,
    );
    const reachedOther = await until(
      () => {
        const held = other.read().people;
        return Promise.resolve(held?.length === OBJECTS && held);
      },
      'every object to reach the two-way leg',
      120_000,
    );
    // Give a duplicate time to show up: past another debounce window and a poll.
    await until(async () => (await db.select().from(outbox)).length === 0, 'an empty outbox', 30_000);
    await new Promise((r) => setTimeout(r, 8_000));

    expect(countRequests(await peer.requests())).toEqual({ 'POST /people': OBJECTS });
    const writesToOther = (await other.requests()).filter((r) => r.method !== 'GET');
    expect(countRequests(writesToOther)).toEqual({ 'POST /people': OBJECTS });
    const names = (reachedOther as { name: string }[]).map((p) => p.name).sort();
    expect(names).toEqual(
      made.map((_, i) => (i % 2 ? `Person ${i + 1}` : `Person ${i + 1} (edited)`)).sort(),
    );
    const legRuns = await db.select().from(runs).where(eq(runs.synchronisationId, leg.id));
    expect(legRuns.every((r) => r.status === 'finished' && r.result === 'success')).toBe(true);
    const byId = new Map((delivered as { id: string; name: string }[]).map((p) => [p.id, p.name]));
    for (const [i, object] of made.entries())
      expect(byId.get(object.id)).toBe(i % 2 ? `Person ${i + 1}` : `Person ${i + 1} (edited)`);
    const pushes = await db.select().from(runs).where(eq(runs.synchronisationId, s.push.id));
    expect(pushes.every((r) => r.status === 'finished' && r.result === 'success')).toBe(true);
    expect(pushes.reduce((n, r) => n + r.created, 0)).toBe(OBJECTS);
  } catch (error) {
    concord.show();
    throw error;
  } finally {
    for (const app of apps) if (app.exitCode === null && app.signalCode === null) await kill(app);
    await Promise.all([peer.stop(), other.stop()]);
    database.client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
