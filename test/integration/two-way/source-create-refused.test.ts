// An object only in the register, added to the source by a two-way synchronisation, that the source
// refuses: the run's entry must say which object it was — its register id, as the entry's object — so a
// person can find it from the log (and find the run from the object), not a failed line naming nothing.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runEntries } from '@/server/db/schema';
import { runsTouchingObject } from '@/server/services/record-history';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();

describe('a create at the source that the source refuses', () => {
  it('names the register object in the run log, and the object finds the run', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { targetOnly: 'add-to-source' });
    await s.run();
    const dee = await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Dee', email: 'dee@example.test' },
    });
    await t.peer.faults([
      { path: '/people', method: 'POST', status: 422, body: { error: 'email domain not allowed' } },
    ]);
    const run = await s.run();
    expect(run).toMatchObject({ failed: 1 });

    const entries = await t.db.db.select().from(runEntries).where(eq(runEntries.runId, run.id));
    const failed = entries.filter((e) => e.action === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ originId: dee.id });
    expect(failed[0]!.reason).toContain('email domain not allowed');

    const found = await runsTouchingObject(t.db.db, s.orgId, dee.id);
    expect(found.runs.map((r) => r.id)).toContain(run.id);
  });
});
