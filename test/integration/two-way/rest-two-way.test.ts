// Two-way between a real REST peer (json-server) and the register: every branch of the decision table,
// counted in requests the peer received and rows each side holds (deletions: rest-two-way-deletions).
import { describe, expect, it } from 'vitest';
import { executeEmbedded } from '@/server/runner/embedded';
import { resolveConflict } from '@/server/services/conflict-resolution';
import { loadRun } from '@/server/services/runs';
import { requestObjectRun } from '@/server/services/webhooks';
import { crew, restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();
const { people, patch, writes, clearRequests } = t;

describe('two-way between a REST API and the register', () => {
  it('first run copies the source into the register; an unchanged second run writes nothing on either side', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    const first = await s.run();
    expect(first.result).toBe('success');
    const objects = await s.registerObjects();
    expect(objects.map((o) => o.data).sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      { name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
      { name: 'Bob', email: 'bob@example.test', city: 'Utrecht' },
      { name: 'Cy', email: 'cy@example.test', city: 'Delft' },
    ]);
    await clearRequests();
    const before = objects.map((o) => [o.id, o.version]);
    const second = await s.run();
    expect(second).toMatchObject({ result: 'success', created: 0, updated: 0, deleted: 0 });
    expect(await writes()).toEqual({});
    expect((await s.registerObjects()).map((o) => [o.id, o.version])).toEqual(before);
    expect(await people()).toEqual(crew());
  });

  it('an edit in the register goes to the source (one PUT), an edit at the source comes to the register', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    const [ada] = (await s.registerObjects()).filter((o) => o.data.name === 'Ada');
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada!.id,
      version: ada!.version,
      data: { name: 'Ada', email: 'ada@example.test', city: 'Amsterdam' },
    });
    await patch(2, { city: 'Zwolle' });
    await clearRequests();
    const run = await s.run();
    expect(run.result).toBe('success');
    expect(await writes()).toEqual({ 'PUT /people/1': 1 });
    expect((await people()).find((p) => p.id === 1)).toEqual({
      id: 1,
      name: 'Ada',
      email: 'ada@example.test',
      city: 'Amsterdam',
    });
    const bob = (await s.registerObjects()).find((o) => o.data.name === 'Bob');
    expect(bob?.data.city).toBe('Zwolle');
    // Nothing echoes: the next run writes nothing anywhere.
    await clearRequests();
    const again = await s.run();
    expect(again).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(await writes()).toEqual({});
  });

  it('identical edits on both sides are no conflict', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    const ada = (await s.registerObjects()).find((o) => o.data.name === 'Ada')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: ada.version,
      data: { ...ada.data, city: 'Rome' },
    });
    await patch(1, { city: 'Rome' });
    await clearRequests();
    const run = await s.run();
    expect(run).toMatchObject({ result: 'success', created: 0, updated: 0 });
    expect(await s.conflictsOf()).toEqual([]);
    expect(await writes()).toEqual({});
  });

  it('both changed under manual: a conflict waits with both versions, nothing is written, and a resolution writes both sides', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { conflictPolicy: 'manual' });
    await s.run();
    const ada = (await s.registerObjects()).find((o) => o.data.name === 'Ada')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: ada.version,
      data: { ...ada.data, city: 'Paris' },
    });
    await patch(1, { city: 'Berlin', name: 'Ada L.' });
    await clearRequests();
    const run = await s.run();
    expect(run.result).toBe('warning');
    expect(run.message).toMatch(/1 conflict waits for a person/);
    expect(await writes()).toEqual({});
    const [conflict] = await s.conflictsOf();
    expect(conflict).toMatchObject({
      kind: 'both-changed',
      status: 'open',
      baseData: { name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
      sourceMapped: { name: 'Ada L.', email: 'ada@example.test', city: 'Berlin' },
      targetData: { name: 'Ada', email: 'ada@example.test', city: 'Paris' },
    });
    const contract = (await s.contractsOf()).find((c) => c.originId === '1');
    expect(contract?.status).toBe('conflict');
    // Another run while it waits: still nothing written, still one conflict.
    await s.run();
    expect(await writes()).toEqual({});
    expect(await s.conflictsOf()).toHaveLength(1);

    // A person takes the name from the source and the city from the register (the Conflicts page's
    // service; its run is the next one).
    const merged = { name: 'Ada L.', email: 'ada@example.test', city: 'Paris' };
    const chosen = await resolveConflict(t.db.db, s.orgId, s.owner.user.id, {
      conflictId: conflict!.id,
      take: 'fields',
      fields: { name: 'source', city: 'target' },
    });
    expect(chosen.resolution.merged).toEqual(merged);
    const resolved = await s.run();
    expect(resolved.result).toBe('success');
    expect((await people()).find((p) => p.id === 1)).toEqual({ id: 1, ...merged });
    expect((await s.registerObjects()).find((o) => o.id === ada.id)?.data).toEqual(merged);
    expect((await s.conflictsOf())[0]).toMatchObject({ status: 'resolved', appliedRunId: resolved.id });
    // And then it is in step.
    await clearRequests();
    expect(await s.run()).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(await writes()).toEqual({});
  });

  it('both changed under source wins / target wins: the winner is written and the loser kept on the conflict', async () => {
    for (const policy of ['source-wins', 'target-wins'] as const) {
      await t.freshPeer();
      const s = await restTwoWay(t.db.db, t.peer.url, { conflictPolicy: policy });
      await s.run();
      const ada = (await s.registerObjects()).find((o) => o.data.name === 'Ada')!;
      await s.api.registers.updateObject({
        orgId: s.orgId,
        objectId: ada.id,
        version: ada.version,
        data: { ...ada.data, city: 'Paris' },
      });
      await patch(1, { city: 'Berlin' });
      await s.run();
      const city = policy === 'source-wins' ? 'Berlin' : 'Paris';
      expect((await people()).find((p) => p.id === 1)?.city).toBe(city);
      expect((await s.registerObjects()).find((o) => o.id === ada.id)?.data.city).toBe(city);
      const [kept] = await s.conflictsOf();
      expect(kept).toMatchObject({ status: 'resolved', resolvedBy: policy });
      expect((kept!.losingData as { city: string }).city).toBe(policy === 'source-wins' ? 'Paris' : 'Berlin');
      // The contract's page lists it, with the version that lost.
      const contract = (await s.contractsOf()).find((c) => c.originId === '1')!;
      const detail = await s.api.contracts.detail({ orgId: s.orgId, contractId: contract.id });
      expect(detail.conflicts).toMatchObject([{ id: kept!.id, status: 'resolved', resolvedBy: policy }]);
    }
  });

  it('newer wins compares the updated-at values, with clocks an hour apart never deciding a one-sided change', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, {
      conflictPolicy: 'newer-wins',
      updatedAt: { source: 'updatedAt', target: 'updatedAt' },
    });
    await s.run();
    // The source's clock runs an hour ahead: its old, unchanged date is "newer" than a fresh register edit.
    await patch(1, { updatedAt: '2026-12-03T13:00:00Z' });
    await s.run();
    const ada = (await s.registerObjects()).find((o) => o.data.name === 'Ada')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: ada.version,
      data: { ...ada.data, city: 'Oslo', updatedAt: '2026-12-03T12:30:00Z' },
    });
    await s.run();
    // Only the register changed since the base: it reaches the source although its clock says earlier.
    expect((await people()).find((p) => p.id === 1)?.city).toBe('Oslo');
    // The other way round: the register's clock an hour ahead, a fresh source edit dated earlier.
    const bob = (await s.registerObjects()).find((o) => o.data.name === 'Bob')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: bob.id,
      version: bob.version,
      data: { ...bob.data, updatedAt: '2026-12-03T14:00:00Z' },
    });
    await s.run();
    await patch(2, { city: 'Zeist', updatedAt: '2026-12-03T13:10:00Z' });
    await s.run();
    expect((await s.registerObjects()).find((o) => o.id === bob.id)?.data.city).toBe('Zeist');
    expect(await s.conflictsOf()).toEqual([]);
  });

  it('objects only in the register are added to the source when the synchronisation says so', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { targetOnly: 'add-to-source' });
    await s.run();
    await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Dee', email: 'dee@example.test' },
    });
    await clearRequests();
    await s.run();
    expect(await writes()).toEqual({ 'POST /people': 1 });
    const dee = (await people()).find((p) => p.name === 'Dee');
    expect(dee).toMatchObject({ email: 'dee@example.test' });
    await clearRequests();
    expect(await s.run()).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(await writes()).toEqual({});
    expect(await people()).toHaveLength(4);
    expect(await s.registerObjects()).toHaveLength(4);
  });

  it('left alone by default, an object only in the register stays where it is', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Dee', email: 'dee@example.test' },
    });
    await clearRequests();
    await s.run();
    expect(await writes()).toEqual({});
    expect(await s.registerObjects()).toHaveLength(4);
  });

  it('the first run links records both sides already hold by the matching field, and reports duplicates instead of creating them', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { match: { source: 'email', target: 'email' } });
    await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
    });
    for (let i = 0; i < 2; i++)
      await s.api.registers.createObject({
        orgId: s.orgId,
        schemaId: s.schema.id,
        data: { name: `Bob ${i}`, email: 'bob@example.test' },
      });
    await clearRequests();
    const run = await s.run();
    expect(await writes()).toEqual({});
    const objects = await s.registerObjects();
    // Ada linked (not created again), Bob reported (two candidates), Cy created.
    expect(objects.filter((o) => o.data.email === 'ada@example.test')).toHaveLength(1);
    expect(objects.filter((o) => o.data.email === 'bob@example.test')).toHaveLength(2);
    expect(objects.filter((o) => o.data.email === 'cy@example.test')).toHaveLength(1);
    expect(run).toMatchObject({ result: 'warning', invalid: 1, created: 1 });
    const ada = (await s.contractsOf()).find((c) => c.originId === '1');
    expect(ada).toMatchObject({ status: 'synced', lastAction: 'match' });
  });

  it('the flap breaker quarantines an object written too often in its window, until a person releases it', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { flap: { writes: 3, minutes: 60 } });
    await s.run();
    // Someone keeps changing Ada at the source: three writes pass, the fourth is stopped.
    for (const city of ['A', 'B', 'C']) {
      await patch(1, { city });
      expect(await s.run()).toMatchObject({ result: 'success', updated: 1 });
    }
    await patch(1, { city: 'D' });
    const stopped = await s.run();
    expect(stopped).toMatchObject({ result: 'warning', updated: 0 });
    expect(stopped.message).toMatch(/1 quarantined by the flap breaker/);
    const ada = () => s.registerObjects().then((all) => all.find((o) => o.data.name === 'Ada'));
    expect((await ada())?.data.city).toBe('C');
    const contract = (await s.contractsOf()).find((c) => c.originId === '1')!;
    expect(contract).toMatchObject({ status: 'quarantined', lastAction: 'quarantine' });
    expect(contract.lastError).toMatch(/flap breaker/);
    // Left alone while quarantined.
    await patch(1, { city: 'E' });
    expect(await s.run()).toMatchObject({ updated: 0 });
    expect((await ada())?.data.city).toBe('C');
    // Released on its contract page: the next run writes the latest version.
    await s.api.contracts.release({ orgId: s.orgId, contractId: contract.id });
    expect(await s.run()).toMatchObject({ result: 'success', updated: 1 });
    expect((await ada())?.data.city).toBe('E');
    await expect(s.api.contracts.release({ orgId: s.orgId, contractId: contract.id })).rejects.toThrow(
      /not quarantined/,
    );
  });

  it('a webhook object is compared with the register alone: written if changed, and never taken for a deletion', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    await patch(2, { city: 'Assen' });
    const { run } = {
      run: await requestObjectRun(
        t.db.db,
        { orgId: s.orgId, id: s.sync.id },
        { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Assen' },
      ),
    };
    await executeEmbedded(t.db.db, run.id, { urlPolicy: { allowPrivateNetworks: true } });
    const done = await loadRun(t.db.db, s.orgId, run.id);
    expect(done).toMatchObject({ result: 'success', updated: 1, deleted: 0 });
    expect(done.message).toMatch(/One object was compared/);
    expect((await s.registerObjects()).find((o) => o.data.name === 'Bob')?.data.city).toBe('Assen');
    expect(await s.registerObjects()).toHaveLength(3);
  });
});
