// The lookup's skip check (stores/contract-store.ts, core/run-page.ts): on a page its memo could not
// decide, the run hashes the objects first and the lookup returns in full only the contracts that would
// not skip their objects with nothing to write, naming the others. Held to the engine itself for every
// combination of what the skip rule reads (a contract called clean that the engine would write is a lost
// update; the other way round only costs a contract read), and in real runs: what they count and write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashObject } from '@/server/sync/core/canonical-json';
import { openStoreFixture, state, at, type StoreOrg } from '../helpers/contract-store-fixture';
import { recordStatements, type TestDatabase } from '../helpers/database';
import { startFastSource, type FastSource } from '../helpers/fast-source';
import { checkedAt, editedAtOf, engineSkips, skipRuleCases } from '../helpers/skip-rule-cases';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let orgA: StoreOrg;
let orgB: StoreOrg;
// Every statement the database is sent, as its text.
const statements: string[] = [];
beforeAll(async () => {
  ({ db, orgA, orgB } = await openStoreFixture());
  recordStatements(db.client, statements);
});
afterAll(() => db.close());

const skipCheck = (hashes: (string | null)[], mapping: Date | null = null) => ({
  hashes,
  editedAt: editedAtOf(mapping),
  checkedAt,
});

describe("the lookup's skip check", () => {
  it('calls clean exactly the contracts the engine skips with nothing to write, for every combination', async () => {
    const { store, newRun } = await orgA.sync();
    const runId = await newRun();
    // Every last action a contract may hold that the rule reads differently: written by a run (create,
    // update, rewrite), or not (skip, filter, reject), or none recorded.
    const cases = skipRuleCases(['create', 'update', 'rewrite', 'skip', 'filter', 'reject', null]);
    await store.upsert(cases.map((c) => c.contract));

    let clean = 0;
    const disagreements: string[] = [];
    for (const [i, { object, contract, mapping }] of cases.entries()) {
      const page = i + 1;
      const originIds = [contract.originId];
      const whole = await store.lookup({ runId, page, originIds });
      const engine = engineSkips(object, whole.contracts, { mapping });
      const checked = await store.lookup({
        runId,
        page,
        originIds,
        skipCheck: skipCheck([hashObject(object)], mapping),
      });
      const isClean = checked.clean?.includes(contract.originId) === true;
      if (isClean) clean++;
      if (isClean !== engine)
        disagreements.push(`${JSON.stringify({ ...contract, mapping })}: check ${isClean}, engine ${engine}`);
      // A contract not called clean comes back whole, exactly as without the check; a clean one not at all.
      expect(checked.contracts).toEqual(isClean ? [] : whole.contracts);
    }
    expect(disagreements).toEqual([]);
    // Synced, the same hash, a target id and hash, checked after the edits (at 15 or 20 with no mapping
    // edit, at 20 after one at 15: 3 per last action, 7 actions) — and at this run's start after an action
    // that wrote nothing (skip, filter, reject: 3 each).
    expect(clean).toBe(3 * 7 + 3 * 3);
  });

  it('calls no object clean without its hash, and answers for the ids asked, each once, of its own synchronisation', async () => {
    const { store, newRun } = await orgA.sync();
    const runId = await newRun();
    const things = [1, 2, 3].map((n) => ({ id: `t-${n}`, name: `Thing ${n}` }));
    const states = things.map((t) =>
      state(t.id, { originHash: hashObject(t), sourceLastChecked: at(20), lastAction: 'skip' }),
    );
    await store.upsert(states);
    const hashes = things.map((t) => hashObject(t));
    const ids = things.map((t) => t.id);

    const all = await store.lookup({ runId, page: 1, originIds: ids, skipCheck: skipCheck(hashes) });
    expect([...(all.clean ?? [])].sort()).toEqual(ids);
    expect(all.contracts).toEqual([]);
    // No hash (the object could not be hashed, or was left out by the conditions): its contract, whole.
    const noHash = await store.lookup({
      runId,
      page: 1,
      originIds: ids,
      skipCheck: skipCheck([hashes[0]!, null, hashes[2]!]),
    });
    expect([...(noHash.clean ?? [])].sort()).toEqual(['t-1', 't-3']);
    expect(noHash.contracts.map((c) => c.originId)).toEqual(['t-2']);
    // An id asked twice is answered once (its first place's hash); one without a contract is neither.
    const repeated = await store.lookup({
      runId,
      page: 1,
      originIds: ['t-1', 't-4', 't-1', 't-2'],
      skipCheck: skipCheck([hashes[0]!, hashObject({ id: 't-4' }), null, hashObject({ id: 't-2' })]),
    });
    expect(repeated.clean).toEqual(['t-1']);
    expect(repeated.contracts.map((c) => c.originId)).toEqual(['t-2']);
    // Another synchronisation of the organisation, and another organisation's: nothing of these.
    for (const other of [await orgA.sync(), await orgB.sync()]) {
      const theirs = await other.store.lookup({
        runId: await other.newRun(),
        page: 1,
        originIds: ids,
        skipCheck: skipCheck(hashes),
      });
      expect(theirs).toMatchObject({ contracts: [], clean: [] });
    }
  });
});

