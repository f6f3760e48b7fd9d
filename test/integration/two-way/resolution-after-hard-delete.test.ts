// A hub of two REST systems, each a two-way leg of one schema with hard deletion: a record one system
// deletes is deleted for good in the register, while the other system edits it. The second leg's
// conflict (deleted in the register, changed at the source), resolved by keeping the source's version,
// brings the record back into the register as a new object — and that run must say so as a success,
// not count the record failed because the object it was deleted as is gone.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflicts, runEntries } from '@/server/db/schema';
import { executeEmbedded } from '@/server/runner/embedded';
import { loadRun } from '@/server/services/runs';
import { resolveConflict } from '@/server/services/conflict-resolution';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, runDirect } from '../helpers/sync-setup';
import { restTwoWayIn } from './setup';
import { callerFor, createOwner } from '../../factories';

let db: TestDatabase;
let a: JsonServer;
let b: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  [a, b] = await Promise.all([
    startJsonServer({ people: [{ id: 'p1', name: 'Ada', email: 'ada@example.test', city: 'Leiden' }] }),
    startJsonServer({ people: [] }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.close();
});

describe('a conflict resolved after the register deleted its object for good', () => {
  it('brings the record back as a new object, and the run counts nothing failed', async () => {
    const owner = await createOwner(db.db);
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const policies = { conflictPolicy: 'manual' as const, targetOnly: 'add-to-source' as const };
    const hard = { deleteMode: 'hard' as const, deleteThreshold: 1 };
    const legA = await restTwoWayIn(db.db, api, orgId, a.url, policies, hard, { sync: 'A ⇄ directory' });
    const sourceB = await api.sources.create({
      orgId,
      name: 'System B',
      type: 'rest',
      config: { baseUrl: b.url },
    });
    const legB = await api.synchronisations.create({
      orgId,
      name: 'B ⇄ directory',
      sourceId: sourceB.id,
      sourceEndpoint: '/people',
      mappingId: legA.mapping.id,
      targetType: 'register',
      targetRegisterId: legA.register.id,
      targetSchemaId: legA.schema.id,
      direction: 'two-way',
      twoWay: policies,
      ...hard,
    });
    const bPeople = async () =>
      (await (await fetch(`${b.url}/people`)).json()) as {
        id: string | number;
        name: string;
        city?: string;
      }[];

    // Ada comes in from A and goes out to B.
    await legA.run();
    await runDirect(db.db, orgId, legB.id);
    const [atB] = await bPeople();
    expect(atB).toMatchObject({ name: 'Ada', city: 'Leiden' });

    // A deletes Ada (the register deletes her for good); B edits her meanwhile.
    await fetch(`${a.url}/people/p1`, { method: 'DELETE' });
    await legA.run();
    expect(await legA.registerObjects()).toEqual([]);
    await fetch(`${b.url}/people/${atB!.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ city: 'Gouda' }),
    });
    const conflicted = await runDirect(db.db, orgId, legB.id);
    expect(conflicted.message).toMatch(/1 conflict waits/);
    const [conflict] = await db.db.select().from(conflicts).where(eq(conflicts.synchronisationId, legB.id));
    expect(conflict).toMatchObject({ kind: 'target-deleted', status: 'open' });

    // B's version is kept: Ada is back in the register with B's edit, and B keeps her.
    const { run: requested } = await resolveConflict(db.db, orgId, owner.user.id, {
      conflictId: conflict!.id,
      take: 'source',
    });
    await executeEmbedded(db.db, requested!.id, {
      urlPolicy: { allowPrivateNetworks: true },
      http: FAST_HTTP,
    });
    const applied = await loadRun(db.db, orgId, requested!.id);
    expect((await legA.registerObjects()).map((o) => o.data)).toEqual([
      { name: 'Ada', email: 'ada@example.test', city: 'Gouda' },
    ]);
    expect(await bPeople()).toEqual([expect.objectContaining({ name: 'Ada', city: 'Gouda' })]);
    const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, requested!.id));
    expect(entries.filter((e) => e.action === 'failed')).toEqual([]);
    expect(applied).toMatchObject({ result: 'success', failed: 0, created: 1 });
  });
});
