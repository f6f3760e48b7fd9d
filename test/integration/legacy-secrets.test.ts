// Secrets an earlier version saved in plain text in settings (a source's config.headers/query, a
// synchronisation's own sourceConfig.headers/query) are encrypted by the start-up step
// (services/legacy-secrets.ts): the columns no longer hold them, the answers are what they were, every
// request carries what it carried before to the same place, a process that dies halfway leaves an
// organisation as it was, and a new address drops them as any secret.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sources, synchronisations } from '@/server/db/schema';
import { moveLegacySecrets } from '@/server/services/legacy-secrets';
import { loadSynchronisation } from '@/server/services/synchronisations';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { people, restToRegister, runDirect } from './helpers/sync-setup';
import { json, startServer, type Seen, type TestServer } from './sync/http/server';

const SRC_KEY = 'PLAIN-SRC-KEY-4f1e';
const SRC_TOKEN = 'PLAIN-SRC-TOKEN-8a2b';
const SYNC_SESSION = 'PLAIN-SYNC-SESSION-7c3d';
const SYNC_SIG = 'PLAIN-SYNC-SIG-1d9e';
const SYNC_TOKEN = 'PLAIN-SYNC-TOKEN-5b6c';

let db: TestDatabase;
let peer: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // Two pages: the first links to the second with every parameter it was asked with, as json-server does.
  peer = await startServer((req, res) => {
    const url = new URL(req.url, peer.origin);
    if (url.searchParams.get('_page') === '2') return json(res, 200, people(2, 3));
    url.searchParams.set('_page', '2');
    json(res, 200, people(2), { link: `<${url.href}>; rel="next"` });
  });
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

/** What a request carried that a secret could be in: every header but the connection's, every parameter. */
function carried(request: Seen) {
  const url = new URL(request.url, 'http://peer');
  const { host: _h, connection: _c, ...headers } = request.headers;
  return { path: url.pathname, headers, query: [...url.searchParams.entries()].sort() };
}

async function runAndSee(orgId: string, syncId: string, on = peer) {
  const before = on.seen.length;
  const run = await runDirect(db.db, orgId, syncId, { force: true });
  return { run, requests: on.seen.slice(before).map(carried) };
}

/** A REST source and synchronisation as an earlier version saved them: secrets in plain settings. */
async function legacySetup() {
  const s = await restToRegister(db.db, peer.origin);
  const source = (await db.db.select().from(sources).where(eq(sources.id, s.source.id)))[0]!;
  await db.db
    .update(sources)
    .set({
      config: {
        ...source.config,
        headers: { 'X-Api-Key': SRC_KEY, 'Accept-Language': 'nl' },
        query: { token: SRC_TOKEN, sort_key: 'name' },
      },
    })
    .where(eq(sources.id, s.source.id));
  const sync = await loadSynchronisation(db.db, s.orgId, s.sync.id);
  await db.db
    .update(synchronisations)
    .set({
      sourceConfig: {
        ...sync.sourceConfig,
        headers: { 'X-Session-Id': SYNC_SESSION, 'X-Trace': 'on' },
        // The synchronisation's token went over its source's.
        query: { signature: SYNC_SIG, token: SYNC_TOKEN },
      },
    })
    .where(eq(synchronisations.id, s.sync.id));
  return s;
}

/** The stored text of every column that held or now holds them. */
async function storedText(sourceId: string, syncId: string) {
  const rows = await Promise.all([
    db.client.execute({ sql: 'SELECT config, secrets_cipher FROM sources WHERE id = ?', args: [sourceId] }),
    db.client.execute({ sql: 'SELECT * FROM synchronisations WHERE id = ?', args: [syncId] }),
    db.client.execute({
      sql: 'SELECT * FROM synchronisation_secrets WHERE synchronisation_id = ?',
      args: [syncId],
    }),
  ]);
  return JSON.stringify(rows.map((r) => r.rows));
}

const PLAIN = /PLAIN-/;

