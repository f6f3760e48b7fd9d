// A two-way object whose source version the register schema refuses is counted as the log's table says
// such an object is: invalid (refused by Concord before writing, "invalid for the register schema"), as a
// one-way pull counts it — not failed, as if the target had refused it. The run is a warning (the rest
// went through), its contract says invalid, and the Overview does not list it as refused by the target.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runEntries } from '@/server/db/schema';
import { getOverview } from '@/server/services/overview';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();

describe('a source version the register schema refuses, two-way', () => {
  it('is invalid, not failed: a warning, with its reason at the object', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    // An empty name, which the schema refuses (minLength 1); Bob changes too, and gets through.
    await t.patch(1, { name: '' });
    await t.patch(2, { city: 'Zeist' });
    const run = await s.run();
    expect(run).toMatchObject({ result: 'warning', invalid: 1, failed: 0, updated: 1 });
    expect(run.message).toContain('1 invalid');
    const entries = await t.db.db.select().from(runEntries).where(eq(runEntries.runId, run.id));
    expect(entries.find((e) => e.originId === '1')).toMatchObject({
      action: 'invalid',
      reason: expect.stringContaining('invalid for schema "Person"'),
    });
    expect((await s.contractsOf()).find((c) => c.originId === '1')).toMatchObject({ status: 'invalid' });
    const needs = (await getOverview(t.db.db, s.orgId)).attention;
    expect(needs.filter((n) => n.kind === 'refused' || n.kind === 'failing')).toEqual([]);
    // Nothing was lost: the register still holds Ada as she was.
    expect((await s.registerObjects()).find((o) => o.data.email === 'ada@example.test')?.data.name).toBe(
      'Ada',
    );
  });
});
