// A page memo's check (stores/page-memos.ts) asks the page's contracts in SQL what the engine asks them
// in core/decide.ts and core/one-way.ts: would every object be skipped with nothing to write? Held to the
// engine itself here, contract by contract, over every combination of what the rule reads — stored in a
// libSQL file and looked up as a run looks them up. A page the check calls clean that the engine would
// write is a lost update; the other way round is only a page decided the long way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashObject } from '@/server/sync/core/canonical-json';
import { memoKey, pageDigest } from '@/server/sync/core/page-memo';
import { at, openStoreFixture, state, type StoreOrg } from '../helpers/contract-store-fixture';
import { recordStatements, type TestDatabase } from '../helpers/database';
import {
  checkedAt,
  configChangedAt,
  decision,
  editedAtOf,
  engineSkips,
  skipRuleCases,
} from '../helpers/skip-rule-cases';

let db: TestDatabase;
let orgA: StoreOrg;
let orgB: StoreOrg;
beforeAll(async () => {
  ({ db, orgA, orgB } = await openStoreFixture());
  recordStatements(db.client, statements);
});
afterAll(() => db.close());

const KEY = memoKey({ ...decision, runId: 'any', idField: 'id' }, null)!;

// Every statement the database is sent, as its text; and the question to a page's contracts among them.
const statements: string[] = [];
const asksContracts = (sql: string) =>
  sql.includes('FROM page_memos') && sql.includes('CROSS JOIN contracts');

// Each of these walks every combination of what the skip rule reads, a page and a few statements each
// (about 10 s): its budget, not a speed check, leaves room for a machine busy with other suites.
const CASES_BUDGET_MS = 120_000;

describe('the page check and the engine', () => {
  it(
    'call the same one-object pages clean, for every combination of what the skip rule reads',
    async () => {
      const { store, newRun } = await orgA.sync();
      const runId = await newRun();
      const cases = skipRuleCases();
      await store.upsert(cases.map((c) => c.contract));

      let clean = 0;
      const disagreements: string[] = [];
      for (const [i, { object, contract, mapping }] of cases.entries()) {
        const page = i + 1;
        const digest = pageDigest([object])!;
        await store.rememberPage!({
          page,
          digest,
          key: KEY,
          hashes: [hashObject(object)],
          originIds: [contract.originId],
          editedAt: editedAtOf(mapping),
          runId,
        });
        // What the engine decides from the contract as a run reads it.
        const { contracts } = await store.lookup({ runId, page, originIds: [contract.originId] });
        const engine = engineSkips(object, contracts, { mapping });
        const editedAt = editedAtOf(mapping);
        const answer = await store.cleanPage!({
          runId,
          page,
          originIds: [contract.originId],
          digest,
          key: KEY,
          editedAt,
          checkedAt,
        });
        expect(answer.memo).toBe('same');
        if (answer.clean) clean++;
        if (answer.clean !== engine)
          disagreements.push(
            `${JSON.stringify({ ...contract, mapping })}: check ${answer.clean}, engine ${engine}`,
          );
      }
      expect(disagreements).toEqual([]);
      // Clean: synced, the same hash, a target id and hash, checked after the edits (at 15 or 20 with no
      // mapping edit, at 20 after one at 15: 3 per last action) — and at this run's start after a skip
      // (whatever the mapping edit: 3 more).
      expect(clean).toBe(12);
    },
    CASES_BUDGET_MS,
  );

  it(
    'agree on a later run, which a stamp spares asking each contract, for every combination',
    async () => {
      const { store, newRun } = await orgA.sync();
      const stamping = await newRun();
      const cases = skipRuleCases();
      await store.upsert(cases.map((c) => c.contract));
      // Each memo written as a run writes it, stamped when its contract is clean (the stamping run's own
      // writes included: it never takes the stamp itself).
      for (const [i, { object, contract, mapping }] of cases.entries())
        await store.rememberPage!({
          page: i + 1,
          digest: pageDigest([object])!,
          key: KEY,
          hashes: [hashObject(object)],
          originIds: [contract.originId],
          editedAt: editedAtOf(mapping),
          runId: stamping,
        });
      // A later run, started after every time the contracts hold.
      const runId = await newRun();
      const later = at(40);
      let clean = 0;
      let asked = 0;
      const disagreements: string[] = [];
      for (const [i, { object, contract, mapping }] of cases.entries()) {
        const page = i + 1;
        const { contracts } = await store.lookup({ runId, page, originIds: [contract.originId] });
        const engine = engineSkips(object, contracts, { mapping, checkedAt: later });
        statements.length = 0;
        const answer = await store.cleanPage!({
          runId,
          page,
          originIds: [contract.originId],
          digest: pageDigest([object])!,
          key: KEY,
          editedAt: editedAtOf(mapping),
          checkedAt: later,
        });
        const asks = statements.filter(asksContracts).length;
        if (answer.clean) clean++;
        if (asks > 0) asked++;
        if (answer.clean !== engine || (engine && asks > 0))
          disagreements.push(`${JSON.stringify({ ...contract, mapping })}: ${answer.clean}, asked ${asks}`);
      }
      expect(disagreements).toEqual([]);
      // Clean: synced, the same hash, a target id and hash, checked after the edits: 6 per last action
      // (nothing was checked at this run's start). Every other page asked its contract, and only those.
      expect(clean).toBe(18);
      expect(asked).toBe(cases.length - 18);
    },
    CASES_BUDGET_MS,
  );
});

