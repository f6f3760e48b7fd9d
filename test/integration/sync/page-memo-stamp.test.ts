// A page memo's stamp (stores/page-memos.ts): a page whose contracts all said yes is not asked again
// while no contract of its synchronisation is written. Anything that could make one of them say no —
// a write by anyone to any of the synchronisation's contracts, a deletion, an edit — takes the stamp
// back, and so does the run that made it; a page asked again and found clean is stamped again.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, ofSynchronisation, synchronisations } from '@/server/db/schema';
import { hashObject } from '@/server/sync/core/canonical-json';
import { memoKey, pageDigest } from '@/server/sync/core/page-memo';
import { at, openStoreFixture, state, type StoreOrg } from '../helpers/contract-store-fixture';
import { recordStatements, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
let orgA: StoreOrg;
const statements: string[] = [];
beforeAll(async () => {
  ({ db, orgA } = await openStoreFixture());
  recordStatements(db.client, statements);
});
afterAll(() => db.close());

const KEY = memoKey(
  {
    runId: 'any',
    idField: 'id',
    settings: { conditions: null, mapping: null, hashFields: null },
    mode: { force: false, test: false },
    configChangedAt: at(10),
    mappingChangedAt: null,
    checkedAt: at(30),
  },
  null,
)!;
const things = [1, 2, 3].map((n) => ({ id: `t-${n}`, name: `Thing ${n}` }));
const editedAt = at(10);

/** A page of three objects whose contracts are clean, its memo written (and stamped) by a first run. */
async function stampedPage() {
  const s = await orgA.sync();
  const states = things.map((o) =>
    state(o.id, { originHash: hashObject(o), sourceLastChecked: at(20), lastAction: 'skip' }),
  );
  await s.store.upsert(states);
  const stamping = await s.newRun();
  const memo = {
    page: 1,
    digest: pageDigest(things)!,
    key: KEY,
    hashes: things.map((o) => hashObject(o)),
    originIds: things.map((o) => o.id),
    editedAt,
  };
  await s.store.rememberPage!({ ...memo, runId: stamping });
  /** A page check by a run (a new one unless given), and how often it asked the page's contracts. */
  const check = async (options: { runId?: string; editedAt?: Date } = {}) => {
    const runId = options.runId ?? (await s.newRun());
    statements.length = 0;
    const answer = await s.store.cleanPage!({
      runId,
      page: 1,
      originIds: memo.originIds,
      digest: memo.digest,
      key: KEY,
      editedAt: options.editedAt ?? editedAt,
      checkedAt: at(40),
    });
    const asked = statements.filter(
      (q) => q.includes('FROM page_memos') && q.includes('CROSS JOIN contracts'),
    ).length;
    return { clean: answer.clean, asked };
  };
  const setContract = (originId: string, values: Partial<typeof contracts.$inferInsert>) =>
    db.db
      .update(contracts)
      .set(values)
      .where(and(ofSynchronisation(s.syncId), eq(contracts.originId, originId)));
  return { ...s, states, memo, stamping, check, setContract };
}

describe("a page memo's stamp", () => {
  it('spares a later run the question, but not the run that made it', async () => {
    const page = await stampedPage();
    expect(await page.check()).toEqual({ clean: true, asked: 0 });
    expect(await page.check()).toEqual({ clean: true, asked: 0 });
    expect(await page.check({ runId: page.stamping })).toEqual({ clean: true, asked: 1 });
  });

  it('is taken back by a write to any contract of the synchronisation, and given again once all say yes', async () => {
    const page = await stampedPage();
    // A new contract elsewhere in the synchronisation: none of the page's changed.
    await page.store.upsert([state('elsewhere')]);
    expect(await page.check()).toEqual({ clean: true, asked: 0 });
    // That contract written again: the page's contracts are asked, found clean, stamped again.
    await page.store.upsert([state('elsewhere', { status: 'failed' })]);
    expect(await page.check()).toEqual({ clean: true, asked: 1 });
    expect(await page.check()).toEqual({ clean: true, asked: 0 });
  });

  it("is taken back by a page's contract written or deleted behind the runs' backs", async () => {
    const page = await stampedPage();
    await page.setContract('t-2', { status: 'failed', lastError: 'The target did not answer' });
    expect(await page.check()).toEqual({ clean: false, asked: 1 });
    await page.store.upsert([page.states[1]!]);
    expect(await page.check()).toEqual({ clean: true, asked: 1 });
    await page.setContract('t-1', { targetHash: null });
    expect(await page.check()).toEqual({ clean: false, asked: 1 });
    await page.store.upsert([page.states[0]!]);
    expect(await page.check()).toEqual({ clean: true, asked: 1 });
    await db.db.delete(contracts).where(and(ofSynchronisation(page.syncId), eq(contracts.originId, 't-3')));
    expect(await page.check()).toEqual({ clean: false, asked: 1 });
    expect(await page.check()).toEqual({ clean: false, asked: 1 });
  });

  it('is not taken after the synchronisation or its mapping was edited', async () => {
    const page = await stampedPage();
    // The contracts were checked at 20: an edit at 25 makes them all due.
    expect(await page.check({ editedAt: at(25) })).toEqual({ clean: false, asked: 1 });
    // An edit at 15, before they were checked: asked, clean, and stamped for that edit.
    expect(await page.check({ editedAt: at(15) })).toEqual({ clean: true, asked: 1 });
    expect(await page.check({ editedAt: at(15) })).toEqual({ clean: true, asked: 0 });
  });

  it("is not moved by another synchronisation's contracts", async () => {
    const page = await stampedPage();
    const other = await orgA.sync();
    await other.store.upsert([state('t-1'), state('t-2')]);
    await other.store.upsert([state('t-1', { status: 'failed' })]);
    await db.db.delete(contracts).where(and(ofSynchronisation(other.syncId), eq(contracts.originId, 't-2')));
    expect(await page.check()).toEqual({ clean: true, asked: 0 });
  });

  it('goes with its memo when the page is written again, and with its synchronisation', async () => {
    const page = await stampedPage();
    // The page changed: a new memo whose hashes the contracts do not hold is not stamped.
    const changed = things.map((t) => ({ ...t, name: `${t.name}!` }));
    const digest = pageDigest(changed)!;
    await page.store.rememberPage!({
      ...page.memo,
      digest,
      hashes: changed.map((o) => hashObject(o)),
      runId: await page.newRun(),
    });
    statements.length = 0;
    const runId = await page.newRun();
    const answer = await page.store.cleanPage!({
      runId,
      page: 1,
      originIds: page.memo.originIds,
      digest,
      key: KEY,
      editedAt,
      checkedAt: at(40),
    });
    expect(answer).toEqual({ memo: 'same', clean: false });
    expect(statements.filter((q) => q.includes('CROSS JOIN contracts')).length).toBe(1);
    // A synchronisation with contracts and an epoch deletes with them (no trigger stands in the way).
    await page.store.upsert([{ ...page.states[0]!, status: 'failed' }]);
    const epochs = () =>
      db.client.execute({
        sql: `SELECT count(*) AS n FROM contract_epochs
          WHERE sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
        args: [page.syncId],
      });
    expect(Number((await epochs()).rows[0]?.n)).toBe(1);
    const seq = (
      await db.db
        .select({ seq: synchronisations.seq })
        .from(synchronisations)
        .where(eq(synchronisations.id, page.syncId))
    )[0]!.seq;
    await db.db.delete(synchronisations).where(eq(synchronisations.id, page.syncId));
    const left = await db.client.execute({
      sql: `SELECT (SELECT count(*) FROM contract_epochs WHERE sync_seq = ?1)
        + (SELECT count(*) FROM contracts WHERE sync_seq = ?1) AS n`,
      args: [seq],
    });
    expect(Number(left.rows[0]?.n)).toBe(0);
  });
});
