// Where a listing is up to is kept at rest (each page step's memo in `run_steps`, a follow-on
// execution's resume point, which Inngest keeps in its event), and a REST peer that echoes the whole
// request URL in its next link echoes the source's API key with it. No table may hold the key in clear:
// the run is killed mid-listing, every text and blob column of every table is searched for the key (and
// so are the database file's bytes), and the resumed run still lists every page exactly once — with
// the key as the source holds it at the resume, also when it was rotated meanwhile.
import { readFileSync, existsSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { objects, ofSchema, runSteps } from '@/server/db/schema';
import { durableStep } from '@/server/runner/durable-step';
import { EmbeddedRunner } from '@/server/runner/embedded';
import { loadRun, requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { executeRun, executeToCompletion } from '@/server/sync/run/execute';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { FAST_HTTP, people, restToRegister } from '../helpers/sync-setup';
import { json, startServer, type TestServer } from '../sync/http/server';

// Characters a URL encodes (`/`, `+`, `=`): the key travels encoded in the links, raw in the settings.
const KEY = 'AKIA-9f3c/5e+7b=QxZ';
const ROTATED = 'ROT-41d2/8a+0c=WvY';
const PEOPLE = people(45);
const PAGE_SIZE = 10;
const PAGES = 5;

let db: TestDatabase;
let peer: TestServer;
/** The key the peer accepts now. */
let accepted = KEY;
const runners: EmbeddedRunner[] = [];

/**
 * Pages of 10 people at /people (Link header) and /feed (a `next` field in the body). Every next link is
 * the request's own URL with the page moved on — the key included — plus a `sig` that echoes the key in
 * a parameter whose name says nothing (the peer checks both: a next link taken back with anything but
 * the key it accepts now is refused).
 */
async function startPeer(): Promise<TestServer> {
  const server = await startServer((req, res) => {
    const url = new URL(req.url, server.origin);
    const page = Number(url.searchParams.get('_page') ?? '1');
    if (url.searchParams.get('api_key') !== accepted) return json(res, 401, { error: 'bad key' });
    if (page > 1 && url.searchParams.get('sig') !== `${accepted}.${page}`)
      return json(res, 400, { error: 'bad signature' });
    const slice = PEOPLE.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const next = new URL(url);
    next.searchParams.set('_page', String(page + 1));
    next.searchParams.set('sig', `${accepted}.${page + 1}`);
    const more = page * PAGE_SIZE < PEOPLE.length;
    if (url.pathname === '/feed') return json(res, 200, { data: slice, next: more ? next.href : null });
    json(res, 200, slice, more ? { link: `<${next.href}>; rel="next"` } : {});
  });
  return server;
}

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startPeer();
});
beforeEach(() => {
  accepted = KEY;
  peer.seen.length = 0;
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

const STRATEGIES: Record<string, Partial<SynchronisationInput>> = {
  'a Link header': {
    sourceEndpoint: `/people?_page=1&_limit=${PAGE_SIZE}`,
    sourceConfig: { pagination: { kind: 'link-header' } },
  },
  'a next field in the body': {
    sourceEndpoint: `/feed?_page=1&_limit=${PAGE_SIZE}`,
    sourceConfig: { pagination: { kind: 'next-link', path: 'next' }, resultsPosition: 'data' },
  },
};

/** A REST source whose API key is its secret query parameter `api_key`. */
async function keyedSync(sync: Partial<SynchronisationInput>) {
  const s = await restToRegister(db.db, peer.origin, sync);
  await s.api.sources.update({ orgId: s.orgId, sourceId: s.source.id, secrets: { 'query:api_key': KEY } });
  return s;
}

class Killed extends Error {}

/** The embedded runner's durable steps, its process "dying" just before the given step. */
const dyingAt = (runId: string, stepId: string): StepRunner => {
  const inner = durableStep(db.db, runId);
  return { run: (id, fn) => (id === stepId ? Promise.reject(new Killed(id)) : inner.run(id, fn)) };
};

/** Steps kept in memory, as a follow-on execution gets them (its resume point comes from the last). */
const inMemory: StepRunner = {
  run: async (_id, fn) => JSON.parse(JSON.stringify((await fn()) ?? null)) as never,
};

const OPTIONS = { urlPolicy: { allowPrivateNetworks: true }, http: FAST_HTTP };

/** Every form the key may take in a URL or a JSON text. */
const forms = (key: string) => [
  key,
  encodeURIComponent(key),
  new URLSearchParams({ k: key }).toString().slice(2),
];

/**
 * The places the database holds `key` in any of its forms: a column of a table (every text and blob
 * column of every table, read by a client of its own from the file), or the file's bytes (and its WAL's).
 */
async function whereHeld(key: string): Promise<string[]> {
  const client = createClient({ url: `file:${db.file}` });
  const found: string[] = [];
  try {
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    );
    expect(tables.rows.length).toBeGreaterThan(20);
    for (const name of tables.rows.map((row) => String(row.name as string))) {
      const rows = await client.execute(`SELECT * FROM "${name}"`);
      for (const row of rows.rows)
        for (const column of rows.columns) {
          const value = row[column];
          const text =
            typeof value === 'string'
              ? value
              : value instanceof ArrayBuffer
                ? Buffer.from(value).toString('latin1')
                : null;
          if (text !== null && forms(key).some((form) => text.includes(form)))
            found.push(`${name}.${column}`);
        }
    }
  } finally {
    client.close();
  }
  for (const file of [db.file, `${db.file}-wal`]) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    if (forms(key).some((form) => bytes.includes(Buffer.from(form)))) found.push(`the bytes of ${file}`);
  }
  return found;
}

