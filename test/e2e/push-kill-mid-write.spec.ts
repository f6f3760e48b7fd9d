// A process killed in the middle of a write, not between writes (seed 004: "a process killed mid
// fan-out delivers each change exactly once after restart"). Each REST system sits behind a proxy in
// this process that lets one POST reach it, waits for the system's answer, and then kills Concord
// (SIGKILL) before the answer gets back: the object exists at the system, and Concord never heard so.
// After a restart the resumed run must not create it again. The push leg creates people with the
// register's ids (json-server keeps the id it is given); the two-way leg's system assigns its own ids,
// and the synchronisation matches people by email. Each system ends with every person exactly once.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { appProcess } from './app-process';
import { startJsonServer } from '../integration/helpers/json-server';
import { freePort } from '../integration/helpers/peer-process';

// Its own port, apart from the spec server's (E2E_PORT) and the other kill tests'.
const PORT = Number(process.env.E2E_PUSH_MID_WRITE_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 150);
const OBJECTS = 12;
const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-mid-write-'));
process.env.CONCORD_DATA_DIR = dataDir;
const ENV = { CONCORD_PUSH_DEBOUNCE_MS: '300' };
const concord = appProcess({ port: PORT, dataDir, env: ENV });

let app: ChildProcess | null = null;

async function kill(process_: ChildProcess) {
  if (process_.exitCode !== null || process_.signalCode !== null) return;
  const exited = new Promise((resolve) => process_.once('exit', resolve));
  process.kill(-process_.pid!, 'SIGKILL');
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

/**
 * Forwards everything to `upstream`; the `killAt`-th POST is forwarded, its answer awaited, and then
 * Concord is killed and the connection dropped instead of answering. Once only.
 */
async function killingProxy(upstream: string, killAt: number) {
  let posts = 0;
  let killed: Promise<void> | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const isKiller = req.method === 'POST' && ++posts === killAt;
        const answer = await fetch(`${upstream}${req.url}`, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
        });
        const body = Buffer.from(await answer.arrayBuffer());
        if (isKiller && app) {
          // The system holds the object now; Concord dies before it is told.
          killed = kill(app);
          await killed;
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(body);
      })().catch(() => req.socket.destroy());
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    killed: () => killed,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('a process killed between a POST landing and its answer creates nothing twice after a restart', async () => {
  test.setTimeout(300_000);
  const { openDatabase } = await import('@/server/db/client');
  const { migrateDatabase } = await import('@/server/db/migrate');
  const { createIntents, outbox, runs } = await import('@/server/db/schema');
  const { eq } = await import('drizzle-orm');
  const { countRequests, registerToRest } = await import('../integration/helpers/push-setup');

  const database = openDatabase(`file:${dataDir}/concord.db`);
  await migrateDatabase(database);
  const { db } = database;
  const peer = await startJsonServer({ people: [] });
  const other = await startJsonServer({ people: [] });
  // The push leg dies at its 4th POST, the two-way leg (after the first restart) at its 5th.
  const toPeer = await killingProxy(peer.url, 4);
  const toOther = await killingProxy(other.url, 5);
  try {
    const s = await registerToRest(db, toPeer.url);
    const otherSource = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Other API',
      type: 'rest',
      config: { baseUrl: toOther.url },
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
      twoWay: { targetOnly: 'add-to-source', match: { source: 'email', target: 'email' } },
    });

    app = concord.start();
    await until(up, 'the app to start', 120_000);
    for (let i = 1; i <= OBJECTS; i++)
      await s.api.registers.createObject({
        orgId: s.orgId,
        schemaId: s.schema.id,
        data: { name: `Person ${i}`, email: `person${i}@example.test` },
      });

    // Killed mid write by one proxy, then the other (perhaps both in one life, perhaps the second while
    // the restarted process resumes its work, before it answers a page); restarted each time. Each
    // proxy kills once: a third death is not theirs.
    const dead = () => Promise.resolve(app!.exitCode !== null || app!.signalCode !== null);
    for (let deaths = 1; ; deaths++) {
      await until(dead, 'a proxy to kill Concord in the middle of a write', 120_000);
      expect(deaths, 'Concord died without a proxy killing it').toBeLessThanOrEqual(2);
      app = concord.start();
      await until(async () => (await dead()) || (await up()), 'the app to restart', 120_000);
      if (!(await dead()) && toPeer.killed() && toOther.killed()) break;
    }
    expect(toPeer.killed()).not.toBeNull();
    expect(toOther.killed()).not.toBeNull();

    const emails = (people: unknown[] | undefined) =>
      (people ?? []).map((p) => (p as { email: string }).email).sort();
    const everyone = Array.from({ length: OBJECTS }, (_, i) => `person${i + 1}@example.test`).sort();
    await until(
      () => Promise.resolve(emails(peer.read().people).length >= OBJECTS),
      'every person at the push leg',
      120_000,
    );
    await until(
      () => Promise.resolve(emails(other.read().people).length >= OBJECTS),
      'every person at the two-way leg',
      120_000,
    );
    await until(async () => (await db.select().from(outbox)).length === 0, 'an empty outbox', 60_000);
    const settled = async (syncId: string) =>
      (await db.select().from(runs).where(eq(runs.synchronisationId, syncId))).every(
        (r) => r.status === 'finished',
      );
    await until(
      async () => (await settled(s.push.id)) && (await settled(leg.id)),
      'every run to finish',
      120_000,
    );
    // Room for a duplicate to show: another debounce window and a poll.
    await new Promise((r) => setTimeout(r, 5_000));

    expect(emails(peer.read().people)).toEqual(everyone);
    expect(emails(other.read().people)).toEqual(everyone);
    // The POST that was answered to nobody was not sent again: one POST per person at each system.
    expect(countRequests(await peer.requests())).toEqual(Object.fromEntries([['POST /people', OBJECTS]]));
    const otherWrites = countRequests((await other.requests()).filter((r) => r.method === 'POST'));
    expect(otherWrites).toEqual({ 'POST /people': OBJECTS });
    // And it was not luck: the object whose answer was lost was asked for, at each system.
    const asked = (requests: { method: string; url: string }[], pattern: RegExp) =>
      requests.some((r) => r.method === 'GET' && pattern.test(r.url));
    expect(asked(await peer.requests(), /^\/people\/obj_/)).toBe(true);
    expect(asked(await other.requests(), /^\/people\?email=/)).toBe(true);
    // Every create is settled: the write-ahead rows went with the runs that wrote the contracts.
    expect(await db.select().from(createIntents)).toEqual([]);
  } catch (error) {
    concord.show();
    throw error;
  } finally {
    if (app) await kill(app);
    await Promise.all([toPeer.stop(), toOther.stop()]);
    await Promise.all([peer.stop(), other.stop()]);
    database.client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
