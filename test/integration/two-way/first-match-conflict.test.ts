// A first run that pairs an object both systems already hold (by the match field) with different values:
// there is no base, so the conflict must not read as "both sides changed" with every base value
// missing. Through the API as the conflict page reads it: the run's entry, the contract, the queue and
// the conflict say the two systems hold different values for an object never synchronised; the id field
// is marked a key, never a field to pick, and a per-field resolution keeps the register's id.
import { describe, expect, it } from 'vitest';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();

describe('a conflict found on the first match', () => {
  it('says the two systems differ on an object never synchronised, and keeps the id field out of the picks', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, {
      conflictPolicy: 'manual',
      match: { source: 'email', target: 'email' },
    });
    // Both sides carry their own id: the source's through the mapping, the register's in its data.
    await s.api.mappings.update({
      orgId: s.orgId,
      mappingId: s.mapping.id,
      config: { mapping: { id: 'id', name: 'name', email: 'email', city: 'city' } },
    });
    await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { id: 'dir-ada', name: 'Ada', email: 'ada@example.test', city: 'Haarlem' },
    });

    const run = await s.run();
    expect(run.message).toContain('1 conflict waits for a person');
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: run.id });
    const entry = entries.find((e) => e.originId === '1');
    expect(entry).toMatchObject({ action: 'conflict' });
    expect(entry?.reason).toBe(
      'Conflict: found on both sides with different values before Concord had ever synchronised it, so no earlier version tells which is right. It waits in Conflicts.',
    );
    const contract = (await s.contractsOf()).find((c) => c.originId === '1');
    expect(contract?.lastError).toBe(
      'Found on both sides with different values before it was ever synchronised: waits for a person in Conflicts.',
    );

    const queue = await s.api.conflicts.list({ orgId: s.orgId });
    expect(queue.rows).toEqual([expect.objectContaining({ originId: '1', firstMatch: true })]);
    const conflict = await s.api.conflicts.get({ orgId: s.orgId, conflictId: queue.rows[0]!.id });
    expect(conflict.firstMatch).toBe(true);
    expect(conflict.conflict.baseData).toBeNull();
    // The contract's page lists it as such too.
    const detail = await s.api.contracts.detail({ orgId: s.orgId, contractId: contract!.id });
    expect(detail.conflicts).toEqual([expect.objectContaining({ kind: 'both-changed', firstMatch: true })]);
    const byPath = new Map(conflict.rows.map((r) => [r.path, r]));
    expect(byPath.get('city')).toMatchObject({
      source: 'Leiden',
      target: 'Haarlem',
      conflicting: true,
      key: false,
    });
    expect(byPath.get('name')).toMatchObject({ conflicting: false, key: false });
    // Each system's own id: marked, never a conflict to pick.
    expect(byPath.get('id')).toMatchObject({ source: 1, target: 'dir-ada', conflicting: false, key: true });

    // Disabled: the resolution is saved, and no run writes it while this test looks at it.
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.sync.id, enabled: false });
    const resolve = (fields: Record<string, 'source' | 'target'>) =>
      s.api.conflicts.resolve({ orgId: s.orgId, conflictId: conflict.conflict.id, take: 'fields', fields });
    await expect(resolve({})).rejects.toThrow(
      'The two systems hold different values for “city”: pick the source or the target for it.',
    );
    const resolved = await resolve({ city: 'source' });
    expect(resolved.merged).toEqual({
      id: 'dir-ada',
      name: 'Ada',
      email: 'ada@example.test',
      city: 'Leiden',
    });
  });

  it('a conflict after a synchronisation still reads "both sides changed"', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { conflictPolicy: 'manual' });
    await s.run();
    const [ada] = (await s.registerObjects()).filter((o) => o.data.name === 'Ada');
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada!.id,
      version: ada!.version,
      data: { ...ada!.data, city: 'Haarlem' },
    });
    await t.patch(1, { city: 'Assen' });
    const run = await s.run();
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: run.id });
    expect(entries.find((e) => e.originId === '1')?.reason).toBe(
      'Conflict: changed on both sides into different versions. It waits in Conflicts.',
    );
    const queue = await s.api.conflicts.list({ orgId: s.orgId });
    const conflict = await s.api.conflicts.get({ orgId: s.orgId, conflictId: queue.rows[0]!.id });
    expect(conflict.firstMatch).toBe(false);
    expect(conflict.rows.find((r) => r.path === 'city')).toMatchObject({ base: 'Leiden', conflicting: true });
    const contract = (await s.contractsOf()).find((c) => c.originId === '1');
    const detail = await s.api.contracts.detail({ orgId: s.orgId, contractId: contract!.id });
    expect(detail.conflicts).toEqual([expect.objectContaining({ kind: 'both-changed', firstMatch: false })]);
  });
});
