// A synchronisation's conditions are a JSON Logic rule, evaluated for every object of every run, in the
// process every organisation shares. A rule of a few kilobytes — three `some` over literal lists of 200
// inside each other — took seconds per object, holding the whole process, with no limit and no word:
// now one evaluation has a budget, as a mapping's templates have, and an object whose rule runs out of
// it is invalid with a reason naming the budget. A rule nested thousands of levels deep overflowed the
// stack when saved (an internal error); it is refused at the conditions, naming the limit.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntries } from '@/server/db/schema';
import { CONDITIONS_TIME_BUDGET_MS } from '@/server/sync/core/conditions';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { failure } from '../helpers/owner-api';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

const list = (n: number) => Array.from({ length: n }, (_, i) => i);
/** 8 million comparisons from 2 KB of rule: seconds per object without a budget. */
const SLOW_RULE = {
  some: [list(200), { some: [list(200), { some: [list(200), { '==': [{ var: '' }, -1] }] }] }],
};

let db: TestDatabase;
let peer: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(3) });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

describe('conditions bounded like templates', () => {
  it('ends an evaluation that runs out of its budget, the object invalid with the reason', async () => {
    const s = await restToRegister(db.db, peer.url, {
      sourceConfig: { pagination: { kind: 'link-header' }, conditions: SLOW_RULE },
    });
    const started = Date.now();
    const run = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run).toMatchObject({ result: 'error', found: 3, invalid: 3, created: 0 });
    const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, run.id));
    expect(entries.map((e) => [e.originId, e.action]).sort()).toEqual([
      ['1', 'invalid'],
      ['2', 'invalid'],
      ['3', 'invalid'],
    ]);
    expect(entries[0]!.reason).toBe(
      `The conditions ran out of time: a rule gets ${CONDITIONS_TIME_BUDGET_MS} ms per object ` +
        '(an operation over a long list inside another is the usual cause)',
    );
  });

  it('refuses a rule nested deeper than the limit when it is saved, at the conditions', async () => {
    let rule: unknown = { var: 'name' };
    for (let i = 0; i < 5_000; i++) rule = { '!': [rule] };
    const s = await restToRegister(db.db, peer.url);
    const refused = await failure(
      s.api.synchronisations.update({
        orgId: s.orgId,
        syncId: s.sync.id,
        ...s.input,
        sourceConfig: { pagination: { kind: 'link-header' }, conditions: rule },
      }),
    );
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'sourceConfig.conditions' });
    expect(refused.message).toBe(
      'The conditions: the rule is nested deeper than 200 levels, the most Concord reads.',
    );
  });
});