const waitFor = async <T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> => {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const newRunner = () => {
  const runner = new EmbeddedRunner(db.db, { ...OPTIONS, pollMs: 20, tickMs: 50, log: () => {} });
  runners.push(runner);
  return runner;
};

async function expectAllSynced(s: Awaited<ReturnType<typeof keyedSync>>) {
  const stored = await db.db
    .select()
    .from(objects)
    .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));
  expect(new Set(stored.map((o) => o.data.email)).size).toBe(PEOPLE.length);
  expect(stored).toHaveLength(PEOPLE.length);
}

/** The page numbers the peer was asked for, in order. */
const pagesAsked = () => peer.seen.map((r) => Number(new URL(r.url, peer.origin).searchParams.get('_page')));

describe.each(Object.entries(STRATEGIES))('a next link (in %s) that echoes the API key', (_, sync) => {
  it('is kept at rest without the key, and a run killed mid-listing resumes from it', async () => {
    const s = await keyedSync(sync);
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    await expect(
      executeToCompletion(db.db, run.id, dyingAt(run.id, 'page-3'), OPTIONS),
    ).rejects.toBeInstanceOf(Killed);
    // The peer echoed the key in its links, and pages 1 and 2 are the run's memo, their cursor to page 3.
    expect(pagesAsked()).toEqual([1, 2]);
    const memo = await db.db.select().from(runSteps).where(eq(runSteps.runId, run.id));
    expect(memo.map((m) => m.stepId).sort()).toEqual(['page-1', 'page-2']);
    expect(JSON.stringify(memo)).toMatch(/_page=3/);
    expect(await whereHeld(KEY)).toEqual([]);

    // A runner starting again resumes it from the memo: pages 3 to 5, each asked for once.
    await newRunner().start();
    const finished = await waitFor(async () => {
      const r = await loadRun(db.db, s.orgId, run.id);
      return r.status === 'finished' && r;
    }, 'the resumed run');
    expect(finished).toMatchObject({ result: 'success', interruptions: 1, created: 45, pagesFetched: PAGES });
    expect(pagesAsked()).toEqual([1, 2, 3, 4, 5]);
    expect(peer.seen.every((r) => forms(KEY).some((form) => r.url.includes(`api_key=${form}`)))).toBe(true);
    await expectAllSynced(s);
    expect(await whereHeld(KEY)).toEqual([]);
  });

  it('resumes with the key the source holds now when it was rotated meanwhile', async () => {
    const s = await keyedSync(sync);
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    await expect(
      executeToCompletion(db.db, run.id, dyingAt(run.id, 'page-3'), OPTIONS),
    ).rejects.toBeInstanceOf(Killed);
    await s.api.sources.update({
      orgId: s.orgId,
      sourceId: s.source.id,
      secrets: { 'query:api_key': ROTATED },
    });
    accepted = ROTATED;

    await newRunner().start();
    const finished = await waitFor(async () => {
      const r = await loadRun(db.db, s.orgId, run.id);
      return r.status === 'finished' && r;
    }, 'the resumed run');
    expect(finished).toMatchObject({ result: 'success', created: 45, pagesFetched: PAGES });
    // The signature echoed the old key; the resumed pages carried the new one in its place.
    expect(pagesAsked()).toEqual([1, 2, 3, 4, 5]);
    await expectAllSynced(s);
    expect(await whereHeld(KEY)).toEqual([]);
    expect(await whereHeld(ROTATED)).toEqual([]);
  });

  it('leaves the key out of a follow-on execution’s resume point (Inngest’s continue event)', async () => {
    const s = await keyedSync(sync);
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const first = await executeRun(db.db, run.id, inMemory, { ...OPTIONS, pageBudget: 2 });
    expect(first.kind).toBe('continue');
    const resume = first.kind === 'continue' ? first.resume : undefined;
    const carried = JSON.stringify(resume);
    expect(carried).toMatch(/_page=3/);
    for (const form of forms(KEY)) expect(carried).not.toContain(form);

    const done = await executeToCompletion(db.db, run.id, inMemory, { ...OPTIONS, resume });
    expect(done).toMatchObject({ kind: 'finished', summary: { result: 'success' } });
    expect(pagesAsked()).toEqual([1, 2, 3, 4, 5]);
    await expectAllSynced(s);
    expect(await whereHeld(KEY)).toEqual([]);
  });
});
