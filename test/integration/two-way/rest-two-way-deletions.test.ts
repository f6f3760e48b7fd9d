// Two-way deletions between a real REST peer (json-server) and the register: both ways, against an edit
// (a conflict), a deletion a person chose while the policy forbids it, and soft deletes at the source.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runEntries, synchronisations } from '@/server/db/schema';
import { resolveConflict } from '@/server/services/conflict-resolution';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();
const { people, patch, writes, clearRequests } = t;

/** Conflicts wait for a person; deletions go both ways, hard, whatever their share; after its first run. */
async function deletingBothWays() {
  const s = await restTwoWay(
    t.db.db,
    t.peer.url,
    { conflictPolicy: 'manual' },
    { deleteThreshold: 1, deleteMode: 'hard' },
  );
  await s.run();
  return s;
}

describe('two-way deletions between a REST API and the register', () => {
  it('deletes propagate both ways; a delete against an edit is a conflict', async () => {
    const s = await deletingBothWays();
    const objects = await s.registerObjects();
    const bob = objects.find((o) => o.data.name === 'Bob')!;
    const cy = objects.find((o) => o.data.name === 'Cy')!;
    // Bob deleted in the register → deleted at the source; Ada deleted at the source → deleted in the register.
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: bob.id });
    await fetch(`${t.peer.url}/people/1`, { method: 'DELETE' });
    // Cy deleted in the register but edited at the source: a conflict, not a silent resurrection.
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: cy.id });
    await patch(3, { city: 'Gouda' });
    const run = await s.run();
    expect((await people()).map((p) => p.name)).toEqual(['Cy']);
    expect((await s.registerObjects()).map((o) => o.data.name)).toEqual([]);
    expect(run.message).toMatch(/1 conflict waits/);
    const [conflict] = await s.conflictsOf();
    expect(conflict).toMatchObject({ kind: 'target-deleted', originId: '3', targetData: null });
    // Its contract says which conflict it is, as the Conflicts page does.
    expect((await s.contractsOf()).find((c) => c.originId === '3')).toMatchObject({
      status: 'conflict',
      lastError: 'Deleted in the register and changed at the source: waits for a person in Conflicts.',
    });
    const tombs = (await s.contractsOf()).filter((c) => c.status === 'deleted').map((c) => c.originId);
    expect(tombs.sort()).toEqual(['1', '2']);
  });

  it('a deletion a person chose is refused, or held, while the synchronisation deletes nothing', async () => {
    const s = await deletingBothWays();
    // Cy deleted in the register but edited at the source: a conflict.
    const cy = (await s.registerObjects()).find((o) => o.data.name === 'Cy')!;
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: cy.id });
    await patch(3, { city: 'Gouda' });
    await s.run();
    const [conflict] = await s.conflictsOf();
    expect(conflict).toMatchObject({ kind: 'target-deleted', status: 'open' });
    const keepDeletion = { conflictId: conflict!.id, take: 'target' as const };
    const policy = (deleteMode: 'none' | 'hard') =>
      t.db.db.update(synchronisations).set({ deleteMode }).where(eq(synchronisations.id, s.sync.id));

    // Chosen while it may delete; then its policy becomes "none" before a run applies the choice.
    expect(
      (await resolveConflict(t.db.db, s.orgId, s.owner.user.id, keepDeletion)).resolution.merged,
    ).toBeNull();
    await policy('none');
    const held = await s.run();
    // Nothing deleted, nothing marked applied: the object still waits in conflict.
    expect(held).toMatchObject({ result: 'warning', message: expect.stringMatching(/1 conflict waits/) });
    expect((await people()).map((p) => p.name)).toContain('Cy');
    expect((await s.conflictsOf())[0]).toMatchObject({ status: 'resolving', appliedRunId: null });
    // Chosen now, it is refused with why.
    await expect(resolveConflict(t.db.db, s.orgId, s.owner.user.id, keepDeletion)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('deletes nothing (its deletion policy is “none”)'),
    });

    // Allowed to delete again: the next run makes the deletion the person chose.
    await policy('hard');
    const applied = await s.run();
    expect((await people()).map((p) => p.name)).not.toContain('Cy');
    expect((await s.conflictsOf())[0]).toMatchObject({ status: 'resolved', appliedRunId: applied.id });
    // The run's log says what the resolution did.
    const logged = await t.db.db.select().from(runEntries).where(eq(runEntries.runId, applied.id));
    expect(logged.map((e) => [e.originId, e.action])).toContainEqual(['3', 'delete']);
  });

  it('a soft delete at the source marks the object there, and the marked object never comes back', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, {}, { deleteMode: 'soft' });
    await s.run();
    const bob = (await s.registerObjects()).find((o) => o.data.name === 'Bob')!;
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: bob.id });
    await clearRequests();
    expect(await s.run()).toMatchObject({ result: 'success', deleted: 1 });
    expect(await writes()).toEqual({ 'PATCH /people/2': 1 });
    expect((await people()).find((p) => p.id === 2)).toMatchObject({ name: 'Bob', deleted: true });
    await clearRequests();
    expect(await s.run()).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(await writes()).toEqual({});
    expect((await s.registerObjects()).map((o) => o.data.name).sort()).toEqual(['Ada', 'Cy']);
  });
});