describe('plain secrets an earlier version saved, moved at start', () => {
  it('leave the columns, and every request still carries what it carried, to the same place', async () => {
    const s = await legacySetup();
    const path = { orgId: s.orgId, syncId: s.sync.id };
    const answeredBefore = await s.api.synchronisations.get(path);
    const sourceBefore = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
    const before = await runAndSee(s.orgId, s.sync.id);
    expect(before.run.result).toBe('success');
    expect(before.requests).toHaveLength(2);
    expect(await storedText(s.source.id, s.sync.id)).toMatch(PLAIN);

    const moved = await moveLegacySecrets(db.db);
    expect(moved).toEqual({ organisations: 1, sources: 1, synchronisations: 1 });

    expect(await storedText(s.source.id, s.sync.id)).not.toMatch(PLAIN);
    // The source's are its secrets now (by name only); its other settings stay.
    const source = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
    expect(source.secretsSet).toEqual(['header:X-Api-Key', 'query:token']);
    expect(source.config).toMatchObject({
      headers: { 'Accept-Language': 'nl' },
      query: { sort_key: 'name' },
    });
    expect(sourceBefore.config).toMatchObject({ headers: { 'X-Api-Key': '***' } });
    // The synchronisation is answered as before, its edit time (the skip rule's) unchanged.
    const answered = await s.api.synchronisations.get(path);
    expect(answered.sourceConfig).toEqual(answeredBefore.sourceConfig);
    expect(answered.sourceConfig).toMatchObject({
      headers: { 'X-Session-Id': '***', 'X-Trace': 'on' },
      query: { signature: '***', token: '***' },
    });
    expect(answered.updatedAt).toEqual(answeredBefore.updatedAt);

    const after = await runAndSee(s.orgId, s.sync.id);
    expect(after.run.result).toBe('success');
    expect(after.requests).toEqual(before.requests);
    expect(after.requests[0]).toMatchObject({
      headers: { 'x-api-key': SRC_KEY, 'x-session-id': SYNC_SESSION, 'accept-language': 'nl' },
    });
    expect(after.requests[0]!.query).toEqual(
      expect.arrayContaining([
        ['signature', SYNC_SIG],
        ['token', SYNC_TOKEN],
      ]),
    );

    // Once moved, nothing is left to move.
    expect(await moveLegacySecrets(db.db)).toEqual({ organisations: 0, sources: 0, synchronisations: 0 });
  });

  it('keep what went over them: a secret the source held already is sent as before', async () => {
    const s = await legacySetup();
    await s.api.sources.update({
      orgId: s.orgId,
      sourceId: s.source.id,
      secrets: { 'header:x-session-id': 'GIVEN-SESSION-2e7f', 'query:token': 'GIVEN-TOKEN-3a8b' },
    });
    const before = await runAndSee(s.orgId, s.sync.id);
    expect(before.requests[0]!.headers['x-session-id']).toBe('GIVEN-SESSION-2e7f');

    await moveLegacySecrets(db.db);
    expect(await storedText(s.source.id, s.sync.id)).not.toMatch(PLAIN);
    const after = await runAndSee(s.orgId, s.sync.id);
    expect(after.requests).toEqual(before.requests);
    // The synchronisation's values never sent are gone, not kept behind a mask.
    const answered = await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id });
    expect(answered.sourceConfig).toMatchObject({
      headers: { 'X-Trace': 'on' },
      query: { signature: '***' },
    });
    expect(answered.sourceConfig).not.toMatchObject({ headers: { 'X-Session-Id': expect.anything() } });
  });

  it('are moved for a whole organisation or not at all when the process dies halfway', async () => {
    const s = await legacySetup();
    // The synchronisation's secrets cannot be written: the step fails after the source's were.
    await db.client.execute(
      "CREATE TRIGGER die_halfway BEFORE INSERT ON synchronisation_secrets BEGIN SELECT RAISE(ABORT, 'died'); END",
    );
    try {
      await expect(moveLegacySecrets(db.db)).rejects.toThrow(/insert into "synchronisation_secrets"/);
    } finally {
      await db.client.execute('DROP TRIGGER die_halfway');
    }
    const source = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
    expect(source.secretsSet).toEqual([]);
    expect(await storedText(s.source.id, s.sync.id)).toContain(SRC_KEY);

    // The next start moves it all.
    expect(await moveLegacySecrets(db.db)).toMatchObject({ sources: 1, synchronisations: 1 });
    expect(await storedText(s.source.id, s.sync.id)).not.toMatch(PLAIN);
  });

  it('are dropped with every other secret when the source moves to another address', async () => {
    const s = await legacySetup();
    await moveLegacySecrets(db.db);
    const other = await startServer((_req, res) => json(res, 200, people(2)));
    try {
      const source = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
      const changed = await s.api.sources.update({
        orgId: s.orgId,
        sourceId: s.source.id,
        config: { ...source.config, baseUrl: other.origin },
      });
      expect(changed.secretsSet).toEqual([]);
      const answered = await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id });
      expect(answered.sourceConfig).toMatchObject({ headers: { 'X-Trace': 'on' }, query: {} });
      expect(JSON.stringify(answered.sourceConfig)).not.toMatch(/\*\*\*/);

      const after = await runAndSee(s.orgId, s.sync.id, other);
      expect(after.run.result).toBe('success');
      expect(JSON.stringify(after.requests)).not.toMatch(PLAIN);
      expect(after.requests[0]!.headers['accept-language']).toBe('nl');
      expect(await storedText(s.source.id, s.sync.id)).not.toMatch(PLAIN);
    } finally {
      await other.close();
    }
  });
});
