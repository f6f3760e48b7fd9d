// An approval deletes what the person approved, not what is held when its run comes. A run that was
// already queued (or under way) when the person approved the 5 held deletions goes on to hold 2 more —
// people who left the source since — before the approval run executes: the approval deletes the 5, and
// the 2 wait for a decision of their own. Runs are executed one by one here, as the runner would in
// that order, so the interleaving is the one that matters rather than a timing that might not occur.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { contracts, contractsOfOrg, objects, ofSchema, ofSynchronisation } from '@/server/db/schema';
import { executeEmbedded } from '@/server/runner/embedded';
import { approveHeld, countHeld } from '@/server/services/held-deletions';
import { loadRun, requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, people, restToRegister, runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(8) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const execute = (runId: string) =>
  executeEmbedded(db.db, runId, { urlPolicy: { allowPrivateNetworks: true }, http: FAST_HTTP });
const leave = async (ids: number[]) => {
  for (const id of ids) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });
};
const liveNames = async () =>
  (
    await db.db
      .select({ data: objects.data })
      .from(objects)
      .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)))
  )
    .map((o) => String(o.data.name))
    .sort();

it('deletes the deletions approved, and holds those a run under way held after the approval', async () => {
  await runDirect(db.db, s.orgId, s.sync.id);
  await leave([1, 2, 3, 4, 5]);
  expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ held: 5, deleted: 0 });

  // The hourly run is queued; then the person approves the 5 they were shown.
  const { run: hourly } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'schedule' });
  const approval = await approveHeld(db.db, s.orgId, s.sync.id, s.owner.user.id, 5);
  // Approving twice while the first approval has not run is refused, and changes nothing.
  await expect(approveHeld(db.db, s.orgId, s.sync.id, s.owner.user.id, 5)).rejects.toMatchObject({
    code: 'CONFLICT',
    message: expect.stringContaining('already under way'),
  });

  // People 6 and 7 leave too; the hourly run (first in line) sees 7 of 8 gone and holds them all.
  await leave([6, 7]);
  await execute(hourly.id);
  expect(await loadRun(db.db, s.orgId, hourly.id)).toMatchObject({ status: 'finished', held: 7 });
  expect(await countHeld(db.db, s.orgId, s.sync.id)).toBe(7);

  // The approval deletes the 5 approved, not the 2 nobody has looked at.
  await execute(approval.id);
  const done = await loadRun(db.db, s.orgId, approval.id);
  expect(done).toMatchObject({ status: 'finished', result: 'success', deleted: 5 });
  expect(done.message).toContain('2 held since the approval wait for a decision of their own');
  expect(await liveNames()).toEqual(['Person 6', 'Person 7', 'Person 8']);
  const held = await db.db
    .select({ originId: contracts.originId, note: contracts.lastError })
    .from(contracts)
    .where(and(contractsOfOrg(s.orgId), ofSynchronisation(s.sync.id), eq(contracts.status, 'held')));
  expect(held.map((c) => c.originId).sort()).toEqual(['6', '7']);
  for (const c of held) expect(c.note).toMatch(/^Held for approval: 7 of 8 objects/);
});
