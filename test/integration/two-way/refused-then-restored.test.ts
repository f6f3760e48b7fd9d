// A two-way object the register refused (an edit at the source that breaks the schema) is marked
// rejected on its contract, and the Overview lists it as needing attention. When the source puts the
// object back as it was, both sides agree with the contract's base again: nothing is written, and the
// contract must say the object is in step — not stay "rejected" with the old error, listed for ever.
import { describe, expect, it } from 'vitest';
import { getOverview } from '@/server/services/overview';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();

describe('an object refused once, then put back as it was at the source', () => {
  it('is in step again: its contract is synced and nothing needs attention', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    const ada = async () => (await s.contractsOf()).find((c) => c.originId === '1')!;

    // An empty name, which the schema refuses: the register keeps Ada as she was.
    await t.patch(1, { name: '' });
    expect(await s.run()).toMatchObject({ failed: 1 });
    expect(await ada()).toMatchObject({ status: 'rejected' });

    // Put back as it was: both sides hold what the contract remembers.
    await t.patch(1, { name: 'Ada' });
    expect(await s.run()).toMatchObject({ result: 'success', failed: 0, created: 0, updated: 0 });
    expect(await ada()).toMatchObject({ status: 'synced', lastError: null });
    const needs = (await getOverview(t.db.db, s.orgId)).attention;
    expect(needs.filter((n) => n.kind === 'refused')).toEqual([]);
  });
});
