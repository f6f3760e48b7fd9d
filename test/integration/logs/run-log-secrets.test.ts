// A run's log never shows a source's secret, whatever its name: a secret query parameter whose name does
// not look sensitive (`sig2`) is masked by its value when a peer echoes it in its next link and the next
// page fails — in the run's message, its timeline and its entries, as a person reads them. So is a
// synchronisation's own secret (a `pwd` an earlier version saved in its settings: a secret's name for the
// settings, not for the log's name masking).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synchronisations } from '@/server/db/schema';
import { moveLegacySecrets } from '@/server/services/legacy-secrets';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';
import { json, startServer, type TestServer } from '../sync/http/server';

const SIG = 'SIG2-VALUE-4d7e9a';
const SYNC_PWD = 'PWD-VALUE-8b1c3f';

let db: TestDatabase;
let peer: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // Page 1 links to page 2 with every parameter it was asked with (the secret too); page 2 fails and
  // says which address it was asked at.
  peer = await startServer((req, res) => {
    const url = new URL(req.url, peer.origin);
    if (url.searchParams.get('_page') === '2')
      return json(res, 502, { error: `upstream failed for ${url.href}` });
    url.searchParams.set('_page', '2');
    json(res, 200, people(2), { link: `<${url.href}>; rel="next"` });
  });
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

describe('the run log of a source with a secret query parameter', () => {
  it('masks its value wherever the request URL or failure is recorded', async () => {
    const s = await restToRegister(db.db, peer.origin);
    await s.api.sources.update({ orgId: s.orgId, sourceId: s.source.id, secrets: { 'query:sig2': SIG } });
    const run = await runDirect(db.db, s.orgId, s.sync.id, { force: true });
    // The peer was asked with it, and echoed it.
    expect(peer.seen.map((r) => r.url).join(' ')).toContain(SIG);
    expect(run.result).toBe('error');

    await expectMasked(s.api, s.orgId, run.id, 'sig2', SIG);
  });

  it('masks a synchronisation’s own secret the same way', async () => {
    const s = await restToRegister(db.db, peer.origin);
    await db.db
      .update(synchronisations)
      .set({ sourceConfig: { ...s.sync.sourceConfig, query: { pwd: SYNC_PWD } } })
      .where(eq(synchronisations.id, s.sync.id));
    await moveLegacySecrets(db.db);
    const run = await runDirect(db.db, s.orgId, s.sync.id, { force: true });
    expect(peer.seen.map((r) => r.url).join(' ')).toContain(`pwd=${SYNC_PWD}`);
    await expectMasked(s.api, s.orgId, run.id, 'pwd', SYNC_PWD);
  });
});

type Api = Awaited<ReturnType<typeof restToRegister>>['api'];

/** What a person reads of the run: its message, timeline, entries and their groups. */
async function expectMasked(api: Api, orgId: string, runId: string, name: string, secret: string) {
  const path = { orgId, runId };
  const log = [
    await api.runs.get(path),
    await api.runs.timeline({ ...path, pageSize: 100 }),
    await api.runs.entries({ ...path, pageSize: 100 }),
    await api.runs.entryGroups(path),
  ];
  const text = JSON.stringify(log);
  expect(text).toMatch(/Page 2 could not be fetched/);
  expect(text).toContain(`${name}=***`);
  expect(text).not.toContain(secret);
}