describe("the lookup's skip check at scale and with old rows", () => {
  it('keeps each hash with its id across the statements a long page takes, and never calls a text hash clean', async () => {
    const { store, syncId, newRun } = await orgA.sync();
    const runId = await newRun();
    // More ids than one statement takes (ROW_CHUNK, 2,000): every third object changed.
    const things = Array.from({ length: 4_500 }, (_, i) => ({ id: `t-${i}`, name: `Thing ${i}` }));
    await store.upsert(
      things.map((t) =>
        state(t.id, { originHash: hashObject(t), sourceLastChecked: at(20), lastAction: 'skip' }),
      ),
    );
    const hashes = things.map((t, i) => hashObject(i % 3 === 0 ? { ...t, name: 'changed' } : t));
    const ids = things.map((t) => t.id);
    const answer = await store.lookup({ runId, page: 1, originIds: ids, skipCheck: skipCheck(hashes) });
    expect(answer.clean).toEqual(ids.filter((_, i) => i % 3 !== 0));
    expect(answer.contracts.map((c) => c.originId)).toEqual(ids.filter((_, i) => i % 3 === 0));

    // A contract written before hashes were bytes (migration 0042) holds its hash as text until its next
    // write: never clean (it comes back whole, and the engine decides it), the safe side.
    await db.client.execute({
      sql: `UPDATE contracts SET origin_hash = lower(hex(origin_hash))
        WHERE origin_id = 't-1' AND sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
      args: [syncId],
    });
    const old = await store.lookup({
      runId,
      page: 1,
      originIds: ['t-1', 't-2'],
      skipCheck: skipCheck([hashes[1]!, hashes[2]!]),
    });
    expect(old.clean).toEqual(['t-2']);
    expect(old.contracts.map((c) => [c.originId, c.originHash])).toEqual([['t-1', hashes[1]]]);
  });
});

describe('a run with the skip check', () => {
  let peer: FastSource;
  afterAll(() => peer?.stop());

  it('decides only the objects it must on a page its memo could not decide, and still reports a repeat', async () => {
    // 25 people on three pages; the 13th (page 2) repeats the 3rd (page 1) exactly: a repeat, so page 2
    // gets no memo, and every run sends it the whole way — where the 3rd's contract is clean.
    const list: Record<string, unknown>[] = people(25);
    list[12] = { ...list[2]! };
    peer = await startFastSource({ people: list });
    const s = await restToRegister(db.db, peer.url);
    const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
    const first = await run();
    expect(first).toMatchObject({ result: 'warning', found: 25, created: 24, invalid: 1 });

    statements.length = 0;
    const again = await run();
    // The repeat reported again, not taken for an object its clean contract skips.
    expect(again).toMatchObject({ found: 25, created: 0, updated: 0, skipped: 24, invalid: 1 });
    // Pages 1 and 3 decided from their memos; page 2 looked up with the check, once.
    expect(statements.filter((sql) => sql.includes('ELSE json_array(origin_id'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('json_group_array(json_array(origin_id'))).toEqual([]);
    const log = await s.api.runs.entries({ orgId: s.orgId, runId: again.id, page: 1, pageSize: 50 });
    expect(log.rows.map((e) => [e.originId, e.action])).toEqual([['3', 'invalid']]);
  });
});