describe('the page check', () => {
  async function cleanPageOf(org: StoreOrg, objects: Record<string, unknown>[]) {
    const s = await org.sync();
    const runId = await s.newRun();
    const states = objects.map((o) =>
      state(String(o.id), { originHash: hashObject(o), sourceLastChecked: at(20), lastAction: 'skip' }),
    );
    await s.store.upsert(states);
    const digest = pageDigest(objects)!;
    const hashes = objects.map((o) => hashObject(o));
    const originIds = objects.map((o) => String(o.id));
    await s.store.rememberPage!({
      page: 1,
      digest,
      key: KEY,
      hashes,
      originIds,
      editedAt: configChangedAt,
      runId,
    });
    const check = {
      runId,
      page: 1,
      originIds: objects.map((o) => String(o.id)),
      digest,
      key: KEY,
      editedAt: configChangedAt,
      checkedAt,
    };
    return { ...s, runId, check, states };
  }
  const things = [1, 2, 3].map((n) => ({ id: `t-${n}`, name: `Thing ${n}` }));

  it('is clean only when every contract of the page is, and all of them are there', async () => {
    const page = await cleanPageOf(orgA, things);
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'same', clean: true });
    // One contract the target refused: the page goes the whole way.
    await page.store.upsert([{ ...page.states[1]!, status: 'failed' }]);
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'same', clean: false });
    await page.store.upsert([page.states[1]!]);
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'same', clean: true });
    // An object with no contract at all (a fourth on the page, remembered but never written).
    const more = [...page.check.originIds, 't-4'];
    await page.store.rememberPage!({
      page: 2,
      digest: 'other',
      key: KEY,
      hashes: [...things, { id: 't-4' }].map((o) => hashObject(o)),
      originIds: more,
      editedAt: configChangedAt,
      runId: page.runId,
    });
    const check = { ...page.check, page: 2, digest: 'other', originIds: more };
    expect(await page.store.cleanPage!(check)).toEqual({ memo: 'same', clean: false });
  });

  it('finds no memo for another digest, another key, another page or another synchronisation', async () => {
    const page = await cleanPageOf(orgA, things);
    const other = { memo: 'other', clean: false };
    expect(await page.store.cleanPage!({ ...page.check, digest: 'x' })).toEqual(other);
    expect(await page.store.cleanPage!({ ...page.check, key: 'x' })).toEqual(other);
    expect(await page.store.cleanPage!({ ...page.check, page: 2 })).toEqual(other);
    const elsewhere = await orgA.sync();
    expect(await elsewhere.store.cleanPage!(page.check)).toEqual(other);
    // Another organisation's synchronisation with the same memo and contracts is its own.
    const theirs = await cleanPageOf(orgB, things);
    expect(await theirs.store.cleanPage!(theirs.check)).toEqual({ memo: 'same', clean: true });
    const stranger = await orgB.sync();
    expect(await stranger.store.cleanPage!(page.check)).toEqual(other);
  });

  it("lists a clean page's ids in the run's ledger, and leaves a page that is not clean to the whole way", async () => {
    const page = await cleanPageOf(orgA, things);
    const ids = page.check.originIds;
    const seenOnPage2 = async () =>
      (await page.store.lookup({ runId: page.runId, page: 2, originIds: ids })).seenInRun;
    await page.store.upsert([{ ...page.states[0]!, status: 'failed' }]);
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'same', clean: false });
    expect(await seenOnPage2()).toEqual([]);
    await page.store.upsert([page.states[0]!]);
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'same', clean: true });
    expect([...(await seenOnPage2())].sort()).toEqual([...ids].sort());
    // Read again in the same run (a retried step): still clean, listed once.
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'same', clean: true });
    expect(await page.store.countUnseen({ runId: page.runId, onlyOriginIds: null })).toBe(0);
  });

  it('is not clean when an id of the page was listed on another page of the run (a repeat)', async () => {
    const page = await cleanPageOf(orgA, things);
    await page.store.markSeen({ runId: page.runId, page: 5, originIds: ['t-2'] });
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'same', clean: false });
    // The page itself listed before (its step retried): no repeat.
    const again = await cleanPageOf(orgA, things);
    await again.store.markSeen({ runId: again.runId, page: 1, originIds: again.check.originIds });
    expect(await again.store.cleanPage!(again.check)).toEqual({ memo: 'same', clean: true });
  });

  it('replaces a page memo when the page changes, and a memo of hashes of the wrong length counts nothing', async () => {
    const page = await cleanPageOf(orgA, things);
    const changed = things.map((t) => ({ ...t, name: `${t.name}!` }));
    await page.store.rememberPage!({
      page: 1,
      digest: pageDigest(changed)!,
      key: KEY,
      hashes: changed.map((o) => hashObject(o)),
      originIds: page.check.originIds,
      editedAt: configChangedAt,
      runId: page.runId,
    });
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'other', clean: false });
    await page.store.rememberPage!({
      page: 1,
      digest: page.check.digest,
      key: KEY,
      hashes: things.slice(1).map((o) => hashObject(o)),
      originIds: page.check.originIds.slice(1),
      editedAt: configChangedAt,
      runId: page.runId,
    });
    expect(await page.store.cleanPage!(page.check)).toEqual({ memo: 'same', clean: false });
  });
});
