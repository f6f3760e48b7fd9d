// The pure half of page memos (core/page-memo.ts) and the REST answer's digest: which runs may use a
// memo at all, what tells two pages apart, and which decided pages have a hash for every object.
import { describe, expect, it } from 'vitest';
import { hashObject } from '@/server/sync/core/canonical-json';
import { identifyObjects, markRepeats } from '@/server/sync/core/ids';
import { decidePage } from '@/server/sync/core/one-way';
import {
  checkableIds,
  decidedHashes,
  memoKey,
  pageDigest,
  lookupSkipCheck,
  pageHashes,
  undecided,
  type PageCheck,
} from '@/server/sync/core/page-memo';
import { answerDigest, type Answer } from '@/server/sync/sources/answer-digest';
import { contract, NO_SETTINGS, runContext } from './helpers/factories';

const window = { kind: 'full' } as never;

describe('memoKey', () => {
  it('is the same for runs that hash and filter alike, and differs when the conditions or the id do', () => {
    const key = memoKey(runContext(), null);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(memoKey(runContext({ runId: 'run_2' }), null)).toBe(key);
    const filtering = { ...NO_SETTINGS, conditions: { '==': [{ var: 'active' }, true] } };
    expect(memoKey(runContext({ settings: filtering }), null)).not.toBe(key);
    expect(memoKey(runContext({ idField: 'code' }), null)).not.toBe(key);
  });

  it('is none for a dry or forced run, hashes over some fields, sub-objects or a tracked listing', () => {
    expect(memoKey(runContext({ mode: { test: true, force: false } }), null)).toBeNull();
    expect(memoKey(runContext({ mode: { test: false, force: true } }), null)).toBeNull();
    expect(memoKey(runContext({ settings: { ...NO_SETTINGS, hashFields: ['name'] } }), null)).toBeNull();
    const subObjects = [{ path: 'lines', idField: 'id' }] as never;
    expect(memoKey(runContext({ subObjects }), null)).toBeNull();
    expect(memoKey(runContext(), { field: 'updated', window })).toBeNull();
  });
});

describe('pageDigest', () => {
  const page = [
    { id: 1, name: 'A' },
    { id: 2, tags: ['x'] },
  ];

  it("takes the source's digest when it has one, else the objects' JSON, each kind under its prefix", () => {
    expect(pageDigest(page, { of: page, value: () => 'abc' })).toBe('s:abc');
    expect(pageDigest(page)).toMatch(/^o:[0-9a-f]{64}$/);
    expect(pageDigest(structuredClone(page))).toBe(pageDigest(page));
  });

  it("takes the source's digest only for the very objects it came with, not for a filtered copy", () => {
    const kept = page.filter((o) => o.id === 1);
    expect(pageDigest(kept, { of: page, value: () => 'abc' })).toBe(pageDigest(kept));
    expect(pageDigest(kept)).toMatch(/^o:/);
  });

  it('tells apart pages that differ in a value, an order or a key order', () => {
    const digest = pageDigest(page);
    expect(pageDigest([{ id: 1, name: 'B' }, page[1]])).not.toBe(digest);
    expect(pageDigest([page[1], page[0]])).not.toBe(digest);
    expect(pageDigest([{ name: 'A', id: 1 }, page[1]])).not.toBe(digest);
  });

  it('is none for objects JSON cannot hold', () => {
    expect(pageDigest([{ id: 1, n: 10n }])).toBeNull();
  });
});

describe('answerDigest', () => {
  const answer: Answer = {
    bytes: Buffer.from('[{"id":1}]'),
    contentType: 'application/json',
    requestedUrl: 'https://api.example.test/items?page=1',
    answeredUrl: 'https://api.example.test/items?page=1',
    settings: [{ kind: 'link-header' }, null],
  };

  it('changes with the text and with everything it was read by', () => {
    const digest = answerDigest(answer);
    expect(answerDigest({ ...answer })).toBe(digest);
    for (const change of [
      { bytes: Buffer.from('[{"id":2}]') },
      { bytes: Buffer.from('[{"id":1}] ') },
      { bytes: Buffer.from('[{"id":"é"}]', 'latin1') },
      { contentType: 'application/xml' },
      { contentType: 'text/plain' },
      { answeredUrl: 'https://api.example.test/v2/items?page=1' },
      { requestedUrl: 'https://api.example.test/items?page=2' },
      { settings: [{ kind: 'offset' }, null] },
    ])
      expect(answerDigest({ ...answer, ...change }), JSON.stringify(change)).not.toBe(digest);
  });
});

describe('checkableIds', () => {
  it("lists a page's ids in order, or none when one is missing or repeats", () => {
    expect(checkableIds(identifyObjects([{ id: 2 }, { id: 'a' }], 'id'))).toEqual(['2', 'a']);
    expect(checkableIds(identifyObjects([{ id: 2 }, { name: 'no id' }], 'id'))).toBeNull();
    expect(checkableIds(identifyObjects([{ id: 2 }, { id: '2' }], 'id'))).toBeNull();
  });
});

