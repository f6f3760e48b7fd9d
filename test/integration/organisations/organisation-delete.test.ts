// Deleting an organisation (organisation.delete): only an owner, only with its name typed, and then
// nothing of it is left in any table — while another organisation, and the owner's other organisation,
// keep every row. A run under way stops, its API keys answer 401 and its invitation links are unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { callerFor, createOwner } from '../../factories';
import { raw, useDatabase as pointApiAt } from '../api-v1/client';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { failure } from '../helpers/owner-api';
import { uploadVersion } from '../helpers/sync-more';
import { people, restToRegister, restToRegisterIn, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;

/** Every table's row count. */
async function tableCounts(): Promise<Record<string, number>> {
  const tables = await db.client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const counts: Record<string, number> = {};
  for (const row of tables.rows) {
    const name = row.name as string;
    const n = await db.client.execute(`SELECT count(*) AS n FROM "${name}"`);
    counts[name] = Number(n.rows[0]?.n);
  }
  return counts;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db);
  // Slow pages, so that a run is still reading when the organisation goes.
  peer = await startJsonServer({ people: people(100) }, ['--delay', '150']);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

describe('deleting an organisation', () => {
  it('takes everything of it and nothing of anyone else, stops its run and shuts its keys and links', async () => {
    // Another company's organisation, synchronised, and the owner's first organisation.
    const other = await restToRegister(db.db, peer.url);
    expect(await runThroughApi(other.api, other.orgId, other.sync.id)).toMatchObject({ created: 100 });
    const owner = await createOwner(db.db);
    const api = callerFor(db.db, owner.user);
    const admin = callerFor(db.db, (await createOwner(db.db)).user);
    const before = await tableCounts();

    // The owner's second organisation, with a bit of everything.
    const { orgId } = await api.account.createOrganisation({ name: 'Stray test org' });
    const { sync, schema } = await restToRegisterIn(api, orgId, peer.url, { scheduleCron: '*/5 * * * *' });
    await api.notifications.createEndpoint({ orgId, url: `${peer.url}/hooks`, events: ['run.failed'] });
    await peer.faults([{ path: '/people', status: 500 }]);
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'error' });
    await peer.clearFaults();
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ created: 100 });
    const [told] = await api.notifications.list({ orgId });
    await api.notifications.markRead({ orgId, ids: [told!.id] });
    await api.registers.createObject({
      orgId,
      schemaId: schema.id,
      data: { name: 'Hand made', email: 'h@example.test' },
    });
    const file = await api.sources.create({
      orgId,
      name: 'Uploaded',
      type: 'file',
      config: { format: 'csv' },
    });
    await uploadVersion(db.db, { orgId, source: file, owner }, 'id,name\n1,Ada\n2,Grace\n');
    const { key } = await api.apiKeys.create({ orgId, name: 'ci', scopes: ['admin'] });
    expect((await raw('GET', '/registers', { key })).status).toBe(200);
    const { token } = await api.members.invite({ orgId, role: 'editor' });
    await admin.account.acceptInvitation({
      token: (await api.members.invite({ orgId, role: 'admin' })).token,
    });

    // A run under way: it has read its first page of ten.
    const { runId } = await api.synchronisations.run({ orgId, syncId: sync.id, test: false, force: true });
    for (;;) {
      const run = await api.runs.get({ orgId, runId });
      if (run.status === 'running' && run.pagesFetched >= 1) break;
      expect(run.status).not.toBe('finished');
      await new Promise((r) => setTimeout(r, 20));
    }

    // An admin may not, the owner only with the name exactly as it is.
    expect(await failure(admin.organisation.delete({ orgId, confirm: 'Stray test org' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    for (const confirm of ['', 'stray test org', 'stray-test-org', 'Stray test'])
      expect(await failure(api.organisation.delete({ orgId, confirm }))).toMatchObject({
        code: 'BAD_REQUEST',
        field: 'confirm',
        message: "Type the organisation's name, Stray test org, exactly as it is written to delete it.",
      });
    expect(await api.organisation.get({ orgId })).toMatchObject({ name: 'Stray test org' });

    await api.organisation.delete({ orgId, confirm: 'Stray test org' });
    await embeddedRunnerFor(db.db).idle();

    // The run stopped: the listing never reached its last page.
    const asked = (await peer.requests()).map((r) => r.url);
    expect(asked.filter((url) => url.includes('_page=10')).length).toBe(2); // both organisations' full runs
    expect(await tableCounts()).toEqual(before);
    expect((await raw('GET', '/registers', { key })).status).toBe(401);
    expect(await api.account.invitation({ token })).toBeNull();
    expect(await failure(admin.account.acceptInvitation({ token }))).toEqual(
      await failure(admin.account.acceptInvitation({ token: 'inv_never_given' })),
    );
    expect(await failure(api.organisation.get({ orgId }))).toMatchObject({ code: 'NOT_FOUND' });
    // The owner's other organisation and the admin's own one go on.
    expect(await api.organisation.get({ orgId: owner.org.id })).toMatchObject({ role: 'owner' });
    expect((await admin.account.me()).organisations).toHaveLength(1);
    // The other company's next run finds every object as it left it.
    expect(await runThroughApi(other.api, other.orgId, other.sync.id)).toMatchObject({
      result: 'success',
      skipped: 100,
    });
  });
});