describe('decidedHashes', () => {
  const objects = [
    { id: 1, name: 'unchanged' },
    { id: 2, name: 'changed' },
    { id: 3, name: 'new' },
  ];
  const contracts = new Map([
    ['1', contract({ originId: '1', originHash: hashObject(objects[0]) })],
    ['2', contract({ originId: '2', originHash: hashObject({ id: 2, name: 'before' }) })],
  ]);

  it("gives each object's hash, in the page's order, whatever was decided for it", () => {
    const decisions = decidePage(identifyObjects(objects, 'id'), contracts, runContext());
    expect(decisions.map((d) => d.action)).toEqual(['skip', 'update', 'create']);
    expect(decidedHashes(decisions)).toEqual(objects.map((o) => hashObject(o)));
  });

  it('gives none when an object was left out by the conditions or could not be used', () => {
    const filtering = { ...NO_SETTINGS, conditions: { '!=': [{ var: 'id' }, 3] } };
    const filtered = decidePage(
      identifyObjects(objects, 'id'),
      contracts,
      runContext({ settings: filtering }),
    );
    expect(filtered.map((d) => d.action)).toContain('filtered');
    expect(decidedHashes(filtered)).toBeNull();
    const invalid = decidePage(identifyObjects([{ id: 1 }, { name: 'x' }], 'id'), contracts, runContext());
    expect(decidedHashes(invalid)).toBeNull();
  });
});

describe('lookupSkipCheck, undecided and pageHashes', () => {
  const objects = [
    { id: 1, name: 'clean' },
    { id: 2, name: 'changed' },
    { id: 3, name: 'new' },
  ];
  const contracts = new Map([
    ['2', contract({ originId: '2', originHash: hashObject({ id: 2, name: 'before' }) })],
  ]);
  const items = identifyObjects(objects, 'id');
  const check = { editedAt: new Date(10), checkedAt: new Date(30) } as PageCheck;

  it("asks the lookup with every object's hash, and hashes each once for the decisions as well", async () => {
    const ready = (await lookupSkipCheck({ check }, items, NO_SETTINGS))!;
    expect(ready.skipCheck).toEqual({ ...check, hashes: objects.map((o) => hashObject(o)) });
    // Left out by the conditions: no hash, so never clean; its decision takes what was prepared.
    const filtering = { ...NO_SETTINGS, conditions: { '!=': [{ var: 'id' }, 3] } };
    const filtered = (await lookupSkipCheck({ check }, items, filtering))!;
    expect(filtered.skipCheck.hashes).toEqual([hashObject(objects[0]), hashObject(objects[1]), null]);
    const decided = decidePage(items, contracts, runContext({ settings: filtering }), filtered.prepared);
    expect(decided.map((d) => d.action)).toEqual(['create', 'update', 'filtered']);
    expect(await lookupSkipCheck(null, items, NO_SETTINGS)).toBeNull();
  });

  it('gives the rest of the process a turn between objects while it hashes them', async () => {
    let turns = 0;
    const pace = () => {
      turns++;
      return Promise.resolve();
    };
    await lookupSkipCheck({ check }, items, NO_SETTINGS, pace);
    expect(turns).toBe(objects.length);
  });

  it("gives every object's hash in the page's order: a clean one's as prepared, the others' as decided", async () => {
    const ready = (await lookupSkipCheck({ check }, items, NO_SETTINGS))!;
    // The lookup found object 1 clean: the run decides 2 and 3 only.
    const clean = new Set(['1']);
    expect(undecided(items, clean)).toEqual(items.slice(1));
    const decisions = decidePage(undecided(items, clean), contracts, runContext(), ready.prepared);
    expect(decisions.map((d) => d.action)).toEqual(['update', 'create']);
    expect(pageHashes(items, decisions, clean, ready.prepared)).toEqual(objects.map((o) => hashObject(o)));
    // A repeat (no longer `ok`) is decided, whatever its contract said.
    const repeat = markRepeats(items, new Set(['1']));
    expect(undecided(repeat, clean)).toEqual(repeat);
  });

  it('gives none when a clean object has no hash, or the objects decided do not add up to the page', async () => {
    const ready = (await lookupSkipCheck({ check }, items, NO_SETTINGS))!;
    const decisions = decidePage(items.slice(1), contracts, runContext(), ready.prepared);
    const unhashed = [{ leftOut: 'filtered' as const }, ...ready.prepared.slice(1)];
    expect(pageHashes(items, decisions, new Set(['1']), unhashed)).toBeNull();
    expect(pageHashes(items, decisions.slice(1), new Set(['1']), ready.prepared)).toBeNull();
  });
});
